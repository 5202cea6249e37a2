using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MlEnvironments.Analyzers;

/// <summary>
/// MLENV006: writes a duplicate environment's name as it was first declared (<c>Prod</c> → <c>prod</c>), so that the
/// source says what GitHub does: one environment, declared twice, whose declarations are then merged by hand.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EnvironmentNameCaseCodeFix))]
[Shared]
public sealed class EnvironmentNameCaseCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.DuplicateEnvironmentId);

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
            if (!diagnostic.Properties.TryGetValue(Descriptors.FirstNameProperty, out var first) || first is null ||
                diagnostic.AdditionalLocations.Count == 0 || diagnostic.AdditionalLocations[0].SourceTree != root.SyntaxTree ||
                root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal ||
                literal.Token.ValueText == first)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use the name as first declared: \"{first}\"",
                    cancellationToken => RenameAsync(context.Document, literal, first, cancellationToken),
                    equivalenceKey: nameof(EnvironmentNameCaseCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> RenameAsync(Document document, LiteralExpressionSyntax literal, string name, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name)).WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root!.ReplaceNode(literal, replacement));
    }
}
