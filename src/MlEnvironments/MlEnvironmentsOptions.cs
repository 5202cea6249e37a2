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

    /// <summary>
    /// How many repositories of a set are planned or applied at the same time (providers keep writes serial per token).
    /// <value>Default 4; between 1 and 32.</value>
    /// </summary>
    public int MaxRepositoryConcurrency { get; set; } = 4;
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

        if (options.MaxRepositoryConcurrency is < 1 or > 32)
        {
            return ValidateOptionsResult.Fail(
                $"{MlEnvironmentsOptions.SectionName}:{nameof(MlEnvironmentsOptions.MaxRepositoryConcurrency)} must be between 1 and 32; it is {options.MaxRepositoryConcurrency}.");
        }

        return ValidateOptionsResult.Success;
    }
}
