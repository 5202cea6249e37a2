using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MlEnvironments.Analyzers;

/// <summary>The MlEnvironments types the analyzer looks for, resolved once per compilation.</summary>
internal sealed class KnownSymbols
{
    // The immutable definition values: a method of one of them that returns one of them returns a new value.
    private static readonly string[] DefinitionTypeNames =
    [
        "MlEnvironments.EnvironmentDefinition",
        "MlEnvironments.RepositoryDefinition",
        "MlEnvironments.RepositorySetDefinition",
        "MlEnvironments.DeploymentBranchPolicy",
        "MlEnvironments.WorkspaceBinding",
        "MlEnvironments.WorkspaceLogin",
        "MlEnvironments.SecretValue",
        "MlEnvironments.SecretDefinition",
        "MlEnvironments.VariableDefinition",
        "MlEnvironments.PromotionGate",
        "MlEnvironments.Reviewer",
    ];

    private readonly HashSet<INamedTypeSymbol> definitionTypes;

    private KnownSymbols(Compilation compilation, INamedTypeSymbol factory, INamedTypeSymbol environment, INamedTypeSymbol timeSpan)
    {
        Factory = factory;
        Environment = environment;
        TimeSpan = timeSpan;
        SecretValue = compilation.GetTypeByMetadataName("MlEnvironments.SecretValue");
        SecretDefinition = compilation.GetTypeByMetadataName("MlEnvironments.SecretDefinition");
        VariableDefinition = compilation.GetTypeByMetadataName("MlEnvironments.VariableDefinition");
        SecretPlaintextAttribute = compilation.GetTypeByMetadataName("MlEnvironments.SecretPlaintextAttribute");
        definitionTypes = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in DefinitionTypeNames)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                definitionTypes.Add(type);
            }
        }
    }

    /// <summary><c>MlEnvironments.MlEnvironment</c>, the static factory.</summary>
    public INamedTypeSymbol Factory { get; }

    /// <summary><c>MlEnvironments.EnvironmentDefinition</c>.</summary>
    public INamedTypeSymbol Environment { get; }

    /// <summary><c>System.TimeSpan</c>.</summary>
    public INamedTypeSymbol TimeSpan { get; }

    public INamedTypeSymbol? SecretValue { get; }

    public INamedTypeSymbol? SecretDefinition { get; }

    public INamedTypeSymbol? VariableDefinition { get; }

    public INamedTypeSymbol? SecretPlaintextAttribute { get; }

    /// <summary>The symbols, or <see langword="null"/> when the compilation does not reference MlEnvironments.</summary>
    public static KnownSymbols? Create(Compilation compilation)
    {
        var factory = compilation.GetTypeByMetadataName("MlEnvironments.MlEnvironment");
        var environment = compilation.GetTypeByMetadataName("MlEnvironments.EnvironmentDefinition");
        var timeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        return factory is null || environment is null || timeSpan is null ? null : new KnownSymbols(compilation, factory, environment, timeSpan);
    }

    public bool IsFactory(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, Factory);

    public bool IsEnvironment(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, Environment);

    public bool IsDefinition(ITypeSymbol? type) => type is INamedTypeSymbol named && definitionTypes.Contains(named);

    /// <summary>A method whose only effect is the new definition it returns.</summary>
    public bool IsFluent(IMethodSymbol method)
    {
        if (!IsDefinition(method.ReturnType) || method.Name is "Parse" or "TryParse")
        {
            return false;
        }

        var owner = method.ReducedFrom is { } extension ? extension.Parameters[0].Type : method.ContainingType;
        return IsDefinition(owner) || IsFactory(owner);
    }

    /// <summary><c>SecretValue.FromValue(string)</c>.</summary>
    public bool IsSecretFromValue(IMethodSymbol method) =>
        method.Name == "FromValue" && SymbolEqualityComparer.Default.Equals(method.ContainingType, SecretValue);

    /// <summary>A parameter that takes a secret's plaintext: marked <c>[SecretPlaintext]</c> here or on the member it implements.</summary>
    public bool TakesPlaintext(IMethodSymbol method, IParameterSymbol parameter)
    {
        if (IsSecretFromValue(method))
        {
            return true;
        }

        if (SecretPlaintextAttribute is null)
        {
            return false;
        }

        if (HasAttribute(parameter))
        {
            return true;
        }

        // An implementation called directly: the interface member it implements may carry the attribute.
        foreach (var member in method.ContainingType.AllInterfaces)
        {
            foreach (var candidate in member.GetMembers(method.Name))
            {
                if (candidate is IMethodSymbol interfaceMethod &&
                    SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(interfaceMethod), method.OriginalDefinition) &&
                    parameter.Ordinal < interfaceMethod.Parameters.Length && HasAttribute(interfaceMethod.Parameters[parameter.Ordinal]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool HasAttribute(IParameterSymbol parameter)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, SecretPlaintextAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
