using System.Globalization;
using System.Text;

namespace MlEnvironments.Tests.Definitions;

/// <summary>
/// Renders every property of a definition with its exact spelling (and a literal secret's plaintext), so that a test
/// notices any change, even one that structural equality ignores (such as the case of a variable's name).
/// </summary>
internal static class Snapshot
{
    public static string Of<T>(T value) => value switch
    {
        EnvironmentDefinition e => Of(e),
        RepositoryDefinition r => Of(r),
        RepositorySetDefinition s => Of(s),
        _ => throw new ArgumentException($"No snapshot for {typeof(T)}.", nameof(value)),
    };

    public static string Of(EnvironmentDefinition e)
    {
        var b = new StringBuilder();
        b.Append("name=").Append(e.Name);
        b.Append(";reviewers=").AppendJoin(',', e.Reviewers.Select(r => r.Kind + ":" + r.Name));
        b.Append(";wait=").Append(e.WaitTimer.Ticks.ToString(CultureInfo.InvariantCulture));
        b.Append(";preventSelfReview=").Append(e.PreventsSelfReview);
        b.Append(";canAdminsBypass=").Append(e.CanAdminsBypass);
        b.Append(";policy=").Append(e.BranchPolicy.Kind)
            .Append('[').AppendJoin(',', e.BranchPolicy.Patterns.Select(p => p.Type + ":" + p.Pattern)).Append(']');
        b.Append(";workspace=").Append(e.Binding is null
            ? "-"
            : e.Binding.Workspace.SubscriptionId + "/" + e.Binding.Workspace.ResourceGroupName + "/" + e.Binding.Workspace.WorkspaceName);
        b.Append(";variables=").AppendJoin(',', e.Variables.Select(v => v.Name + "=" + v.Value));
        b.Append(";secrets=").AppendJoin(',', e.Secrets.Select(s =>
            s.Name + "=" + s.Value.Source + ":" + s.Value.Reference + ":" + (s.Value.TryRevealLiteral(out var plaintext) ? plaintext : "-")));
        return b.ToString();
    }

    public static string Of(RepositoryDefinition r) =>
        r.Repository.Owner + "/" + r.Repository.Name + " {" + string.Join(" | ", r.Environments.Select(Of)) + "}";

    public static string Of(RepositorySetDefinition s) => "[" + string.Join(" || ", s.Repositories.Select(Of)) + "]";
}
