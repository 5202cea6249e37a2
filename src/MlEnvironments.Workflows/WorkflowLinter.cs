using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MlEnvironments.GitHub;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace MlEnvironments.Workflows;

/// <summary>
/// Checks a repository's GitHub Actions workflows against its definition: every job's <c>environment:</c> must be
/// declared (GitHub silently creates an unprotected environment for a typo), every declared protected environment
/// should be used by some job, every Azure login must be one the environment's binding makes work (the federated
/// credential's subject, the secret or variables it reads, the <c>id-token</c> permission), and every step that needs
/// Azure (<c>mlenv promote</c>, <c>mlenv rollback</c>, <c>az ml</c>) must come after a login.
/// </summary>
/// <remarks>Pure: it reads the text it is given. A file that is not valid YAML is a finding with its line, not an exception.</remarks>
public sealed partial class WorkflowLinter
{
    private const int MaxSuggestionDistance = 2;
    private readonly RepositoryDefinition _definition;

    /// <summary>Creates a linter for a repository's definition.</summary>
    /// <param name="definition">The repository and its declared environments.</param>
    public WorkflowLinter(RepositoryDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _definition = definition;
    }

    /// <summary>Lints a repository's workflow files, taken as all of them (an environment none uses is reported).</summary>
    /// <param name="workflows">The files: path (e.g. <c>.github/workflows/promote.yml</c>) and text.</param>
    /// <returns>The findings.</returns>
    public WorkflowLintResult Lint(IEnumerable<GitHubWorkflowFile> workflows)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var files = workflows.ToList();
        var findings = new List<WorkflowFinding>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var expressions = 0;
        foreach (var file in files)
        {
            ArgumentNullException.ThrowIfNull(file, nameof(workflows));
            expressions += LintFile(file, findings, used);
        }

        foreach (var environment in _definition.Environments)
        {
            if (used.Contains(environment.Name) || Protections(environment) is not { Count: > 0 } protections)
            {
                continue;
            }

            var note = expressions == 0
                ? string.Empty
                : $" ({expressions} job{(expressions == 1 ? " names its" : "s name their")} environment with an expression and could not be checked)";
            findings.Add(new WorkflowFinding(
                WorkflowFindingSeverity.Warning,
                WorkflowLintRules.UnusedProtectedEnvironment,
                file: null,
                line: null,
                jobId: null,
                $"environment \"{environment.Name}\" is protected ({string.Join(", ", protections)}) but no workflow job runs in it, so its protection guards nothing{note}.",
                $"run the job that deploys to it with `environment: {environment.Name}` (`mlenv workflow generate` writes such a workflow)."));
        }

        var ordered = findings
            .OrderBy(f => f.File is null ? 1 : 0)
            .ThenBy(f => f.File, StringComparer.Ordinal)
            .ThenBy(f => f.Line ?? 0);
        return new WorkflowLintResult(_definition.Repository, files.Count, [.. ordered]);
    }

    /// <summary>The environment, of those declared, that a misspelt name most likely meant: same letters in another case, or at most two edits away.</summary>
    /// <param name="name">The name found in a workflow.</param>
    /// <returns>The declared name, or <see langword="null"/> when none is close.</returns>
    public string? SuggestEnvironment(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_definition.FindEnvironment(name) is { } exact)
        {
            return exact.Name;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var environment in _definition.Environments)
        {
            var distance = Distance(name.ToUpperInvariant(), environment.Name.ToUpperInvariant());
            if (distance <= MaxSuggestionDistance && distance < bestDistance)
            {
                best = environment.Name;
                bestDistance = distance;
            }
        }

        return best;
    }

    private int LintFile(GitHubWorkflowFile file, List<WorkflowFinding> findings, HashSet<string> used)
    {
        if (!TryLoad(file, findings, out var root))
        {
            return 0;
        }

        if (root is null || Child(root, "jobs") is not YamlMappingNode jobs)
        {
            findings.Add(new WorkflowFinding(
                WorkflowFindingSeverity.Error,
                WorkflowLintRules.NotAWorkflow,
                file.Path,
                root is null ? 1 : Line(root),
                jobId: null,
                "The file has no `jobs:` mapping, so it is not a workflow.",
                "remove it from .github/workflows/, or give it jobs."));
            return 0;
        }

        var expressions = 0;
        var workflowPermissions = Child(root, "permissions");
        var reusableOnly = IsReusableOnly(Child(root, "on"));
        foreach (var (key, value) in jobs.Children)
        {
            if (key is not YamlScalarNode { Value: { } jobId } || value is not YamlMappingNode job)
            {
                continue;
            }

            var environment = ReadEnvironment(file, jobId, job, findings, used, ref expressions);
            var permissions = Child(job, "permissions") ?? workflowPermissions;
            foreach (var login in AzureLogins(job))
            {
                CheckLogin(file, jobId, environment, login, permissions, inheritsPermissions: reusableOnly && permissions is null, findings);
            }

            CheckAzureStepsFollowALogin(file, jobId, job, findings);
        }

        return expressions;
    }

    /// <summary>The deepest nesting of mappings and sequences the linter reads; deeper files are a finding (GitHub's own limits are far lower).</summary>
    internal const int MaxDepth = 128;

    /// <summary>
    /// Parses a file's first document. Text that is not YAML (whatever the parser throws), and nesting deeper than
    /// <see cref="MaxDepth"/> (which would exhaust the stack while the document tree is built), are a finding with
    /// the line where reading stopped; nothing is thrown.
    /// </summary>
    private static bool TryLoad(GitHubWorkflowFile file, List<WorkflowFinding> findings, out YamlMappingNode? root)
    {
        root = null;
        var line = 1L;
        string? problem = null;
        try
        {
            // First pass: the parser's events only (no tree, no recursion), to measure the nesting.
            var parser = new Parser(new StringReader(file.Content));
            var depth = 0;
            while (parser.MoveNext())
            {
                line = Math.Max(line, parser.Current!.Start.Line);
                if (parser.Current is MappingStart or SequenceStart && ++depth > MaxDepth)
                {
                    problem = $"The file nests mappings and sequences more than {MaxDepth} deep (line {line}); the linter does not read it.";
                    break;
                }

                if (parser.Current is MappingEnd or SequenceEnd)
                {
                    depth--;
                }
            }

            if (problem is null)
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(file.Content));
                root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
                return true;
            }
        }
        catch (YamlException e)
        {
            line = Math.Max(1, e.Start.Line);
            problem = "The file is not valid YAML: " + Describe(e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these on some malformed input instead of a YamlException.
            problem = $"The file is not valid YAML: the parser stopped after line {line} ({e.Message.TrimEnd('.')}).";
        }

        findings.Add(new WorkflowFinding(
            WorkflowFindingSeverity.Error,
            WorkflowLintRules.YamlSyntax,
            file.Path,
            (int)Math.Clamp(line, 1, int.MaxValue),
            jobId: null,
            problem,
            "fix the YAML; GitHub does not run a workflow it cannot read."));
        return false;
    }

    /// <summary>Reads a job's environment and checks it is declared; returns the declared environment, or <see langword="null"/>.</summary>
    private EnvironmentTarget ReadEnvironment(GitHubWorkflowFile file, string jobId, YamlMappingNode job, List<WorkflowFinding> findings, HashSet<string> used, ref int expressions)
    {
        var node = Child(job, "environment");
        var nameNode = node switch
        {
            YamlScalarNode scalar => scalar,
            YamlMappingNode mapping => Child(mapping, "name") as YamlScalarNode,
            _ => null,
        };
        if (nameNode?.Value is not { Length: > 0 } name)
        {
            return EnvironmentTarget.None;
        }

        if (name.Contains("${{", StringComparison.Ordinal))
        {
            expressions++;
            findings.Add(new WorkflowFinding(
                WorkflowFindingSeverity.Info,
                WorkflowLintRules.EnvironmentExpression,
                file.Path,
                Line(nameNode),
                jobId,
                $"job \"{jobId}\" names its environment with an expression ({name}); it was not checked.",
                "make sure every value it can take is declared."));
            return EnvironmentTarget.Expression;
        }

        var declared = _definition.FindEnvironment(name);
        if (declared is null)
        {
            var suggestion = SuggestEnvironment(name);
            findings.Add(new WorkflowFinding(
                WorkflowFindingSeverity.Error,
                WorkflowLintRules.UndeclaredEnvironment,
                file.Path,
                Line(nameNode),
                jobId,
                $"job \"{jobId}\" runs in environment \"{name}\", which the definition of {_definition.Repository} does not declare: GitHub creates it on the first run, without reviewers, wait timer, branch policy, secrets or variables.",
                suggestion is null
                    ? $"declare it, or use one of: {string.Join(", ", _definition.Environments.Select(e => e.Name))}."
                    : $"did you mean \"{suggestion}\"?"));
            return EnvironmentTarget.Undeclared;
        }

        used.Add(declared.Name);
        if (!string.Equals(name, declared.Name, StringComparison.Ordinal))
        {
            findings.Add(new WorkflowFinding(
                WorkflowFindingSeverity.Warning,
                WorkflowLintRules.EnvironmentSpelling,
                file.Path,
                Line(nameNode),
                jobId,
                $"job \"{jobId}\" spells its environment \"{name}\", the definition \"{declared.Name}\": GitHub uses the same environment, but OIDC subjects and federated credentials compare the spelling exactly.",
                $"write \"{declared.Name}\"."));
        }

        return new EnvironmentTarget(declared, IsExpression: false);
    }

    private void CheckLogin(GitHubWorkflowFile file, string jobId, EnvironmentTarget target, AzureLogin login, YamlNode? permissions, bool inheritsPermissions, List<WorkflowFinding> findings)
    {
        void Add(WorkflowFindingSeverity severity, string rule, string message, string hint) =>
            findings.Add(new WorkflowFinding(severity, rule, file.Path, login.Line, jobId, message, hint));

        if (target.IsExpression)
        {
            return;
        }

        var oidcEnvironments = _definition.Environments.Where(e => e.Binding?.Login?.Kind == WorkspaceLoginKind.Oidc).Select(e => e.Name).ToList();
        var principalEnvironments = _definition.Environments.Where(e => e.Binding?.Login?.Kind == WorkspaceLoginKind.ServicePrincipal).Select(e => e.Name).ToList();
        var subjectPrefix = $"repo:{_definition.Repository}";
        if (login.Kind == LoginKind.Oidc && !HasIdTokenWrite(permissions))
        {
            if (inheritsPermissions)
            {
                // A reusable workflow (only workflow_call) that declares no permissions runs with its caller's token.
                Add(WorkflowFindingSeverity.Info, WorkflowLintRules.MissingIdTokenPermission,
                    $"job \"{jobId}\" logs in to Azure with OIDC in a reusable workflow that declares no `permissions:`, so its token has the caller's permissions; it could not be checked that they include `id-token: write`.",
                    "make sure every workflow that calls it grants `id-token: write` (in the calling job's or workflow's `permissions:`).");
            }
            else
            {
                Add(WorkflowFindingSeverity.Error, WorkflowLintRules.MissingIdTokenPermission,
                    $"job \"{jobId}\" logs in to Azure with OIDC, but its token lacks `id-token: write`, so azure/login gets no OIDC token.",
                    "add `permissions: { id-token: write, contents: read }` to the job or the workflow.");
            }
        }

        if (target.IsUndeclared)
        {
            return;
        }

        var environment = target.Environment;
        if (environment is null)
        {
            // The drift check logs in outside any environment with a read-only identity of its own (whose federated
            // credential trusts the branch), not with an environment's.
            var driftIdentity = login.With.TryGetValue("client-id", out var clientId) &&
                clientId.Replace(" ", string.Empty, StringComparison.Ordinal) == $"${{{{vars.{WorkflowGenerator.DriftClientIdVariable}}}}}";
            if (login.Kind == LoginKind.Oidc && oidcEnvironments.Count > 0 && !driftIdentity)
            {
                Add(WorkflowFindingSeverity.Error, WorkflowLintRules.OidcWithoutEnvironment,
                    $"job \"{jobId}\" logs in to Azure with OIDC without `environment:`, so its token's subject is {subjectPrefix}:ref:refs/heads/<branch> (or :pull_request); the federated credentials the definition creates trust only {subjectPrefix}:environment:<name>.",
                    $"run the job in {OneOf(oidcEnvironments)}.");
            }
            else if (login.Kind == LoginKind.ServicePrincipal && principalEnvironments.Count > 0)
            {
                Add(WorkflowFindingSeverity.Warning, WorkflowLintRules.CredentialsMismatch,
                    $"job \"{jobId}\" logs in to Azure with `creds:` without `environment:`; the definition sets {WorkspaceLogin.CredentialsSecretName} as an environment secret, which a job outside the environment cannot read.",
                    $"run the job in {OneOf(principalEnvironments)}.");
            }

            return;
        }

        var kind = environment.Binding?.Login?.Kind;
        var subject = $"{subjectPrefix}:environment:{environment.Name}";
        if (login.Kind == LoginKind.Oidc)
        {
            if (kind == WorkspaceLoginKind.ServicePrincipal)
            {
                Add(WorkflowFindingSeverity.Error, WorkflowLintRules.OidcSubjectMismatch,
                    $"job \"{jobId}\" logs in to Azure with OIDC in environment \"{environment.Name}\", whose binding logs in with a service principal: no federated credential trusts the subject {subject}, so azure/login fails.",
                    $"use `creds: ${{{{ secrets.{WorkspaceLogin.CredentialsSecretName} }}}}`, or bind \"{environment.Name}\" with UseOidcLogin(...).");
            }
            else if (kind is null)
            {
                Add(WorkflowFindingSeverity.Warning, WorkflowLintRules.OidcSubjectMismatch,
                    $"job \"{jobId}\" logs in to Azure with OIDC in environment \"{environment.Name}\", which declares no OIDC login: the definition creates no federated credential for the subject {subject}.",
                    $"bind \"{environment.Name}\" to its workspace with UseOidcLogin(...), unless that credential is managed elsewhere.");
            }
            else
            {
                CheckLoginInputSources(login, environment, Add, jobId);
            }
        }
        else if (login.Kind == LoginKind.ServicePrincipal)
        {
            var declaresSecret = environment.Secrets.Any(s => string.Equals(s.Name, WorkspaceLogin.CredentialsSecretName, StringComparison.OrdinalIgnoreCase));
            if (kind == WorkspaceLoginKind.Oidc)
            {
                Add(WorkflowFindingSeverity.Error, WorkflowLintRules.CredentialsMismatch,
                    $"job \"{jobId}\" logs in to Azure with `creds:` in environment \"{environment.Name}\", whose binding logs in with OIDC: the definition sets no {WorkspaceLogin.CredentialsSecretName} there, only a federated credential for {subject}.",
                    $"log in with `client-id: ${{{{ vars.{WorkspaceLogin.ClientIdVariable} }}}}`, `tenant-id: ${{{{ vars.{WorkspaceLogin.TenantIdVariable} }}}}` and `subscription-id: ${{{{ vars.{WorkspaceBinding.SubscriptionVariable} }}}}`.");
            }
            else if (kind is null && !declaresSecret)
            {
                Add(WorkflowFindingSeverity.Warning, WorkflowLintRules.CredentialsMismatch,
                    $"job \"{jobId}\" logs in to Azure with `creds:` in environment \"{environment.Name}\", which declares neither a service-principal login nor a {WorkspaceLogin.CredentialsSecretName} secret.",
                    $"bind \"{environment.Name}\" with UseServicePrincipalLogin(...), unless the secret is managed elsewhere.");
            }
        }
    }

    private static void CheckLoginInputSources(AzureLogin login, EnvironmentDefinition environment, Action<WorkflowFindingSeverity, string, string, string> add, string jobId)
    {
        foreach (var (input, variable) in new[]
        {
            ("client-id", WorkspaceLogin.ClientIdVariable),
            ("tenant-id", WorkspaceLogin.TenantIdVariable),
            ("subscription-id", WorkspaceBinding.SubscriptionVariable),
        })
        {
            if (login.With.TryGetValue(input, out var value) &&
                value.Contains("secrets." + variable, StringComparison.OrdinalIgnoreCase))
            {
                add(WorkflowFindingSeverity.Warning, WorkflowLintRules.LoginInputSource,
                    $"job \"{jobId}\" reads azure/login's {input} from secrets.{variable}, but the binding of \"{environment.Name}\" publishes {variable} as an environment variable.",
                    $"use `{input}: ${{{{ vars.{variable} }}}}`.");
            }
        }
    }

    /// <summary>A step that needs Azure credentials (<c>mlenv promote</c>, <c>mlenv rollback</c>, <c>az ml</c>) in a job with no Azure login before it.</summary>
    private static void CheckAzureStepsFollowALogin(GitHubWorkflowFile file, string jobId, YamlMappingNode job, List<WorkflowFinding> findings)
    {
        if (Child(job, "steps") is not YamlSequenceNode steps)
        {
            return;
        }

        foreach (var step in steps.Children.OfType<YamlMappingNode>())
        {
            if (Child(step, "uses") is YamlScalarNode { Value: { } uses } && uses.StartsWith("azure/login@", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            if (Child(step, "run") is not YamlScalarNode { Value: { } script } run)
            {
                continue;
            }

            if (AzureLoginCommand().IsMatch(script))
            {
                return;
            }

            var command = AzureCommand().Match(script);
            while (command.Success && command.Value.StartsWith("mlenv", StringComparison.Ordinal) && InMemory().IsMatch(LineOf(script, command.Index)))
            {
                command = command.NextMatch();
            }

            if (!command.Success)
            {
                continue;
            }

            var what = command.Value.StartsWith("az", StringComparison.Ordinal) ? "az ml" : "mlenv " + command.Groups["verb"].Value;
            findings.Add(new WorkflowFinding(
                WorkflowFindingSeverity.Error,
                WorkflowLintRules.MissingAzureLogin,
                file.Path,
                Line(run),
                jobId,
                $"job \"{jobId}\" runs `{what}` without an `azure/login` step before it: it finds no Azure credentials on the runner, so the step fails.",
                "add `uses: azure/login@v2` before it, with the environment's login (OIDC: client-id, tenant-id and subscription-id from vars; service principal: creds from secrets.AZURE_CREDENTIALS); " +
                "for a generated workflow, give the environment a login in the definition (UseOidcLogin or UseServicePrincipalLogin, \"login\" in mlenv.json) and generate it again."));
            return;
        }
    }

    private static string LineOf(string script, int index)
    {
        var start = script.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var end = script.IndexOf('\n', index);
        return script[start..(end < 0 ? script.Length : end)];
    }

    /// <summary>Whether a workflow's only trigger is <c>workflow_call</c>: a reusable workflow, whose token the caller's permissions decide when it declares none.</summary>
    private static bool IsReusableOnly(YamlNode? on) => on switch
    {
        YamlScalarNode { Value: "workflow_call" } => true,
        YamlSequenceNode sequence => sequence.Children.Count == 1 && sequence.Children[0] is YamlScalarNode { Value: "workflow_call" },
        YamlMappingNode mapping => mapping.Children.Count == 1 && mapping.Children.Keys.Single() is YamlScalarNode { Value: "workflow_call" },
        _ => false,
    };

    [GeneratedRegex(@"(?<![\w-])(mlenv(\.exe|\.dll)?[""']?\s+(?<verb>promote|rollback)|az\s+ml)(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex AzureCommand();

    [GeneratedRegex(@"(?<![\w-])az\s+login(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex AzureLoginCommand();

    [GeneratedRegex(@"\s--in-memory(?![\w-])(?!\s*=?\s*false)", RegexOptions.CultureInvariant)]
    private static partial Regex InMemory();

    private static bool HasIdTokenWrite(YamlNode? permissions) => permissions switch
    {
        YamlScalarNode { Value: "write-all" } => true,
        YamlMappingNode mapping => Child(mapping, "id-token") is YamlScalarNode { Value: "write" },
        _ => false,
    };

    private static IEnumerable<AzureLogin> AzureLogins(YamlMappingNode job)
    {
        if (Child(job, "steps") is not YamlSequenceNode steps)
        {
            yield break;
        }

        foreach (var step in steps.Children.OfType<YamlMappingNode>())
        {
            if (Child(step, "uses") is not YamlScalarNode { Value: { } uses } usesNode ||
                !uses.StartsWith("azure/login@", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var with = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (Child(step, "with") is YamlMappingNode inputs)
            {
                foreach (var (key, value) in inputs.Children)
                {
                    if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: { } text })
                    {
                        with[name] = text;
                    }
                }
            }

            var kind = with.ContainsKey("creds") ? LoginKind.ServicePrincipal
                : with.ContainsKey("client-id") && !(with.TryGetValue("auth-type", out var auth) && auth.Equals("IDENTITY", StringComparison.OrdinalIgnoreCase)) ? LoginKind.Oidc
                : LoginKind.Other;
            yield return new AzureLogin(kind, with, Line(usesNode));
        }
    }

    private static List<string> Protections(EnvironmentDefinition environment)
    {
        var protections = new List<string>();
        if (!environment.Reviewers.IsEmpty)
        {
            protections.Add("required reviewers");
        }

        if (environment.WaitTimer > TimeSpan.Zero)
        {
            protections.Add("wait timer");
        }

        if (environment.BranchPolicy.Kind != DeploymentBranchPolicyKind.AllBranches)
        {
            protections.Add("deployment branch policy");
        }

        if (!environment.ProtectionRuleAppIds.IsEmpty)
        {
            protections.Add(environment.ProtectionRuleAppIds.Length == 1 ? "a custom deployment protection rule" : "custom deployment protection rules");
        }

        return protections;
    }

    private static string OneOf(List<string> names) =>
        names.Count == 1 ? $"environment \"{names[0]}\" (`environment: {names[0]}`)" : "one of the environments " + string.Join(", ", names.Select(n => $"\"{n}\""));

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static int Line(YamlNode node) => (int)Math.Max(1, node.Start.Line);

    private static string Describe(YamlException e)
    {
        var message = e.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && marker > 0)
        {
            message = message[(marker + 3)..];
        }

        return $"{message.TrimEnd('.')} (line {Math.Max(1, e.Start.Line)}, column {Math.Max(1, e.Start.Column)}).";
    }

    /// <summary>Levenshtein distance.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private enum LoginKind
    {
        Oidc,
        ServicePrincipal,
        Other,
    }

    private sealed record AzureLogin(LoginKind Kind, IReadOnlyDictionary<string, string> With, int Line);

    private readonly record struct EnvironmentTarget(EnvironmentDefinition? Environment, bool IsExpression, bool IsUndeclared = false)
    {
        public static EnvironmentTarget None => default;

        public static EnvironmentTarget Expression => new(null, IsExpression: true);

        /// <summary>A name the definition does not declare: reported once as undeclared, and not checked against any binding.</summary>
        public static EnvironmentTarget Undeclared => new(null, IsExpression: false, IsUndeclared: true);
    }
}
