using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlEnvironments.Identity;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Validation;

/// <summary>
/// Hostile input, by class: each test enumerates the whole class (every code point of a category, every object of a
/// document, every enum of the model, every whole-number property), so that the next member is caught too.
/// </summary>
public class HostileInputTests
{
    private const string SubscriptionId = "00000000-0000-0000-0000-000000000001";

    private static readonly UnicodeCategory[] RefusedCategories =
    [
        UnicodeCategory.Control, UnicodeCategory.Format, UnicodeCategory.LineSeparator, UnicodeCategory.ParagraphSeparator,
        UnicodeCategory.PrivateUse, UnicodeCategory.OtherNotAssigned, UnicodeCategory.Surrogate,
    ];

    // One of each kind of trouble: controls, an ANSI escape, zero-width and bidi characters, line separators, a BOM,
    // a lone surrogate, private use, unassigned, a no-break space, expression text, dot segments, edge white space.
    private static readonly string[] Hostile =
    [
        "a\u0000b", "a\u001B[31mb", "a\u200Bb", "a\u202Eb", "a\u2066b", "a\u2028b", "a\u2029b", "a\uFEFFb", "a\uD800b", "a\uDC00", "a\uE000b",
        "a\u0378b", "a\u00A0b", "a\u3000b", "${{ secrets.TOKEN }}", "a}}b", ".", "..", " prod", "prod\t", "a\nb", "a\rb", "a\u0085b", "",
    ];

    // By index: xUnit would replace a lone surrogate in theory data by U+FFFD.
    public static TheoryData<int> HostileNames => new(Enumerable.Range(0, Hostile.Length));

    [Fact]
    public void EveryCodePointOfARefusedCategory_IsRefusedInEnvironmentNames()
    {
        var refused = 0;
        for (var value = 0; value <= 0x10FFFF; value++)
        {
            string text;
            if (value is >= 0xD800 and <= 0xDFFF)
            {
                text = "a" + (char)value + "b"; // a lone surrogate
            }
            else
            {
                var rune = new Rune(value);
                var category = Rune.GetUnicodeCategory(rune);
                if (!RefusedCategories.Contains(category) && !(category == UnicodeCategory.SpaceSeparator && value != ' '))
                {
                    continue;
                }

                // Unassigned code points beyond the first two planes: every 31st is enough (the rule is by category).
                if (category == UnicodeCategory.OtherNotAssigned && value > 0x1FFFF && value % 31 != 0)
                {
                    continue;
                }

                text = "a" + rune + "b";
            }

            var errors = NameRules.CheckEnvironmentName(text, "name");
            Assert.True(errors.Any(e => e.Rule == ValidationRules.EnvironmentNameCharacters), $"U+{value:X4} is accepted in an environment name");
            Assert.DoesNotContain(errors, e => e.OffendingValue!.EnumerateRunes().Any(r => Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format));
            refused++;
        }

        Assert.True(refused > 100_000, $"{refused} code points checked");
        Assert.Empty(NameRules.CheckEnvironmentName("prod/eu-west 2 (main) ✓ Prüfung"));
    }

    /// <summary>Every name check of <see cref="NameRules"/>, including ones added later, refuses every hostile sample.</summary>
    [Theory]
    [MemberData(nameof(HostileNames))]
    public void EveryNameRule_RefusesEveryHostileName(int index)
    {
        var name = Hostile[index];
        var checks = typeof(NameRules).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name.StartsWith("Check", StringComparison.Ordinal))
            .ToList();

        Assert.True(checks.Count >= 4);
        foreach (var check in checks)
        {
            var result = check.Invoke(null, [name, "flag"]);
            var errors = result as IEnumerable<ValidationError> ?? (result is ValidationError single ? [single] : []);
            Assert.True(errors.Any(), $"{check.Name} accepts {Escape(name)}");
            Assert.All(errors, e => Assert.Equal("flag", e.Path));
        }
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void AHostileEnvironmentName_IsRefusedByValidation_FromTheApiAndFromJson(int index)
    {
        var name = Hostile[index];
        var fromApi = Repository("octo-org/a", Environment(name)).Validate();
        var escaped = string.Concat(name.Select(c => $"\\u{(int)c:X4}"));
        var json = $$"""{"repository": "octo-org/a", "environments": [{"name": "{{escaped}}"}]}""";
        ValidationResult fromJson;
        try
        {
            fromJson = MlEnvironmentsJson.DeserializeRepositorySet(json).Validate();
        }
        catch (DefinitionFormatException e)
        {
            // Only a lone surrogate stops the reader itself.
            Assert.Contains("surrogate", e.Message, StringComparison.Ordinal);
            fromJson = ValidationResult.FromErrors([new ValidationError(e.Path, "read", e.Message)]);
        }

        Assert.False(fromApi.IsValid);
        Assert.False(fromJson.IsValid);

        // Paths and offending values show invisible characters escaped.
        foreach (var error in fromApi.Errors.Concat(fromJson.Errors))
        {
            Assert.Null(NameRules.FindRefusedCharacter(error.Path));
            Assert.Null(NameRules.FindRefusedCharacter(error.OffendingValue ?? string.Empty));
        }
    }

    [Fact]
    public void NamesGitHubAccepts_AreAccepted()
    {
        foreach (var name in new[] { "prod", "Production EU", "release/v1", "a.b", "...", "ünïcödé", "日本", "prod-😀", "a:b", "100%", "{x}" })
        {
            Assert.True(Repository("octo-org/a", Environment(name)).Validate().IsValid, name);
        }

        Assert.Null(NameRules.CheckModelName("credit-risk_v2.onnx"));
        Assert.Null(NameRules.CheckModelVersion("12"));
        Assert.Null(NameRules.CheckWorkflowFileName("promote.yml"));
        Assert.NotNull(NameRules.CheckWorkflowFileName("ci/promote.yml"));
        Assert.NotNull(NameRules.CheckWorkflowFileName("promote.sh"));
        Assert.NotNull(NameRules.CheckModelName("-model"));
    }

    /// <summary>Every enum a definition holds, found by reflection; a new one fails here until it has a case (and a check).</summary>
    [Fact]
    public void AnUndefinedValueOfEveryEnumOfTheModel_FailsValidation_NamingTheField()
    {
        var cases = new Dictionary<Type, (Func<RepositoryDefinition> Build, string Path)>
        {
            [typeof(DeploymentBranchPolicyKind)] = (() => Repo(Environment("prod").WithBranchPolicy(Set(DeploymentBranchPolicy.AllBranches, "Kind", (DeploymentBranchPolicyKind)99))), "environments[prod].branchPolicy.mode"),
            [typeof(DeploymentRefType)] = (() => Repo(Environment("prod").WithBranchPolicy(DeploymentBranchPolicy.Custom([new DeploymentRefPattern("main", (DeploymentRefType)99)]))), "environments[prod].branchPolicy.patterns[0]"),
            [typeof(ReviewerKind)] = (() => Repo(Environment("prod").RequireReviewers(Set(User("ana"), "Kind", (ReviewerKind)99))), "environments[prod].reviewers[0]"),
            [typeof(PromotionGateKind)] = (() => Repo(Environment("prod").WithGates(Set(TrainingJobCompleted(), "Kind", (PromotionGateKind)99))), "environments[prod].gates[0].type"),
            [typeof(MetricDirection)] = (() => Repo(Environment("prod").WithGates(ImprovesOnChampion("auc", (MetricDirection)99))), "environments[prod].gates[0].direction"),
            [typeof(WorkspaceLoginKind)] = (() => Repo(Environment("prod").BindWorkspace(Workspace(SubscriptionId, "rg", "mlw-prod"), Set(OidcLogin(Identity()), "Kind", (WorkspaceLoginKind)99))), "environments[prod].workspace.login"),
            [typeof(SecretSource)] = (() => Repo(Environment("prod").WithSecret("TOKEN", Set(SecretValue.FromEnvironmentVariable("TOKEN"), "Source", (SecretSource)99))), "environments[prod].secrets[TOKEN]"),
        };

        Assert.Equal(EnumsOfTheModel().OrderBy(t => t.Name), cases.Keys.OrderBy(t => t.Name));
        foreach (var (type, (build, path)) in cases)
        {
            var result = build().Validate();
            var error = Assert.Single(result.Errors, e => e.Rule == ValidationRules.UndefinedValue);
            Assert.Equal(path, error.Path);
            Assert.Contains(type.Name, error.Message, StringComparison.Ordinal);
        }
    }

    private static HashSet<Type> EnumsOfTheModel()
    {
        var found = new HashSet<Type>();
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>([typeof(RepositorySetDefinition)]);
        while (queue.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var propertyType = property.PropertyType;
                if (propertyType.IsGenericType)
                {
                    propertyType = propertyType.GetGenericArguments()[0];
                }

                propertyType = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
                if (propertyType.IsEnum)
                {
                    found.Add(propertyType);
                }
                else if (propertyType.Assembly == typeof(RepositorySetDefinition).Assembly)
                {
                    queue.Enqueue(propertyType);
                }
            }
        }

        return found;
    }

    private static T Set<T, TValue>(T instance, string property, TValue value)
        where T : class
    {
        var clone = (T)typeof(object).GetMethod("MemberwiseClone", BindingFlags.NonPublic | BindingFlags.Instance)!.Invoke(instance, null)!;
        var field = typeof(T).GetField($"<{property}>k__BackingField", BindingFlags.NonPublic | BindingFlags.Instance)!;
        field.SetValue(clone, value);
        return clone;
    }

    private static RepositoryDefinition Repo(EnvironmentDefinition environment) => Repository("octo-org/a", environment);

    private static UserAssignedIdentityId Identity() =>
        UserAssignedIdentityId.Parse($"/subscriptions/{SubscriptionId}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-prod");

    /// <summary>Each object of a document that uses every feature, in turn, holds one of its properties twice.</summary>
    [Fact]
    public void ADuplicatedProperty_IsRefused_AtEveryObjectLevel_WithItsPath()
    {
        var document = JsonNode.Parse(MlEnvironmentsJson.SerializeFile(RichRepository()))!;
        var objects = new List<(JsonObject Node, string Path)>();
        Collect(document, "$", objects);

        Assert.True(objects.Count > 15, $"{objects.Count} objects");
        foreach (var (node, path) in objects)
        {
            var text = WriteWithDuplicate(document, node);
            var name = node.First().Key;
            var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySet(text));
            Assert.Equal(path + "." + name, e.Path);
            Assert.Contains("more than once", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal("$.name", Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment("""{"name": "prod", "name": "dev"}""")).Path);
        Assert.Equal("$.environments", Assert.Throws<DefinitionFormatException>(() =>
            MlEnvironmentsJson.DeserializeRepository("""{"repository": "octo-org/a", "environments": [], "environments": [{"name": "x"}]}""")).Path);
    }

    private static void Collect(JsonNode node, string path, List<(JsonObject, string)> objects)
    {
        switch (node)
        {
            case JsonObject obj:
                objects.Add((obj, path));
                foreach (var (key, value) in obj)
                {
                    if (value is not null)
                    {
                        Collect(value, path + "." + key, objects);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Collect(array[i]!, $"{path}[{i}]", objects);
                }

                break;
        }
    }

    private static string WriteWithDuplicate(JsonNode root, JsonObject target)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, root, target);
        }

        return Encoding.UTF8.GetString(stream.ToArray());

        static void Write(Utf8JsonWriter writer, JsonNode? node, JsonObject target)
        {
            switch (node)
            {
                case JsonObject obj:
                    writer.WriteStartObject();
                    foreach (var (key, value) in obj)
                    {
                        writer.WritePropertyName(key);
                        Write(writer, value, target);
                    }

                    if (ReferenceEquals(obj, target))
                    {
                        var (key, value) = obj.First();
                        writer.WritePropertyName(key);
                        Write(writer, value, target);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonArray array:
                    writer.WriteStartArray();
                    foreach (var item in array)
                    {
                        Write(writer, item, target);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    node!.WriteTo(writer);
                    break;
            }
        }
    }

    public static readonly TheoryData<string> NotWholeNumbers = new()
    {
        "1e-300", "-1e-300", "0.5", "1.0000000000000000001", "2.5e0", "1e400", "9223372036854775808", "-9223372036854775809", "1e19", "123456789012345678901234567890",
        "1e-99999999999999999999", "\"3\"", "true", "null",
    };

    /// <summary>Every whole-number property of an environment (found in the schema) refuses what is not a whole number.</summary>
    [Theory]
    [MemberData(nameof(NotWholeNumbers))]
    public void EveryWholeNumberProperty_RefusesWhatIsNotAWholeNumber(string number)
    {
        var properties = IntegerPropertiesOfAnEnvironment();
        Assert.Equal(["protectionRules", "waitTimerMinutes"], properties.Select(p => p.Name).Order());
        foreach (var (name, isArray) in properties)
        {
            var json = $$"""{"name": "prod", "{{name}}": {{(isArray ? "[" + number + "]" : number)}}}""";
            var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment(json));
            Assert.Equal(isArray ? $"$.{name}[0]" : $"$.{name}", e.Path);
        }
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("30.0", 30)]
    [InlineData("3e1", 30)]
    [InlineData("3.0E+1", 30)]
    [InlineData("300e-1", 30)]
    [InlineData("0e0", 0)]
    [InlineData("-0", 0)]
    [InlineData("0.0000e-5000000000000000000000", 0)]
    public void WholeNumbersWrittenAnyWay_AreReadExactly(string number, int minutes)
    {
        var environment = MlEnvironmentsJson.DeserializeEnvironment($$"""{"name": "prod", "waitTimerMinutes": {{number}}, "protectionRules": [{{number}}]}""");

        Assert.Equal(TimeSpan.FromMinutes(minutes), environment.WaitTimer);
        Assert.Equal(minutes, environment.ProtectionRuleAppIds.Single());
    }

    [Fact]
    public void ANumberBeyondDouble_IsRefused_WhereANumberIsExpected()
    {
        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment(
            """{"name": "prod", "gates": [{"type": "metricAtLeast", "metric": "auc", "threshold": 1e400}]}"""));

        Assert.Equal("$.gates[0].threshold", e.Path);
    }

    private static List<(string Name, bool IsArray)> IntegerPropertiesOfAnEnvironment()
    {
        var schema = JsonNode.Parse(MlEnvironmentsJson.GetSchema())!["$defs"]!["environment"]!["properties"]!.AsObject();
        return [.. schema
            .Where(p => (string?)p.Value!["type"] == "integer" || (string?)p.Value!["items"]?["type"] == "integer")
            .Select(p => (p.Key, (string?)p.Value!["type"] == "array"))];
    }

    [Theory]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "a\ud800b"}]}""", "$.environments[0].name")]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "a\udc00"}]}""", "$.environments[0].name")]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "a", "variables": {"X": "\ud83d"}}]}""", "$.environments[0].variables.X")]
    [InlineData("""{"repository": "octo-org/a", "x\ud800": 1}""", "$")]
    public void ALoneSurrogate_IsADefinitionError_WithItsPath(string json, string path)
    {
        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySet(json));

        Assert.Equal(path, e.Path);
        Assert.Contains("unpaired UTF-16 surrogate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUnicodeInTheTextItself_IsADefinitionError()
    {
        Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySet("{\"repository\": \"octo-org/a\", \"environments\": [{\"name\": \"a\uD800b\"}]}"));
        await Assert.ThrowsAsync<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySetAsync(
            new MemoryStream([.. "{\"repository\": \"octo-org/a\", \"environments\": [{\"name\": \""u8, 0xC3, 0x28, .. "\"}]}"u8])));
    }

    /// <summary>
    /// A few hundred malformed inputs from a fixed seed (truncations, byte flips, duplicated keys, random Unicode, deep
    /// nesting, odd numbers): only <see cref="DefinitionFormatException"/> may escape the reader, and what it accepts
    /// validates without throwing.
    /// </summary>
    [Fact]
    public async Task TheReader_ThrowsOnlyDefinitionFormatException_OnMalformedInput()
    {
        var random = new Random(20261207);
        var seeds = new[]
        {
            MlEnvironmentsJson.SerializeFile(RichRepository()),
            MlEnvironmentsJson.SerializeFile(new RepositorySetDefinition([RichRepository(), Repository("octo-org/b", Environment("dev"))])),
        };
        string[] pieces = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\"name\": \"x\",", "1e400", "1e-300", "-0", "null", "true", "\"$schema\": 1,", "\u2028", "\u0000", "\uFEFF", "\uD83D", "//", "/*"];
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 600; i++)
        {
            var seed = seeds[random.Next(seeds.Length)];
            var bytes = Encoding.UTF8.GetBytes(seed);
            string? text = null;
            byte[]? raw = null;
            switch (i % 6)
            {
                case 0:
                    text = seed[..random.Next(seed.Length)];
                    break;
                case 1:
                    raw = (byte[])bytes.Clone();
                    for (var flips = random.Next(1, 4); flips > 0; flips--)
                    {
                        raw[random.Next(raw.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 2:
                    var braces = Enumerable.Range(0, seed.Length).Where(p => seed[p] == '{').ToList();
                    var at = braces[random.Next(braces.Count)] + 1;
                    var keys = System.Text.RegularExpressions.Regex.Matches(seed, "\"([A-Za-z$_]+)\":").Select(m => m.Value).ToList();
                    text = seed[..at] + keys[random.Next(keys.Count)] + " \"x\", " + seed[at..];
                    break;
                case 3:
                    var position = random.Next(seed.Length);
                    var insert = random.Next(3) == 0
                        ? pieces[random.Next(pieces.Length)]
                        : char.ConvertFromUtf32(random.Next(2) == 0 ? random.Next(0x20, 0xD800) : random.Next(0xE000, 0x10FFFF)) + (char)random.Next(0xD800, 0xE000);
                    text = seed[..position] + insert + seed[position..];
                    break;
                case 4:
                    var depth = random.Next(1, 300);
                    text = random.Next(2) == 0
                        ? new string('[', depth) + seed + new string(']', depth)
                        : string.Concat(Enumerable.Repeat("{\"repositories\": [", depth)) + "{\"repository\": \"octo-org/a\"}" + string.Concat(Enumerable.Repeat("]}", depth));
                    break;
                default:
                    var numbers = System.Text.RegularExpressions.Regex.Matches(seed, "(?<=: )-?[0-9][0-9.eE+-]*").ToList();
                    text = seed;
                    if (numbers.Count > 0)
                    {
                        var number = numbers[random.Next(numbers.Count)];
                        var replacement = new[] { "1e-300", "1e400", "-1", "9223372036854775808", "0.5", "NaN", "\"1\"", "1e2", "-0.0" }[random.Next(9)];
                        text = seed[..number.Index] + replacement + seed[(number.Index + number.Length)..];
                    }

                    break;
            }

            string outcome;
            try
            {
                var set = raw is null
                    ? MlEnvironmentsJson.DeserializeRepositorySet(text!)
                    : await MlEnvironmentsJson.DeserializeRepositorySetAsync(new MemoryStream(raw));
                outcome = set.Validate().IsValid ? "valid" : "invalid";
                if (outcome == "valid" && text is not null)
                {
                    // What the reader and validation accept, the schema accepts too.
                    MlEnvironments.Tests.Serialization.SchemaTests.AssertValid(text, $"input {i}");
                }
            }
            catch (DefinitionFormatException)
            {
                outcome = "refused";
            }
            catch (Exception e)
            {
                Assert.Fail($"input {i} ({Escape((text ?? Encoding.UTF8.GetString(raw!))[..Math.Min(200, (text ?? string.Empty).Length)])}) threw {e.GetType().Name}: {e.Message}");
                throw;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.GetValueOrDefault("refused") > 300, string.Join(", ", outcomes));
    }

    private static RepositoryDefinition RichRepository()
    {
        var registry = MachineLearning.MachineLearningRegistryId.Parse($"/subscriptions/{SubscriptionId}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/registries/reg-shared");
        return Repository("octo-org/credit-risk",
            Environment("dev")
                .BindWorkspace(Workspace(SubscriptionId, "rg-ml", "mlw-dev"), ServicePrincipalLogin(Guid.Parse("11111111-1111-1111-1111-111111111111"), Guid.Parse("22222222-2222-2222-2222-222222222222"), SecretValue.FromEnvironmentVariable("SP_SECRET")))
                .AllowBranches("main").AllowTags("v*")
                .WithSecret("TOKEN", SecretValue.FromConfiguration("Secrets:Token")),
            Environment("prod")
                .RequireReviewers(User("ana"), Team("ml-leads"))
                .WithWaitTimer(TimeSpan.FromMinutes(30))
                .PreventSelfReview()
                .PreventAdminsBypass()
                .BindWorkspace(Workspace(SubscriptionId, "rg-ml", "mlw-prod"), OidcLogin(Identity()))
                .ShareThroughRegistry(registry)
                .WithVariable("MODEL_NAME", "credit-risk")
                .WithSecret("API_KEY", SecretValue.Existing)
                .WithGates(MetricAtLeast("auc", 0.8), ImprovesOnChampion("auc", MetricDirection.LowerIsBetter, 0.01), RequiredTag("validated", "true"), TrainingJobCompleted())
                .RequireProtectionRule(777));
    }

    private static string Escape(string text) => string.Concat(text.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}
