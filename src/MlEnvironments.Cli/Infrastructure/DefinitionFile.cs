using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>Reads and writes <c>mlenv.json</c>.</summary>
internal static class DefinitionFile
{
    /// <summary>
    /// Reads the definition of one repository. A file holding several repositories needs <paramref name="repository"/>
    /// to choose one; a file holding one is given <paramref name="repository"/> instead of its own (flags and
    /// environment variables win over the file).
    /// </summary>
    public static async Task<RepositoryDefinition> LoadAsync(string path, RepositoryId? repository, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"{path} is a directory, not a definition file.", $"pass the file: --file {Path.Combine(path, CommonOptions.DefaultFile)}.");
        }

        if (!File.Exists(path))
        {
            throw new CliException(
                $"{path} not found (in {Directory.GetCurrentDirectory()}).",
                "run `mlenv init --repository owner/name` to create it, or pass --file <path>.");
        }

        RepositorySetDefinition set;
        try
        {
            await using var stream = File.OpenRead(path);
            set = await MlEnvironmentsJson.DeserializeRepositorySetAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (DefinitionFormatException e)
        {
            throw new CliException($"{path}: {e.Message}", "fix the file; the README's \"Definition file format\" section describes the format, `mlenv schema` prints its JSON Schema (mlenv init writes a valid file).", e);
        }

        if (set.Repositories.IsEmpty)
        {
            throw new CliException($"{path} defines no repository.", "add one: {\"repository\": \"owner/name\", \"environments\": [ ... ]}.");
        }

        if (set.Repositories.Length > 1)
        {
            if (repository is not { } chosen)
            {
                throw new CliException(
                    $"{path} defines {set.Repositories.Length} repositories; mlenv works on one at a time.",
                    $"choose one with --repository ({string.Join(", ", set.Repositories.Select(r => r.Repository))}).");
            }

            return set.FindRepository(chosen) ?? throw new CliException(
                $"{path} does not define repository {chosen}.",
                $"choose one of: {string.Join(", ", set.Repositories.Select(r => r.Repository))}.");
        }

        var only = set.Repositories[0];
        return repository is { } other && !string.Equals(other.ToString(), only.Repository.ToString(), StringComparison.Ordinal)
            ? MlEnvironment.Repository(other, [.. only.Environments])
            : only;
    }

    /// <summary>Writes a definition file, indented, <c>"$schema"</c> first, with a final newline.</summary>
    public static async Task SaveAsync(string path, RepositoryDefinition definition, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, MlEnvironmentsJson.SerializeFile(definition) + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }
}
