using Microsoft.CodeAnalysis;

namespace MlEnvironments.Analyzers;

/// <summary>The diagnostics of the MlEnvironments analyzers. Each help link opens the README section of the rule.</summary>
public static class Descriptors
{
    /// <summary>The README section every help link points into.</summary>
    public const string HelpBase = "https://github.com/mlenvironments/mlenvironments/blob/main/README.md#";

    /// <summary>The property of a diagnostic holding the validation rule's code (<c>ValidationRules</c>).</summary>
    public const string RuleProperty = "Rule";

    /// <summary>The property of MLENV002 holding the environment variable name the fix reads the secret from.</summary>
    public const string VariableNameProperty = "VariableName";

    /// <summary>The property of MLENV006 holding the name as first declared.</summary>
    public const string FirstNameProperty = "FirstName";

    /// <summary>The id of the discarded-definition diagnostic.</summary>
    public const string DiscardedDefinitionId = "MLENV001";

    /// <summary>The id of the secret-in-source diagnostic.</summary>
    public const string SecretInSourceId = "MLENV002";

    /// <summary>The id of the invalid-value diagnostic.</summary>
    public const string InvalidValueId = "MLENV003";

    /// <summary>The id of the too-many-reviewers diagnostic.</summary>
    public const string TooManyReviewersId = "MLENV004";

    /// <summary>The id of the prevent-self-review-without-reviewer diagnostic.</summary>
    public const string SelfReviewWithoutReviewerId = "MLENV005";

    /// <summary>The id of the duplicate-environment diagnostic.</summary>
    public const string DuplicateEnvironmentId = "MLENV006";

    private const string Usage = "Usage";
    private const string Security = "Security";
    private const string Validation = "Validation";

    /// <summary>MLENV001: the new definition a fluent method returns is thrown away.</summary>
    public static readonly DiagnosticDescriptor DiscardedDefinition = new(
        DiscardedDefinitionId,
        "The definition a method returns is discarded",
        "'{0}' returns a new {1} and changes nothing else; its result is discarded, so this statement has no effect",
        Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Definitions are immutable: every fluent method returns a new value and leaves the one it was called on unchanged. Assign the result (prod = prod.RequireReviewers(...)) or use it.",
        helpLinkUri: HelpBase + "mlenv001");

    /// <summary>MLENV002: a secret's plaintext is a constant in source.</summary>
    public static readonly DiagnosticDescriptor SecretInSource = new(
        SecretInSourceId,
        "A secret's value is written in source code",
        "'{0}' receives a secret's plaintext from a constant; anyone who can read the source or its history has the secret: read it when the plan is applied (SecretFromEnvironmentVariable or SecretFromConfiguration)",
        Security,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A secret written as a literal or constant is in every clone, fork, package and build log of the code. Read it at apply time from an environment variable or configuration instead.",
        helpLinkUri: HelpBase + "mlenv002");

    /// <summary>MLENV003: a constant argument that validation would refuse.</summary>
    public static readonly DiagnosticDescriptor InvalidValue = new(
        InvalidValueId,
        "A definition value that validation refuses",
        "{0} '{1}' is refused by validation: {2} [{3}]",
        Validation,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The value is a constant that Validate() and every plan would refuse. Reported as an error when the value is written at the call, as a warning when it comes from a variable initialised elsewhere.",
        helpLinkUri: HelpBase + "mlenv003");

    /// <summary>MLENV004: more required reviewers than GitHub allows in one chain.</summary>
    public static readonly DiagnosticDescriptor TooManyReviewers = new(
        TooManyReviewersId,
        "More required reviewers than GitHub allows",
        "This environment requires {0} reviewers: {1} [{2}]",
        Validation,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "GitHub allows at most 6 required reviewers per environment, users and teams together.",
        helpLinkUri: HelpBase + "mlenv004");

    /// <summary>MLENV005: PreventSelfReview() on an environment with no reviewer.</summary>
    public static readonly DiagnosticDescriptor SelfReviewWithoutReviewer = new(
        SelfReviewWithoutReviewerId,
        "Self-review is prevented on an environment without reviewers",
        "PreventSelfReview() is called on an environment that requires no reviewer: {0} [{1}]",
        Validation,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Preventing self-review means that the person who started a deployment cannot approve it; without a required reviewer there is nobody to approve, and validation refuses the definition.",
        helpLinkUri: HelpBase + "mlenv005");

    /// <summary>MLENV006: two environments of one repository whose names differ only in case.</summary>
    public static readonly DiagnosticDescriptor DuplicateEnvironment = new(
        DuplicateEnvironmentId,
        "An environment is declared twice in one repository",
        "{0} [{1}]",
        Validation,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "GitHub compares environment names without regard to case: 'Prod' and 'prod' are one environment. A repository declares each environment once.",
        helpLinkUri: HelpBase + "mlenv006");
}
