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

namespace MlEnvironments.Analyzers;

/// <summary>MLENV001: assigns a discarded definition back to the variable the chain starts from (<c>prod = prod.RequireReviewers(…);</c>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AssignResultCodeFix))]
[Shared]
public sealed class AssignResultCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.DiscardedDefinitionId);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // The reported call must be the statement itself, not a call in a lambda the statement passes on.
            var reported = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (reported?.Parent is not ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation } statement ||
                ReceiverRoot(invocation) is not { } target || !IsAssignable(model, target, invocation, context.CancellationToken))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Assign the result to '{target}'",
                    cancellationToken => AssignAsync(context.Document, statement, invocation, target, cancellationToken),
                    equivalenceKey: nameof(AssignResultCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> AssignAsync(Document document, ExpressionStatementSyntax statement, InvocationExpressionSyntax invocation, ExpressionSyntax target, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var assignment = SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression,
            target.WithoutTrivia(),
            invocation.WithoutLeadingTrivia())
            .WithLeadingTrivia(invocation.GetLeadingTrivia());
        return document.WithSyntaxRoot(root!.ReplaceNode(statement, statement.WithExpression(assignment)));
    }

    // prod.A().B() → prod; this.prod.A() → this.prod.
    private static ExpressionSyntax? ReceiverRoot(InvocationExpressionSyntax invocation)
    {
        ExpressionSyntax current = invocation;
        while (current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member })
        {
            current = member.Expression;
        }

        return current is IdentifierNameSyntax or MemberAccessExpressionSyntax && current != invocation ? current : null;
    }

    private static bool IsAssignable(SemanticModel model, ExpressionSyntax target, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var symbol = model.GetSymbolInfo(target, cancellationToken).Symbol;
        ITypeSymbol? type = symbol switch
        {
            ILocalSymbol { IsConst: false } local when !IsIterationVariable(local) => local.Type,
            IParameterSymbol { RefKind: RefKind.None or RefKind.Ref or RefKind.Out } parameter => parameter.Type,
            IFieldSymbol { IsReadOnly: false, IsConst: false } field => field.Type,
            IPropertySymbol { SetMethod: { IsInitOnly: false } } property => property.Type,
            _ => null,
        };
        var result = model.GetTypeInfo(invocation, cancellationToken).Type;
        return type is not null && result is not null && model.Compilation.ClassifyConversion(result, type).IsImplicit;
    }

    private static bool IsIterationVariable(ILocalSymbol local) =>
        local.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax() is ForEachStatementSyntax) || local.IsUsing;
}
