using System.Collections;
using System.Globalization;
using System.Reflection;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.PublicSurface;

/// <summary>
/// Every <see cref="MlEnvironmentsModelFactory"/> method is called with a value that differs from the parameter's
/// default for every parameter, and the model must show each value in the property of the same name.
/// </summary>
public sealed class ModelFactoryTests
{
    private const string Subscription = "00000000-0000-0000-0000-0000000000aa";

    /// <summary>Parameters whose value surfaces under another name: method.parameter → property path.</summary>
    private static readonly Dictionary<string, string> Elsewhere = new(StringComparer.Ordinal)
    {
        ["GitHubWorkflowRun.triggeringEvent"] = "Event",
    };

    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var method in FactoryMethods())
        {
            data.Add(method.Name);
        }

        return data;
    }

    [Fact]
    public void Every_output_model_of_the_promotion_has_a_factory_method()
    {
        var names = FactoryMethods().Select(m => m.Name).ToHashSet();
        foreach (var name in new[] { "ModelCandidate", "GateVerdict", "PromotionEvaluation", "PromotionResult", "PromotionRecord", "PromotionRecordVerdict", "PendingPromotion" })
        {
            Assert.Contains(name, names);
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_factory_method_sets_every_property_it_takes(string name)
    {
        var problems = new List<string>();
        foreach (var method in FactoryMethods().Where(m => m.Name == name))
        {
            var parameters = method.GetParameters();
            var arguments = parameters.Select((p, i) => Sample(p.ParameterType, p, i, depth: 0)).ToArray();
            var model = method.Invoke(null, arguments)!;
            for (var i = 0; i < parameters.Length; i++)
            {
                var parameter = parameters[i];
                if (!TryRead(model, method.Name, parameter.Name!, out var actual, out var where))
                {
                    problems.Add($"{method.Name}({parameter.Name}): no property of that name on {model.GetType().Name}");
                    continue;
                }

                if (!Same(arguments[i], actual))
                {
                    problems.Add($"{method.Name}({parameter.Name}): passed {Show(arguments[i])}, {where} is {Show(actual)}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_check_notices_a_parameter_the_model_drops()
    {
        var model = MlEnvironmentsModelFactory.GitHubSecret("A", DateTimeOffset.UnixEpoch.AddDays(1), DateTimeOffset.UnixEpoch.AddDays(2));
        Assert.True(TryRead(model, "GitHubSecret", "createdAt", out var created, out _));
        Assert.False(Same(DateTimeOffset.UnixEpoch.AddDays(3), created));
        Assert.True(Same(DateTimeOffset.UnixEpoch.AddDays(1), created));
        Assert.False(Same(new[] { "a" }, new[] { "a", "b" }));
    }

    private static IEnumerable<MethodInfo> FactoryMethods() =>
        typeof(MlEnvironmentsModelFactory).GetMethods(BindingFlags.Public | BindingFlags.Static).OrderBy(m => m.Name, StringComparer.Ordinal);

    private static bool TryRead(object model, string method, string parameter, out object? value, out string where)
    {
        var path = Elsewhere.TryGetValue(method + "." + parameter, out var mapped) ? mapped : parameter;
        value = model;
        where = model.GetType().Name;
        foreach (var part in path.Split('.'))
        {
            var property = value?.GetType().GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }

            value = property.GetValue(value);
            where += "." + property.Name;
        }

        return true;
    }

    private static bool Same(object? expected, object? actual)
    {
        if (expected is IDictionary dictionary && actual is IEnumerable pairs)
        {
            var entries = pairs.Cast<object>().Select(p => (Key: p.GetType().GetProperty("Key")!.GetValue(p), Value: p.GetType().GetProperty("Value")!.GetValue(p))).ToList();
            return entries.Count == dictionary.Count && entries.All(e => dictionary.Contains(e.Key!) && Equals(dictionary[e.Key!], e.Value));
        }

        if (expected is IEnumerable left and not string && actual is IEnumerable right and not string)
        {
            return left.Cast<object>().SequenceEqual(right.Cast<object>());
        }

        if (expected is not null && actual is not null && expected.GetType() == actual.GetType() && IsOurs(expected.GetType()) &&
            expected.GetType().GetMethod(nameof(Equals), [typeof(object)])!.DeclaringType == typeof(object))
        {
            // A mutable input the model copies: compare what it holds.
            return expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .All(p => Same(p.GetValue(expected), p.GetValue(actual)));
        }

        return Equals(expected, actual);
    }

    private static bool IsOurs(Type type) => type.Assembly == typeof(MlEnvironmentsModelFactory).Assembly;

    private static string Show(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object>().Select(Show)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? value.GetType().Name,
    };

    /// <summary>A value of <paramref name="type"/> that is not the parameter's default and differs between parameters.</summary>
    private static object? Sample(Type type, ParameterInfo? parameter, int index, int depth)
    {
        var name = parameter?.Name ?? "item";
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            type = underlying;
        }

        if (type == typeof(string))
        {
            return $"{name}-{index}";
        }

        if (type == typeof(bool))
        {
            return !(parameter is { HasDefaultValue: true, DefaultValue: true });
        }

        if (type == typeof(long))
        {
            return 4200L + index;
        }

        if (type == typeof(int))
        {
            return 42 + index;
        }

        if (type == typeof(double))
        {
            return 0.25 + index;
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddDays(index);
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromMinutes(5 + index);
        }

        if (type == typeof(Guid))
        {
            return new Guid(index + 1, 2, 3, [4, 5, 6, 7, 8, 9, 10, 11]);
        }

        if (type == typeof(Uri))
        {
            return new Uri($"https://{name.ToLowerInvariant()}.example.test/");
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type).Cast<object>().ToList();
            var avoid = parameter is { HasDefaultValue: true } ? parameter.DefaultValue : values[0];
            return values.Last(v => !Equals(Convert.ToInt64(v, CultureInfo.InvariantCulture), Convert.ToInt64(avoid, CultureInfo.InvariantCulture)));
        }

        if (type == typeof(Exception))
        {
            return new InvalidOperationException($"{name} failed");
        }

        if (type == typeof(WorkspaceId))
        {
            return Workspace(Subscription, $"rg-{name}", $"mlw-{name}-{index}");
        }

        if (type == typeof(RepositoryId))
        {
            return RepositoryId.Parse($"octo-org/{name}-{index}");
        }

        if (type == typeof(UserAssignedIdentityId))
        {
            return ManagedIdentity(Subscription, "rg-identity", $"id-{name}");
        }

        if (type == typeof(MachineLearningRegistryId))
        {
            return MachineLearningRegistryId.Create(Subscription, "rg-registry", $"reg-{name}");
        }

        if (type == typeof(MachineLearningJobStatus))
        {
            return new MachineLearningJobStatus("Failed");
        }

        if (type == typeof(PromotionGate))
        {
            return MetricAtLeast($"auc{index}", 0.9);
        }

        if (type == typeof(WorkspaceLogin))
        {
            return OidcLogin(ManagedIdentity(Subscription, "rg-identity", "id-login"));
        }

        if (type == typeof(RepositoryDefinition))
        {
            return Repository($"octo-org/{name}", Environment("dev"), Environment("prod"));
        }

        if (type == typeof(MachineLearningModelVersionProperties))
        {
            var properties = new MachineLearningModelVersionProperties
            {
                ModelUri = new Uri("azureml://jobs/job-1/outputs/model"),
                ModelType = "mlflow_model",
                Description = $"{name} description",
                JobName = "job-1",
                Stage = "Production",
                IsArchived = true,
            };
            properties.Tags["team"] = "risk";
            properties.Properties["auc"] = "0.91";
            return properties;
        }

        if (type == typeof(PlanOptions))
        {
            return new PlanOptions { Prune = true };
        }

        if (type == typeof(PlanNote))
        {
            return new PlanNote(PlanNoteSeverity.Warning, "dev", $"{name} note");
        }

        if (type == typeof(RepositoryFailure))
        {
            return new RepositoryFailure(RepositoryId.Parse("octo-org/failed"), new InvalidOperationException("boom"));
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition &&
            (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>)))
        {
            var arguments = type.GetGenericArguments();
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
            dictionary.Add(Sample(arguments[0], null, index, depth)!, Sample(arguments[1], null, index + 1, depth));
            return dictionary;
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type))
        {
            var array = Array.CreateInstance(element, 1);
            array.SetValue(Sample(element, null, index, depth), 0);
            return array;
        }

        // Another model: built by its own factory method, with its required parameters only.
        var factory = FactoryMethods().FirstOrDefault(m => m.ReturnType == type);
        if (factory is not null && depth < 4)
        {
            return factory.Invoke(null, factory.GetParameters()
                .Select((p, i) => p.HasDefaultValue ? p.DefaultValue : Sample(p.ParameterType, p, i, depth + 1)).ToArray());
        }

        throw new InvalidOperationException($"No sample value for {type} (parameter {name}): add one to {nameof(ModelFactoryTests)}.{nameof(Sample)}.");
    }
}
