using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>The quickstart's real mode against the emulator when GitHub refuses a write: it says what, why and what to do.</summary>
public class QuickstartFailureTests
{
    [Fact]
    public async Task RealMode_ApplyStoppedByGitHub_PrintsTheChange_TheStatus_GitHubsMessage_AndWhatToDo()
    {
        var repository = RepositoryId.Parse("octo-org/quickstart-refused");
        var state = new InMemoryGitHub();
        state.GrantAccess(repository, User("ana")).GrantAccess(repository, Team("ml-leads"));
        state.Faults.FailWhen(
            call => call.IsWrite && call.Environment == "staging",
            call => new RemoteServiceException("GitHub", call.Operation, 403, "Resource not accessible by personal access token\u001b[2J"),
            times: null);
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add("ghp_quickstart_refused");
        await using var emulator = await GitHubEmulator.StartAsync(state, options);

        var (exitCode, output, error) = await QuickstartProcess.RunAsync(emulator, repository, "ghp_quickstart_refused", "--apply");

        Assert.True(exitCode == 1, output + error);
        Assert.Contains("Apply stopped:", output);
        Assert.Contains("FAILED: ", error);
        Assert.Contains("\"staging\"", error);
        Assert.Contains("HTTP 403", error);
        Assert.Contains("Resource not accessible by personal access token", error);
        Assert.Contains("What to do: the token lacks a permission", error);
        Assert.Contains("run again", error);
        Assert.DoesNotContain('\u001b', output + error);
        Assert.Contains("\\u001b[2J", error);
        Assert.DoesNotContain("ghp_quickstart_refused", output + error);
    }
}
