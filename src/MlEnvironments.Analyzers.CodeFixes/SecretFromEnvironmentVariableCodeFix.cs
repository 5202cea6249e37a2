using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace MlEnvironments.Analyzers;

/// <summary>
/// MLENV002: replaces <c>SecretValue.FromValue("…")</c> with <c>SecretFromEnvironmentVariable("NAME")</c>, the name
/// derived from the secret's name, so that the value is read when the plan is applied.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SecretFromEnvironmentVariableCodeFix))]
[Shared]
public sealed class SecretFromEnvironmentVariableCodeFix : CodeFixProvider
{
    private const string FactoryMethod = "SecretFromEnvironmentVariable";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.SecretInSourceId);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(Descriptors.VariableNameProperty, out var variable) || variable is null ||
                root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<ArgumentSyntax>() is not { Parent.Parent: InvocationExpressionSyntax fromValue })
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Read the secret from the environment variable {variable} when the plan is applied",
                    cancellationToken => ReplaceAsync(context.Document, fromValue, variable, cancellationToken),
                    equivalenceKey: nameof(SecretFromEnvironmentVariableCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, InvocationExpressionSyntax fromValue, string variable, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);

        // Bare when `using static MlEnvironments.MlEnvironment;` is in scope (as in the README), else qualified and simplified.
        var inScope = model!.LookupSymbols(fromValue.SpanStart, name: FactoryMethod)
            .Any(symbol => symbol.ContainingType?.ToDisplayString() == "MlEnvironments.MlEnvironment");
        ExpressionSyntax method = inScope
            ? SyntaxFactory.IdentifierName(FactoryMethod)
            : SyntaxFactory.ParseExpression("global::MlEnvironments.MlEnvironment." + FactoryMethod).WithAdditionalAnnotations(Simplifier.Annotation);
        var replacement = SyntaxFactory.InvocationExpression(
                method,
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(variable))))))
            .WithTriviaFrom(fromValue)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return document.WithSyntaxRoot(root!.ReplaceNode(fromValue, replacement));
    }
}
