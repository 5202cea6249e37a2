using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MlEnvironments.Analyzers;

/// <summary>How sure the analyzer is of a value it found in source.</summary>
internal enum Certainty
{
    /// <summary>The value is not known at compile time.</summary>
    Unknown,

    /// <summary>The value comes from a variable or field whose only assignment is a constant.</summary>
    Flowed,

    /// <summary>The value is a constant written at the call (a literal or a <c>const</c>).</summary>
    Certain,
}

/// <summary>Finds the compile-time value of an argument: a constant, or a local or static field assigned once from one.</summary>
internal static class ValueTracer
{
    /// <summary>Strips implicit conversions that keep the value (not a user-defined operator, which may change it).</summary>
    public static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true, Conversion.IsUserDefined: false } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The constant value of an operation and how it is known.</summary>
    public static (Certainty Certainty, object? Value) Evaluate(IOperation? operation)
    {
        if (operation is null)
        {
            return (Certainty.Unknown, null);
        }

        if (operation.ConstantValue.HasValue)
        {
            return (Certainty.Certain, operation.ConstantValue.Value);
        }

        operation = Unwrap(operation);
        if (operation.ConstantValue.HasValue)
        {
            return (Certainty.Certain, operation.ConstantValue.Value);
        }

        switch (operation)
        {
            case ILocalReferenceOperation local when TryTraceLocal(local, out var initializer):
                var (certainty, value) = Evaluate(initializer);
                return certainty == Certainty.Unknown ? (Certainty.Unknown, null) : (Certainty.Flowed, value);
            case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field } reference:
                return TryReadFieldLiteral(field, out var literal) && !IsReadBeforeInitialized(reference, field) ? (Certainty.Flowed, literal) : (Certainty.Unknown, null);
            default:
                return (Certainty.Unknown, null);
        }
    }

    /// <summary>The initializer of a local that is assigned nowhere else in its scope.</summary>
    public static bool TryTraceLocal(ILocalReferenceOperation reference, out IOperation initializer)
    {
        initializer = null!;
        var local = reference.Local;
        if (local.IsConst || local.IsRef || local.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel is not { } model)
        {
            return false;
        }

        if (local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer: { } equals } declarator ||
            declarator.SyntaxTree != model.SyntaxTree)
        {
            return false;
        }

        // The writes of a scope are collected once, by name; only those of the local's name are bound.
        SyntaxNode scope = declarator.FirstAncestorOrSelf<BlockSyntax>() ?? (SyntaxNode)declarator.SyntaxTree.GetRoot();
        if (WritesIn(scope).TryGetValue(local.Name, out var writes))
        {
            foreach (var name in writes)
            {
                if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local))
                {
                    return false;
                }
            }
        }

        // A struct local is also written by an extension method that takes it by ref (timer.Shorten() with `this ref TimeSpan`).
        if (local.Type.IsValueType && IsCalledOn(local, model, method => method.ReducedFrom is { Parameters.Length: > 0 } extension && extension.Parameters[0].RefKind == RefKind.Ref))
        {
            return false;
        }

        // The initializer with its conversion to the local's type (`Name name = "prod";` may convert through an operator).
        if (model.GetOperation(equals) is not IVariableInitializerOperation { Value: { } operation })
        {
            return false;
        }

        initializer = operation;
        return true;
    }

    // Per scope (a block or a file of top-level statements), by name: the identifiers that may be written, and those a
    // method is called on (name.Method(…)). Syntax only, so one table serves every compilation that shares a tree;
    // an entry lives as long as its node.
    private static readonly ConditionalWeakTable<SyntaxNode, ScopeNames> Names = new();

    private static Dictionary<string, List<IdentifierNameSyntax>> WritesIn(SyntaxNode scope) => Names.GetValue(scope, ScopeNames.Collect).Writes;

    /// <summary>
    /// Whether a method that <paramref name="buildsOn"/> accepts is called on a local somewhere in its scope
    /// (<c>template.RequireReviewers(…)</c>): the value it holds is then a start that other definitions build on, not
    /// necessarily one used as it is.
    /// </summary>
    public static bool IsCalledOn(ILocalSymbol local, SemanticModel model, Func<IMethodSymbol, bool> buildsOn)
    {
        if (local.DeclaringSyntaxReferences.Length != 1 || local.DeclaringSyntaxReferences[0].GetSyntax() is not { } declaration ||
            declaration.SyntaxTree != model.SyntaxTree)
        {
            return false;
        }

        SyntaxNode scope = declaration.FirstAncestorOrSelf<BlockSyntax>() ?? (SyntaxNode)declaration.SyntaxTree.GetRoot();
        if (Names.GetValue(scope, ScopeNames.Collect).Receivers.TryGetValue(local.Name, out var receivers))
        {
            foreach (var name in receivers)
            {
                if (name.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } call && model.GetSymbolInfo(call).Symbol is IMethodSymbol method && buildsOn(method) &&
                    SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private sealed class ScopeNames
    {
        public Dictionary<string, List<IdentifierNameSyntax>> Writes { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<IdentifierNameSyntax>> Receivers { get; } = new(StringComparer.Ordinal);

        public static ScopeNames Collect(SyntaxNode scope)
        {
            var names = new ScopeNames();
            foreach (var node in scope.DescendantNodes())
            {
                if (node is not IdentifierNameSyntax name)
                {
                    continue;
                }

                if (IsWritten(name))
                {
                    Add(names.Writes, name);
                }

                // name.Method(…), (name).Method(…), name!.Method(…).
                SyntaxNode receiver = name;
                while (receiver.Parent is ParenthesizedExpressionSyntax || receiver.Parent.IsKind(SyntaxKind.SuppressNullableWarningExpression))
                {
                    receiver = receiver.Parent!;
                }

                if (receiver.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax call } member && member.Expression == receiver && call.Expression == member)
                {
                    Add(names.Receivers, name);
                }
            }

            return names;
        }

        private static void Add(Dictionary<string, List<IdentifierNameSyntax>> names, IdentifierNameSyntax name)
        {
            if (!names.TryGetValue(name.Identifier.ValueText, out var list))
            {
                names.Add(name.Identifier.ValueText, list = new List<IdentifierNameSyntax>());
            }

            list.Add(name);
        }
    }

    // Whether an identifier may be written: assigned (also by deconstruction or a compound operator), incremented or
    // decremented, passed by reference, aliased by a ref or its address taken.
    private static bool IsWritten(IdentifierNameSyntax name)
    {
        // A qualified or parenthesized name (ref Definitions.Name, (name)++) is written as a whole.
        SyntaxNode target = name;
        while (target.Parent is MemberAccessExpressionSyntax member && member.Name == target ||
            target.Parent is ParenthesizedExpressionSyntax || target.Parent.IsKind(SyntaxKind.SuppressNullableWarningExpression))
        {
            target = target.Parent!;
        }

        var parent = target.Parent;
        if (parent is not null && (parent.IsKind(SyntaxKind.PreIncrementExpression) || parent.IsKind(SyntaxKind.PreDecrementExpression) ||
            parent.IsKind(SyntaxKind.PostIncrementExpression) || parent.IsKind(SyntaxKind.PostDecrementExpression) ||
            parent.IsKind(SyntaxKind.AddressOfExpression)))
        {
            return true;
        }

        if (parent is ArgumentSyntax argument && !argument.RefKindKeyword.IsKind(SyntaxKind.None))
        {
            return true;
        }

        if (parent is RefExpressionSyntax)
        {
            return true;
        }

        // The left side of an assignment (a deconstruction's tuple included); a lambda or a statement ends the search.
        SyntaxNode child = name;
        foreach (var ancestor in name.Ancestors())
        {
            switch (ancestor)
            {
                case AssignmentExpressionSyntax assignment when assignment.Left == child:
                    return true;
                case StatementSyntax or MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax:
                    return false;
            }

            child = ancestor;
        }

        return false;
    }

    // A static readonly field declared in source with a literal initializer (`static readonly string Name = "prod";`)
    // that no static constructor of its type assigns: the initializer is then its only value.
    private static bool TryReadFieldLiteral(IFieldSymbol field, out object? value)
    {
        value = null;
        if (field.DeclaringSyntaxReferences.Length != 1 ||
            field.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax literal } ||
            IsAssignedInStaticConstructor(field))
        {
            return false;
        }

        value = literal.Token.Value;
        return true;
    }

    // A static initializer of the field's own type that runs before the field's: static initializers run in the order
    // they are written, so the field still holds its default there (in another part of a partial type: order unknown).
    private static bool IsReadBeforeInitialized(IOperation reference, IFieldSymbol field)
    {
        var member = reference.Syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (member is not (FieldDeclarationSyntax or PropertyDeclarationSyntax) || !member.Modifiers.Any(SyntaxKind.StaticKeyword) ||
            member.Parent is not TypeDeclarationSyntax || reference.SemanticModel is not { } model ||
            !SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(member.Parent), field.ContainingType))
        {
            return false;
        }

        // Only an initializer reads it during type initialization (a static property's getter body does later).
        if (reference.Syntax.FirstAncestorOrSelf<EqualsValueClauseSyntax>() is null)
        {
            return false;
        }

        var declaration = field.DeclaringSyntaxReferences[0];
        return declaration.SyntaxTree != member.SyntaxTree || declaration.Span.Start > member.SpanStart;
    }

    // Any static constructor of any part of the type writing a name like the field's (by name: cautious, not exact).
    private static bool IsAssignedInStaticConstructor(IFieldSymbol field)
    {
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax type)
            {
                continue;
            }

            foreach (var member in type.Members)
            {
                if (member is ConstructorDeclarationSyntax constructor && constructor.Modifiers.Any(SyntaxKind.StaticKeyword) &&
                    WritesIn(constructor).ContainsKey(field.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The number of ticks of a <see cref="TimeSpan"/> written with constants (<c>TimeSpan.FromMinutes(30)</c>, <c>new TimeSpan(1, 0, 0)</c>).</summary>
    public static (Certainty Certainty, long Ticks) EvaluateTimeSpan(IOperation? operation, INamedTypeSymbol timeSpan)
    {
        if (operation is null)
        {
            return (Certainty.Unknown, 0);
        }

        operation = Unwrap(operation);
        switch (operation)
        {
            case ILocalReferenceOperation local when TryTraceLocal(local, out var initializer):
                var (certainty, ticks) = EvaluateTimeSpan(initializer, timeSpan);
                return certainty == Certainty.Unknown ? (Certainty.Unknown, 0) : (Certainty.Flowed, ticks);
            case IFieldReferenceOperation { Field.Name: "Zero" } zero when SymbolEqualityComparer.Default.Equals(zero.Field.ContainingType, timeSpan):
                return (Certainty.Certain, 0);
            case IInvocationOperation invocation when invocation.TargetMethod.IsStatic &&
                SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, timeSpan) && invocation.TargetMethod.Name.StartsWith("From", StringComparison.Ordinal):
                return Sum(invocation.Arguments, ScaleOf(invocation.TargetMethod.Name.Substring(4)));
            case IObjectCreationOperation creation when SymbolEqualityComparer.Default.Equals(creation.Type, timeSpan):
                return Sum(creation.Arguments, 0);
            default:
                return (Certainty.Unknown, 0);
        }
    }

    private static (Certainty, long) Sum(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, long valueScale)
    {
        var certainty = Certainty.Certain;
        double total = 0;
        long exact = 0;
        var isDouble = false;
        foreach (var argument in arguments)
        {
            if (argument.Parameter is null)
            {
                return (Certainty.Unknown, 0);
            }

            var scale = argument.Parameter.Name == "value" ? valueScale : ScaleOf(argument.Parameter.Name);
            var (known, value) = Evaluate(argument.Value);
            if (known == Certainty.Unknown || scale == 0 || value is null)
            {
                return (Certainty.Unknown, 0);
            }

            if (known == Certainty.Flowed)
            {
                certainty = Certainty.Flowed;
            }

            if (value is double or float)
            {
                isDouble = true;
                total += Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) * scale;
            }
            else
            {
                try
                {
                    exact = checked(exact + (Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) * scale));
                }
                catch (OverflowException)
                {
                    return (Certainty.Unknown, 0);
                }
            }
        }

        if (!isDouble)
        {
            return (certainty, exact);
        }

        // TimeSpan.FromX(double) multiplies and truncates to whole ticks; out of range it throws, which is not ours to report.
        total += exact;
        return double.IsNaN(total) || total >= long.MaxValue || total <= long.MinValue ? (Certainty.Unknown, 0) : (certainty, (long)total);
    }

    private static long ScaleOf(string unit) => unit switch
    {
        "Days" or "days" => TimeSpan.TicksPerDay,
        "Hours" or "hours" => TimeSpan.TicksPerHour,
        "Minutes" or "minutes" => TimeSpan.TicksPerMinute,
        "Seconds" or "seconds" => TimeSpan.TicksPerSecond,
        "Milliseconds" or "milliseconds" => TimeSpan.TicksPerMillisecond,
        "Microseconds" or "microseconds" => 10,
        "Ticks" or "ticks" => 1,
        _ => 0,
    };
}
