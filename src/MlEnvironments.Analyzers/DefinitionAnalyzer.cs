using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MlEnvironments.Rules;

namespace MlEnvironments.Analyzers;

/// <summary>
/// Finds the definition mistakes that are visible in source: discarded fluent results (MLENV001), secrets written as
/// constants (MLENV002), constant values validation refuses (MLENV003), too many reviewers (MLENV004),
/// <c>PreventSelfReview()</c> without a reviewer (MLENV005) and environments declared twice (MLENV006). The value rules
/// are <see cref="DefinitionRules"/>, the same source <c>Validate()</c> uses.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class DefinitionAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.DiscardedDefinition,
        Descriptors.SecretInSource,
        Descriptors.InvalidValue,
        Descriptors.TooManyReviewers,
        Descriptors.SelfReviewWithoutReviewer,
        Descriptors.DuplicateEnvironment);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.Create(start.Compilation) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeObjectCreation(c, symbols), OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (invocation.Parent is IExpressionStatementOperation && symbols.IsFluent(method))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.DiscardedDefinition, NameLocation(invocation),
                method.Name, method.ReturnType.Name));
        }

        CheckSecretArguments(context, symbols, invocation.Arguments, method);
        CheckValueArguments(context, symbols, invocation);
        if (symbols.IsEnvironment(method.ReturnType) && IsChainTop(invocation))
        {
            AnalyzeChain(context, symbols, invocation);
        }

        if (method.Name == "Repository" && symbols.IsFactory(method.ContainingType))
        {
            AnalyzeRepository(context, symbols, invocation);
        }
    }

    private static void AnalyzeObjectCreation(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is not { } constructor)
        {
            return;
        }

        CheckSecretArguments(context, symbols, creation.Arguments, constructor);
        var type = constructor.ContainingType;
        if (SymbolEqualityComparer.Default.Equals(type, symbols.VariableDefinition))
        {
            CheckName(context, Argument(creation.Arguments, "name"), "Variable name", name => DefinitionRules.CheckSecretOrVariableName(name, isSecret: false));
        }
        else if (SymbolEqualityComparer.Default.Equals(type, symbols.SecretDefinition))
        {
            CheckName(context, Argument(creation.Arguments, "name"), "Secret name", name => DefinitionRules.CheckSecretOrVariableName(name, isSecret: true));
        }
    }

    // MLENV002: a constant given to a parameter that takes a secret's plaintext.
    private static void CheckSecretArguments(OperationAnalysisContext context, KnownSymbols symbols, ImmutableArray<IArgumentOperation> arguments, IMethodSymbol method)
    {
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter || !symbols.TakesPlaintext(method, parameter))
            {
                continue;
            }

            var (certainty, value) = ValueTracer.Evaluate(argument.Value);
            if (certainty == Certainty.Unknown || value is not string { Length: > 0 })
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty;
            if (symbols.IsSecretFromValue(method))
            {
                properties = properties.Add(Descriptors.VariableNameProperty, SuggestVariableName(argument.Parent));
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SecretInSource, argument.Syntax.GetLocation(), properties,
                method.ContainingType.Name + "." + (method.MethodKind == MethodKind.Constructor ? method.ContainingType.Name : method.Name)));
        }
    }

    // MLENV003: constant arguments of the factory and fluent methods that validation would refuse.
    private static void CheckValueArguments(OperationAnalysisContext context, KnownSymbols symbols, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var arguments = invocation.Arguments;
        if (symbols.IsFactory(method.ContainingType))
        {
            switch (method.Name)
            {
                case "Environment":
                    CheckNames(context, Argument(arguments, "name"), "Environment name", DefinitionRules.CheckEnvironmentName);
                    break;
                case "User":
                    CheckName(context, Argument(arguments, "login"), "User login", login => DefinitionRules.CheckReviewerName(login, isTeam: false));
                    break;
                case "Team":
                    CheckName(context, Argument(arguments, "slug"), "Team slug", slug => DefinitionRules.CheckReviewerName(slug, isTeam: true));
                    break;
                case "Workspace":
                    CheckName(context, Argument(arguments, "subscriptionId"), "Subscription id", DefinitionRules.CheckSubscriptionId);
                    CheckName(context, Argument(arguments, "resourceGroupName"), "Resource group", DefinitionRules.CheckResourceGroup);
                    CheckName(context, Argument(arguments, "workspaceName"), "Workspace name", DefinitionRules.CheckWorkspaceName);
                    break;
            }
        }
        else if (symbols.IsEnvironment(method.ContainingType))
        {
            switch (method.Name)
            {
                case "WithVariable" when Argument(arguments, "name") is { } name:
                    CheckName(context, name, "Variable name", text => DefinitionRules.CheckSecretOrVariableName(text, isSecret: false));
                    break;
                case "WithSecret" when Argument(arguments, "name") is { } name:
                    CheckName(context, name, "Secret name", text => DefinitionRules.CheckSecretOrVariableName(text, isSecret: true));
                    break;
                case "WithWaitTimer" when Argument(arguments, "waitTimer") is { } timer:
                    var (certainty, ticks) = ValueTracer.EvaluateTimeSpan(timer.Value, symbols.TimeSpan);
                    if (certainty != Certainty.Unknown)
                    {
                        var shown = (ticks / (double)TimeSpan.TicksPerMinute).ToString("0.######", CultureInfo.InvariantCulture) + " minutes";
                        foreach (var finding in DefinitionRules.CheckWaitTimer(ticks))
                        {
                            Report(context, Descriptors.InvalidValue, timer.Syntax.GetLocation(), certainty, finding.Rule, "Wait timer", shown, finding.Message, finding.Rule);
                        }
                    }

                    break;
            }
        }
    }

    private static void CheckName(OperationAnalysisContext context, IArgumentOperation? argument, string what, Func<string, RuleFinding?> rule) =>
        CheckNames(context, argument, what, value => rule(value) is { } finding ? [finding] : Array.Empty<RuleFinding>());

    private static void CheckNames(OperationAnalysisContext context, IArgumentOperation? argument, string what, Func<string, IReadOnlyList<RuleFinding>> rule)
    {
        if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
        {
            return;
        }

        var (certainty, value) = ValueTracer.Evaluate(argument.Value);
        if (certainty == Certainty.Unknown || value is not string text)
        {
            return;
        }

        foreach (var finding in rule(text))
        {
            Report(context, Descriptors.InvalidValue, argument.Syntax.GetLocation(), certainty, finding.Rule, what, Shown(text), finding.Message, finding.Rule);
        }
    }

    // MLENV004 and MLENV005: what one chain from Environment("…") does to the reviewers. A chain whose value is kept in a
    // local that later fluent calls build on (template.RequireReviewers(…)) is judged where they end, not here: a reviewer
    // added later makes PreventSelfReview() valid. Where the chain goes through such a local, the mistake may lie in
    // the local's initializer; it is then reported on this chain's last call.
    private static void AnalyzeChain(OperationAnalysisContext context, KnownSymbols symbols, IInvocationOperation top)
    {
        if (StoredIn(top) is { } local && top.SemanticModel is { } model &&
            ValueTracer.IsCalledOn(local, model, method => symbols.IsEnvironment(method.ContainingType) && symbols.IsEnvironment(method.ReturnType)))
        {
            return;
        }

        var chain = Chain.Walk(top, symbols);
        var full = ReviewerState.Of(chain.Calls, chain.Root is not null);
        var certainty = chain.Boundary is null ? Certainty.Certain : Certainty.Flowed;
        var written = chain.Boundary is { } boundary ? chain.Calls.Skip(boundary).ToList() : chain.Calls;
        Location Where(IInvocationOperation call) => NameLocation(written.Contains(call) ? call : top);

        if (full.Count > DefinitionRules.MaxReviewers && full.Exceeded is { } exceeded &&
            DefinitionRules.CheckReviewerCount(full.Count) is { } tooMany)
        {
            Report(context, Descriptors.TooManyReviewers, Where(exceeded), certainty, tooMany.Rule,
                full.Count.ToString(CultureInfo.InvariantCulture), tooMany.Message, tooMany.Rule);
        }

        if (full.SelfReviewWithoutReviewer is { } prevent && DefinitionRules.CheckPreventSelfReview(true, 0) is { } selfReview)
        {
            Report(context, Descriptors.SelfReviewWithoutReviewer, Where(prevent), certainty, selfReview.Rule, selfReview.Message, selfReview.Rule);
        }
    }

    // The local a chain's value is stored in: `var template = Environment("prod")…;` or `template = …;`.
    private static ILocalSymbol? StoredIn(IOperation top)
    {
        var value = top;
        while (value.Parent is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion;
        }

        return value.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == value => target.Local,
            _ => null,
        };
    }

    // MLENV006: two environments of one Repository(...) call with the same name, compared without regard to case.
    private static void AnalyzeRepository(OperationAnalysisContext context, KnownSymbols symbols, IInvocationOperation invocation)
    {
        if (Argument(invocation.Arguments, "environments")?.Value is not IArrayCreationOperation { Initializer: { } initializer })
        {
            return;
        }

        var seen = new List<string>();
        foreach (var element in initializer.ElementValues)
        {
            var chain = Chain.Walk(element, symbols);
            if (chain.Root is null || Argument(chain.Root.Arguments, "name") is not { } nameArgument)
            {
                continue;
            }

            var (certainty, value) = ValueTracer.Evaluate(nameArgument.Value);
            if (certainty == Certainty.Unknown || value is not string name)
            {
                continue;
            }

            if (chain.Boundary is not null)
            {
                certainty = Certainty.Flowed;
            }

            var first = seen.FirstOrDefault(existing => DefinitionRules.SameEnvironmentName(existing, name));
            if (first is null)
            {
                seen.Add(name);
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(Descriptors.RuleProperty, DefinitionRules.EnvironmentNameDuplicate)
                .Add(Descriptors.FirstNameProperty, first);
            var nameLocation = nameArgument.Value.Syntax is LiteralExpressionSyntax literal ? new[] { literal.GetLocation() } : Array.Empty<Location>();
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateEnvironment, element.Syntax.GetLocation(), Severity(Descriptors.DuplicateEnvironment, certainty),
                nameLocation, properties, DefinitionRules.DuplicateEnvironmentNameMessage(Shown(name), Shown(first)), DefinitionRules.EnvironmentNameDuplicate));
        }
    }

    private static void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, Location location, Certainty certainty, string rule, params object[] arguments)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(Descriptors.RuleProperty, rule);
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, Severity(descriptor, certainty), null, properties, arguments));
    }

    // An error where the value is written at the call; a warning where it flows from a variable declared elsewhere.
    private static DiagnosticSeverity Severity(DiagnosticDescriptor descriptor, Certainty certainty) =>
        certainty == Certainty.Certain ? descriptor.DefaultSeverity : DiagnosticSeverity.Warning;

    private static bool IsChainTop(IInvocationOperation invocation) =>
        !(invocation.Parent is IInvocationOperation parent && parent.Instance == invocation);

    internal static IArgumentOperation? Argument(ImmutableArray<IArgumentOperation> arguments, string parameterName)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == parameterName)
            {
                return argument;
            }
        }

        return null;
    }

    private static Location NameLocation(IInvocationOperation invocation) => invocation.Syntax switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } => member.Name.GetLocation(),
        InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } => binding.Name.GetLocation(),
        var syntax => syntax.GetLocation(),
    };

    // Names are shown escaped (no control, format or bidi character reaches a terminal) and at most 80 characters.
    private static string Shown(string value)
    {
        var escaped = DefinitionRules.Escape(value);
        return escaped.Length <= 80 ? escaped : escaped.Substring(0, 77) + "...";
    }

    // The environment variable a fix reads the secret from: the secret's name where the call gives one.
    private static string SuggestVariableName(IOperation? fromValueInvocation)
    {
        var outer = fromValueInvocation?.Parent as IArgumentOperation;
        var owner = outer?.Parent;
        ImmutableArray<IArgumentOperation> siblings = owner switch
        {
            IInvocationOperation call => call.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };
        if (Argument(siblings, "name") is { } name && ValueTracer.Evaluate(name.Value).Value is string secretName && secretName.Length > 0)
        {
            return ToVariableName(secretName);
        }

        if (outer?.Parameter?.Name == "clientSecret")
        {
            return "AZURE_CLIENT_SECRET";
        }

        if (fromValueInvocation?.Parent?.Parent is IVariableDeclaratorOperation declarator)
        {
            return ToVariableName(declarator.Symbol.Name);
        }

        return "SECRET_VALUE";
    }

    internal static string ToVariableName(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1]))
            {
                builder.Append('_');
            }

            builder.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') ? char.ToUpperInvariant(c) : '_');
        }

        var text = builder.ToString().Trim('_');
        return text.Length == 0 ? "SECRET_VALUE" : text[0] is >= '0' and <= '9' ? "SECRET_" + text : text;
    }
}
