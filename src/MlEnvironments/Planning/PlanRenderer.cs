using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace MlEnvironments.Planning;

/// <summary>Renders plans as text, JSON and Markdown. Secret values never reach any of them: a plan holds none.</summary>
internal static class PlanRenderer
{
    public static string RenderText(RepositoryPlan plan)
    {
        var builder = new StringBuilder();
        builder.Append("Plan for ").Append(plan.Repository).AppendLine(":");
        foreach (var change in plan.Changes)
        {
            builder.Append("  ").AppendLine(change.Describe());
        }

        if (!plan.Notes.IsEmpty)
        {
            builder.AppendLine("Left alone:");
            foreach (var note in plan.Notes)
            {
                builder.Append("  ").AppendLine(note.ToString());
            }
        }

        builder.Append(plan.Summary);
        return builder.ToString();
    }

    public static string RenderJson(RepositoryPlan plan)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("repository", plan.Repository.ToString());
            writer.WriteBoolean("hasChanges", plan.HasChanges);
            writer.WriteStartObject("summary");
            writer.WriteNumber("create", plan.CreateCount);
            writer.WriteNumber("update", plan.UpdateCount);
            writer.WriteNumber("delete", plan.DeleteCount);
            writer.WriteEndObject();
            writer.WriteStartArray("changes");
            foreach (var change in plan.Changes)
            {
                writer.WriteStartObject();
                writer.WriteString("action", Camel(change.Action.ToString()));
                writer.WriteString("kind", Camel(change.Kind.ToString()));
                writer.WriteString("environment", change.EnvironmentName);
                WriteNullable(writer, "target", change.Target);
                WriteNullable(writer, "before", change.Before);
                WriteNullable(writer, "after", change.After);
                writer.WriteBoolean("sensitive", change.IsSensitive);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("notes");
            foreach (var note in plan.Notes)
            {
                writer.WriteStartObject();
                writer.WriteString("severity", Camel(note.Severity.ToString()));
                WriteNullable(writer, "environment", note.EnvironmentName);
                writer.WriteString("message", note.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string RenderMarkdown(RepositoryPlan plan)
    {
        var builder = new StringBuilder();
        builder.Append("### Plan for `").Append(plan.Repository).AppendLine("`").AppendLine();
        if (plan.HasChanges)
        {
            builder.AppendLine("| | Environment | Change | Before | After |");
            builder.AppendLine("|---|---|---|---|---|");
            foreach (var change in plan.Changes)
            {
                var what = change.Kind switch
                {
                    ChangeKind.Environment => "environment",
                    ChangeKind.Reviewers => "reviewers",
                    ChangeKind.WaitTimer => "wait timer",
                    ChangeKind.PreventSelfReview => "prevent self-review",
                    ChangeKind.AdminsBypass => "admins bypass",
                    ChangeKind.BranchPolicy => "deployment branch policy",
                    ChangeKind.BranchPattern => "pattern `" + change.Target + "`",
                    ChangeKind.Secret => "secret `" + change.Target + "`",
                    ChangeKind.FederatedCredential => "Azure federated credential `" + change.Target + "`",
                    ChangeKind.RoleAssignment => "Azure role assignment `" + change.Target + "`",
                    ChangeKind.ProtectionRule => "protection rule (App `" + change.Target + "`)",
                    _ => "variable `" + change.Target + "`",
                };
                builder.Append("| `").Append(change.Symbol).Append("` | ")
                    .Append(Cell(change.EnvironmentName)).Append(" | ")
                    .Append(Cell(what)).Append(" | ")
                    .Append(Cell(change.Before ?? string.Empty)).Append(" | ")
                    .Append(Cell(change.After ?? string.Empty)).AppendLine(" |");
            }

            builder.AppendLine();
        }

        builder.Append("**").Append(plan.Summary).AppendLine("**");
        if (!plan.Notes.IsEmpty)
        {
            builder.AppendLine().AppendLine("<details><summary>Left alone</summary>").AppendLine();
            foreach (var note in plan.Notes)
            {
                builder.Append("- ").AppendLine(Cell(note.ToString()));
            }

            builder.AppendLine().AppendLine("</details>");
        }

        return builder.ToString();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string Camel(string value) => char.ToLowerInvariant(value[0]) + value[1..];

    private static string Cell(string value) =>
        value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
