using System;
using Microsoft.Extensions.Options;

namespace MlEnvironments;

/// <summary>Options of the core (configuration section <c>MlEnvironments</c>). Options hold behaviour, never secrets.</summary>
public sealed class MlEnvironmentsOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MlEnvironments";

    /// <summary>
    /// The default for <see cref="Planning.PlanOptions.UpdateSecrets"/>: set declared secrets again even when they exist.
    /// <value>Default <see langword="false"/>.</value>
    /// </summary>
    public bool UpdateSecrets { get; set; }

    /// <summary>
    /// The default for <see cref="Planning.PlanOptions.Prune"/>: delete what exists but is not declared.
    /// <value>Default <see langword="false"/>.</value>
    /// </summary>
    public bool Prune { get; set; }

    /// <summary>
    /// The pause between two writes of one apply (GitHub asks integrations to wait between mutating requests).
    /// <value>Default zero; between 0 and 60 seconds.</value>
    /// </summary>
    public TimeSpan WritePause { get; set; }
}

/// <summary>Checks <see cref="MlEnvironmentsOptions"/> at start.</summary>
internal sealed class MlEnvironmentsOptionsValidator : IValidateOptions<MlEnvironmentsOptions>
{
    public ValidateOptionsResult Validate(string? name, MlEnvironmentsOptions options)
    {
        if (options.WritePause < TimeSpan.Zero || options.WritePause > TimeSpan.FromSeconds(60))
        {
            return ValidateOptionsResult.Fail(
                $"{MlEnvironmentsOptions.SectionName}:{nameof(MlEnvironmentsOptions.WritePause)} must be between 00:00:00 and 00:01:00; it is {options.WritePause}.");
        }

        return ValidateOptionsResult.Success;
    }
}
