// The catalogue of single-value validation cases, compiled into two test projects: MlEnvironments.Tests checks that
// Validate() gives each case's expected rules; MlEnvironments.Analyzers.Tests checks that the analyzers report exactly
// what Validate() reports for the same definition written in source. A case added here is checked by both.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MlEnvironments.ValidationCases;

/// <summary>What a case puts in a definition.</summary>
public enum CaseKind
{
    EnvironmentName,
    VariableName,
    SecretName,
    SubscriptionId,
    ResourceGroup,
    WorkspaceName,
    UserLogin,
    TeamSlug,
    WaitTimerMinutes,
    ReviewerCount,
    PreventSelfReviewWithReviewers,
    DuplicateEnvironmentNames,
}

/// <summary>One case: a value in one place of a definition, and the rules validation must report for it.</summary>
public sealed record ValidationCase(CaseKind Kind, string Value, string Other, params string[] ExpectedRules)
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    /// <summary>The definition, built through the API (what Validate() sees).</summary>
    public RepositoryDefinition Build()
    {
        var dev = MlEnvironment.Environment("dev");
        return Kind switch
        {
            CaseKind.EnvironmentName => Repository(MlEnvironment.Environment(Value)),
            CaseKind.VariableName => Repository(dev.WithVariable(Value, "x")),
            CaseKind.SecretName => Repository(dev.WithSecret(Value, MlEnvironment.SecretFromEnvironmentVariable("X"))),
            CaseKind.SubscriptionId => Repository(dev.BindWorkspace(MlEnvironment.Workspace(Value, "rg-ml", "mlw-dev"))),
            CaseKind.ResourceGroup => Repository(dev.BindWorkspace(MlEnvironment.Workspace(Subscription, Value, "mlw-dev"))),
            CaseKind.WorkspaceName => Repository(dev.BindWorkspace(MlEnvironment.Workspace(Subscription, "rg-ml", Value))),
            CaseKind.UserLogin => Repository(dev.RequireReviewers(MlEnvironment.User(Value))),
            CaseKind.TeamSlug => Repository(dev.RequireReviewers(MlEnvironment.Team(Value))),
            CaseKind.WaitTimerMinutes => Repository(dev.WithWaitTimer(TimeSpan.FromMinutes(Minutes))),
            CaseKind.ReviewerCount => Repository(dev.RequireReviewers(Reviewers(Count))),
            CaseKind.PreventSelfReviewWithReviewers => Repository((Count == 0 ? dev : dev.RequireReviewers(Reviewers(Count))).PreventSelfReview()),
            CaseKind.DuplicateEnvironmentNames => Repository(MlEnvironment.Environment(Value), MlEnvironment.Environment(Other)),
            _ => throw new InvalidOperationException(Kind.ToString()),
        };
    }

    /// <summary>The same definition as C# source (a statement in a method, <c>using static MlEnvironments.MlEnvironment;</c>).</summary>
    public string ToSource()
    {
        const string Dev = "Environment(\"dev\")";
        var value = Literal(Value);
        return Kind switch
        {
            CaseKind.EnvironmentName => $"Repository(\"octo-org/app\", Environment({value}))",
            CaseKind.VariableName => $"Repository(\"octo-org/app\", {Dev}.WithVariable({value}, \"x\"))",
            CaseKind.SecretName => $"Repository(\"octo-org/app\", {Dev}.WithSecret({value}, SecretFromEnvironmentVariable(\"X\")))",
            CaseKind.SubscriptionId => $"Repository(\"octo-org/app\", {Dev}.BindWorkspace(Workspace({value}, \"rg-ml\", \"mlw-dev\")))",
            CaseKind.ResourceGroup => $"Repository(\"octo-org/app\", {Dev}.BindWorkspace(Workspace(\"{Subscription}\", {value}, \"mlw-dev\")))",
            CaseKind.WorkspaceName => $"Repository(\"octo-org/app\", {Dev}.BindWorkspace(Workspace(\"{Subscription}\", \"rg-ml\", {value})))",
            CaseKind.UserLogin => $"Repository(\"octo-org/app\", {Dev}.RequireReviewers(User({value})))",
            CaseKind.TeamSlug => $"Repository(\"octo-org/app\", {Dev}.RequireReviewers(Team({value})))",
            CaseKind.WaitTimerMinutes => $"Repository(\"octo-org/app\", {Dev}.WithWaitTimer(System.TimeSpan.FromMinutes({Value})))",
            CaseKind.ReviewerCount => $"Repository(\"octo-org/app\", {Dev}.RequireReviewers({ReviewerSource(Count)}))",
            CaseKind.PreventSelfReviewWithReviewers => Count == 0
                ? $"Repository(\"octo-org/app\", {Dev}.PreventSelfReview())"
                : $"Repository(\"octo-org/app\", {Dev}.RequireReviewers({ReviewerSource(Count)}).PreventSelfReview())",
            CaseKind.DuplicateEnvironmentNames => $"Repository(\"octo-org/app\", Environment({value}), Environment({Literal(Other)}))",
            _ => throw new InvalidOperationException(Kind.ToString()),
        };
    }

    /// <summary>The case, shown without any character that would disturb a test runner's output.</summary>
    public override string ToString()
    {
        var shown = new StringBuilder();
        foreach (var c in Value.Length > 40 ? Value[..40] + "…(" + Value.Length.ToString(CultureInfo.InvariantCulture) + ")" : Value)
        {
            shown.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return $"{Kind}: \"{shown}\"{(Other.Length > 0 ? $" / \"{Other}\"" : string.Empty)} → [{string.Join(", ", ExpectedRules)}]";
    }

    private double Minutes => double.Parse(Value, CultureInfo.InvariantCulture);

    private int Count => int.Parse(Value, CultureInfo.InvariantCulture);

    private static RepositoryDefinition Repository(params EnvironmentDefinition[] environments) => MlEnvironment.Repository("octo-org/app", environments);

    private static Reviewer[] Reviewers(int count) => Enumerable.Range(1, count).Select(i => MlEnvironment.User("user" + i.ToString(CultureInfo.InvariantCulture))).ToArray();

    private static string ReviewerSource(int count) =>
        string.Join(", ", Enumerable.Range(1, count).Select(i => $"User(\"user{i.ToString(CultureInfo.InvariantCulture)}\")"));

    // Every character outside printable ASCII as \uXXXX: the literal holds exactly the case's UTF-16 units.
    private static string Literal(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is >= ' ' and <= '~' && c is not '"' and not '\\' and not '{' and not '}')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return builder.Append('"').ToString();
    }
}

/// <summary>The cases.</summary>
public static class ValidationCatalogue
{
    /// <summary>The rules the catalogue covers: the single-value rules the analyzers share with validation.</summary>
    public static readonly IReadOnlySet<string> SharedRules = new HashSet<string>(StringComparer.Ordinal)
    {
        ValidationRules.EnvironmentNameRequired, ValidationRules.EnvironmentNameLength, ValidationRules.EnvironmentNameCharacters,
        ValidationRules.EnvironmentNameDuplicate, ValidationRules.ReviewersLimit, ValidationRules.ReviewerName, ValidationRules.WaitTimerRange,
        ValidationRules.WaitTimerWholeMinutes, ValidationRules.PreventSelfReviewRequiresReviewer, ValidationRules.SecretNameFormat,
        ValidationRules.SecretNameReserved, ValidationRules.VariableNameFormat, ValidationRules.VariableNameReserved,
        ValidationRules.WorkspaceSubscriptionId, ValidationRules.WorkspaceResourceGroup, ValidationRules.WorkspaceName,
    };

    /// <summary>Every case.</summary>
    public static IReadOnlyList<ValidationCase> Cases { get; } = Build();

    private static List<ValidationCase> Build()
    {
        const string Name = ValidationRules.EnvironmentNameCharacters;
        var cases = new List<ValidationCase>();
        void Add(CaseKind kind, string value, params string[] rules) => cases.Add(new ValidationCase(kind, value, string.Empty, rules));

        // Environment names: the boundaries, then every class of refused character (NameRules' documentation).
        Add(CaseKind.EnvironmentName, "prod");
        Add(CaseKind.EnvironmentName, "release/2024 (eu)");
        Add(CaseKind.EnvironmentName, "Production-EU_2");
        Add(CaseKind.EnvironmentName, "prodé");
        Add(CaseKind.EnvironmentName, "prod 😀");
        Add(CaseKind.EnvironmentName, new string('a', 255));
        Add(CaseKind.EnvironmentName, new string('a', 256), ValidationRules.EnvironmentNameLength);
        Add(CaseKind.EnvironmentName, new string('a', 256) + ";", ValidationRules.EnvironmentNameLength, Name);
        Add(CaseKind.EnvironmentName, "", ValidationRules.EnvironmentNameRequired);
        Add(CaseKind.EnvironmentName, "   ", ValidationRules.EnvironmentNameRequired);
        Add(CaseKind.EnvironmentName, " prod", Name);
        Add(CaseKind.EnvironmentName, "prod ", Name);
        Add(CaseKind.EnvironmentName, ".", Name);
        Add(CaseKind.EnvironmentName, "..", Name);
        Add(CaseKind.EnvironmentName, "...");
        foreach (var forbidden in "'\"`\\,;")
        {
            Add(CaseKind.EnvironmentName, "pr" + forbidden + "od", Name);
        }

        Add(CaseKind.EnvironmentName, "prod${{ secrets.X }}", Name);
        Add(CaseKind.EnvironmentName, "prod}}", Name);
        Add(CaseKind.EnvironmentName, "pro\nd", Name);
        Add(CaseKind.EnvironmentName, "pro\td", Name);
        Add(CaseKind.EnvironmentName, "pro\u0000d", Name);
        Add(CaseKind.EnvironmentName, "pro\u007Fd", Name);
        Add(CaseKind.EnvironmentName, "pro\u200Bd", Name);
        Add(CaseKind.EnvironmentName, "prod\u202E", Name);
        Add(CaseKind.EnvironmentName, "\uFEFFprod", Name);
        Add(CaseKind.EnvironmentName, "pro\u2028d", Name);
        Add(CaseKind.EnvironmentName, "pro\u2029d", Name);
        Add(CaseKind.EnvironmentName, "pro\u00A0d", Name);
        Add(CaseKind.EnvironmentName, "pro\u3000d", Name);
        Add(CaseKind.EnvironmentName, "pro\uE000d", Name);
        Add(CaseKind.EnvironmentName, "pro\uD800d", Name);
        Add(CaseKind.EnvironmentName, "prod\uDC00", Name);
        Add(CaseKind.EnvironmentName, "pro\U000E0001d", Name);
        Add(CaseKind.EnvironmentName, "pro\U0010FFFDd", Name);

        // Secret and variable names: the pattern and GitHub's reserved prefix.
        foreach (var (kind, format, reserved) in new[]
        {
            (CaseKind.SecretName, ValidationRules.SecretNameFormat, ValidationRules.SecretNameReserved),
            (CaseKind.VariableName, ValidationRules.VariableNameFormat, ValidationRules.VariableNameReserved),
        })
        {
            Add(kind, "MODEL_NAME");
            Add(kind, "_private1");
            Add(kind, "lower_case");
            Add(kind, "", format);
            Add(kind, "1ST", format);
            Add(kind, "MODEL-NAME", format);
            Add(kind, "MODEL NAME", format);
            Add(kind, "MODÈLE", format);
            Add(kind, "GITHUB_TOKEN", reserved);
            Add(kind, "github_sha", reserved);
            Add(kind, "GITHUB");
        }

        // Azure names.
        Add(CaseKind.SubscriptionId, "00000000-0000-0000-0000-000000000001");
        Add(CaseKind.SubscriptionId, "", ValidationRules.WorkspaceSubscriptionId);
        Add(CaseKind.SubscriptionId, "not-a-guid", ValidationRules.WorkspaceSubscriptionId);
        Add(CaseKind.SubscriptionId, "{00000000-0000-0000-0000-000000000001}", ValidationRules.WorkspaceSubscriptionId);
        Add(CaseKind.SubscriptionId, "00000000000000000000000000000001", ValidationRules.WorkspaceSubscriptionId);
        Add(CaseKind.ResourceGroup, "rg-ml");
        Add(CaseKind.ResourceGroup, "rg.(ml)_1");
        Add(CaseKind.ResourceGroup, new string('r', 90));
        Add(CaseKind.ResourceGroup, new string('r', 91), ValidationRules.WorkspaceResourceGroup);
        Add(CaseKind.ResourceGroup, "", ValidationRules.WorkspaceResourceGroup);
        Add(CaseKind.ResourceGroup, "rg.", ValidationRules.WorkspaceResourceGroup);
        Add(CaseKind.ResourceGroup, "rg/ml", ValidationRules.WorkspaceResourceGroup);
        Add(CaseKind.WorkspaceName, "mlw-prod");
        Add(CaseKind.WorkspaceName, "abc");
        Add(CaseKind.WorkspaceName, new string('w', 33));
        Add(CaseKind.WorkspaceName, new string('w', 34), ValidationRules.WorkspaceName);
        Add(CaseKind.WorkspaceName, "ab", ValidationRules.WorkspaceName);
        Add(CaseKind.WorkspaceName, "-mlw", ValidationRules.WorkspaceName);
        Add(CaseKind.WorkspaceName, "mlw.prod", ValidationRules.WorkspaceName);

        // Reviewers.
        Add(CaseKind.UserLogin, "ana");
        Add(CaseKind.UserLogin, "ana-b2");
        Add(CaseKind.UserLogin, new string('a', 39));
        Add(CaseKind.UserLogin, new string('a', 40), ValidationRules.ReviewerName);
        Add(CaseKind.UserLogin, "-ana", ValidationRules.ReviewerName);
        Add(CaseKind.UserLogin, "ana--b", ValidationRules.ReviewerName);
        Add(CaseKind.UserLogin, "ana_b", ValidationRules.ReviewerName);
        Add(CaseKind.UserLogin, "", ValidationRules.ReviewerName);
        Add(CaseKind.TeamSlug, "ml-leads");
        Add(CaseKind.TeamSlug, "ml_leads2");
        Add(CaseKind.TeamSlug, "ML-Leads", ValidationRules.ReviewerName);
        Add(CaseKind.TeamSlug, "ml leads", ValidationRules.ReviewerName);
        Add(CaseKind.TeamSlug, "", ValidationRules.ReviewerName);
        Add(CaseKind.ReviewerCount, "1");
        Add(CaseKind.ReviewerCount, "6");
        Add(CaseKind.ReviewerCount, "7", ValidationRules.ReviewersLimit);
        Add(CaseKind.ReviewerCount, "12", ValidationRules.ReviewersLimit);
        Add(CaseKind.PreventSelfReviewWithReviewers, "0", ValidationRules.PreventSelfReviewRequiresReviewer);
        Add(CaseKind.PreventSelfReviewWithReviewers, "1");
        Add(CaseKind.PreventSelfReviewWithReviewers, "7", ValidationRules.ReviewersLimit);

        // Wait timers, in minutes (integral values bind TimeSpan.FromMinutes(long) on .NET 9+, others the double overload).
        Add(CaseKind.WaitTimerMinutes, "0");
        Add(CaseKind.WaitTimerMinutes, "30");
        Add(CaseKind.WaitTimerMinutes, "43200");
        Add(CaseKind.WaitTimerMinutes, "43201", ValidationRules.WaitTimerRange);
        Add(CaseKind.WaitTimerMinutes, "-1", ValidationRules.WaitTimerRange);
        Add(CaseKind.WaitTimerMinutes, "1.5", ValidationRules.WaitTimerWholeMinutes);
        Add(CaseKind.WaitTimerMinutes, "-0.5", ValidationRules.WaitTimerRange, ValidationRules.WaitTimerWholeMinutes);
        Add(CaseKind.WaitTimerMinutes, "43200.5", ValidationRules.WaitTimerRange, ValidationRules.WaitTimerWholeMinutes);

        // Environments of one repository: GitHub compares names without regard to case.
        cases.Add(new ValidationCase(CaseKind.DuplicateEnvironmentNames, "prod", "staging"));
        cases.Add(new ValidationCase(CaseKind.DuplicateEnvironmentNames, "prod", "prod", ValidationRules.EnvironmentNameDuplicate));
        cases.Add(new ValidationCase(CaseKind.DuplicateEnvironmentNames, "Prod", "prod", ValidationRules.EnvironmentNameDuplicate));
        cases.Add(new ValidationCase(CaseKind.DuplicateEnvironmentNames, "STAGING", "Staging", ValidationRules.EnvironmentNameDuplicate));
        cases.Add(new ValidationCase(CaseKind.DuplicateEnvironmentNames, "prod", "prod2"));
        return cases;
    }
}
