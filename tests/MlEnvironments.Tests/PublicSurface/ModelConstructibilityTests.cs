using System.Reflection;
using MlEnvironments.Azure;
using MlEnvironments.GitHub;
using MlEnvironments.Testing;
using MlEnvironments.Workflows;

namespace MlEnvironments.Tests.PublicSurface;

/// <summary>
/// A test suite that substitutes any public interface of the shipped packages must be able to build every type that
/// interface takes or returns, and every type reachable from those through public properties: by a public constructor,
/// or by a public static method or property returning it, on the type itself, on a <c>*ModelFactory</c> class, or on
/// <see cref="MlEnvironment"/> (the definitions' factory).
/// </summary>
public sealed class ModelConstructibilityTests
{
    private static readonly Assembly[] Shipped =
    [
        typeof(MlEnvironment).Assembly,
        typeof(GitHubOptions).Assembly,
        typeof(AzureOptions).Assembly,
        typeof(InMemoryGitHub).Assembly,
        typeof(WorkflowGenerator).Assembly,
    ];

    private static readonly Type[] FactoryHosts = Shipped
        .SelectMany(a => a.GetExportedTypes())
        .Where(t => t.IsAbstract && t.IsSealed && (t.Name.EndsWith("ModelFactory", StringComparison.Ordinal) || t == typeof(MlEnvironment)))
        .ToArray();

    public static TheoryData<string> Interfaces()
    {
        var data = new TheoryData<string>();
        foreach (var type in PublicInterfaces())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void The_walk_sees_the_interfaces_of_every_package_that_has_one()
    {
        var names = PublicInterfaces().Select(t => t.Name).ToHashSet();
        Assert.Contains("IModelPromoter", names);
        Assert.Contains("IPromotionLedger", names);
        Assert.Contains("IPromotionReviewService", names);
        Assert.Contains("IGitHubEnvironmentReader", names);
        Assert.Contains("IGitHubTokenProvider", names);
        Assert.True(names.Count >= 40, $"only {names.Count} public interfaces found");
    }

    [Theory]
    [MemberData(nameof(Interfaces))]
    public void Every_type_an_interface_takes_or_returns_can_be_built(string interfaceName)
    {
        var root = PublicInterfaces().Single(t => t.FullName == interfaceName);
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        foreach (var (type, path) in Members(root))
        {
            Visit(type, path, seen, problems);
        }

        Assert.True(problems.Count == 0, "Types a user cannot build:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_check_finds_a_type_with_only_internal_constructors()
    {
        var problems = new List<string>();
        Visit(typeof(Unbuildable), "root", [], problems);
        Assert.Equal(["Unbuildable (reached by root): no public constructor and no public factory"], problems);

        problems.Clear();
        Visit(typeof(Holder), "root", [], problems);
        Assert.Equal(["Unbuildable (reached by root → Holder.Inner): no public constructor and no public factory"], problems);
    }

    private static IEnumerable<Type> PublicInterfaces() =>
        Shipped.SelectMany(a => a.GetExportedTypes()).Where(t => t.IsInterface).OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static IEnumerable<(Type Type, string Path)> Members(Type root)
    {
        foreach (var type in new[] { root }.Concat(root.GetInterfaces()))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => !m.IsSpecialName))
            {
                yield return (method.ReturnType, $"{root.Name}.{method.Name} returns");
                foreach (var parameter in method.GetParameters())
                {
                    yield return (parameter.ParameterType, $"{root.Name}.{method.Name}({parameter.Name})");
                }
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                yield return (property.PropertyType, $"{root.Name}.{property.Name}");
            }
        }
    }

    private static void Visit(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (type.IsByRef || type.IsArray || type.IsPointer)
        {
            Visit(type.GetElementType()!, path, seen, problems);
            return;
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Visit(argument, path, seen, problems);
            }

            type = type.GetGenericTypeDefinition();
        }

        if (type.IsGenericParameter || !IsOurs(type) || type.IsEnum || type.IsInterface || typeof(Delegate).IsAssignableFrom(type) || !seen.Add(type))
        {
            return;
        }

        if (!IsConstructible(type))
        {
            problems.Add(type.IsAbstract
                ? $"{type.Name} (reached by {path}): abstract, and no public derived type or factory can build one"
                : $"{type.Name} (reached by {path}): no public constructor and no public factory");
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                Visit(property.PropertyType, $"{path} → {type.Name}.{property.Name}", seen, problems);
            }
        }
    }

    private static bool IsOurs(Type type) =>
        Array.IndexOf(Shipped, type.Assembly) >= 0 || type.Assembly == typeof(ModelConstructibilityTests).Assembly;

    private static bool IsConstructible(Type type)
    {
        if (!type.IsAbstract && type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Length > 0)
        {
            return true;
        }

        foreach (var host in FactoryHosts.Append(type))
        {
            var statics = BindingFlags.Public | BindingFlags.Static;
            if (host.GetMethods(statics).Any(m => Builds(m.ReturnType, type)) || host.GetProperties(statics).Any(p => Builds(p.PropertyType, type)) ||
                host.GetFields(statics).Any(f => Builds(f.FieldType, type)))
            {
                return true;
            }
        }

        return type.IsAbstract && Shipped.Concat([type.Assembly]).Distinct().SelectMany(a => a.GetExportedTypes())
            .Any(t => t != type && type.IsAssignableFrom(t) && !t.IsAbstract && IsConstructible(t));
    }

    private static bool Builds(Type returned, Type type) =>
        type.IsAssignableFrom(Nullable.GetUnderlyingType(returned) ?? returned);

    public sealed class Unbuildable
    {
        internal Unbuildable()
        {
        }
    }

    public sealed class Holder
    {
        public Holder(Unbuildable inner) => Inner = inner;

        public Unbuildable Inner { get; }
    }
}
