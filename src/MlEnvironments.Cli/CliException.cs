using System;

namespace MlEnvironments.Cli;

/// <summary>An error the user can fix: one line saying what is wrong, and a hint saying what to do.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, string hint)
        : base(message)
    {
        Hint = hint;
    }

    public CliException(string message, string hint, Exception innerException)
        : base(message, innerException)
    {
        Hint = hint;
    }

    /// <summary>What to do about it.</summary>
    public string Hint { get; }
}

/// <summary>The definition file breaks rules (found before any call); every violation is listed.</summary>
internal sealed class DefinitionInvalidException(ValidationResult result) : Exception("The definition is not valid.")
{
    public ValidationResult Result { get; } = result;
}
