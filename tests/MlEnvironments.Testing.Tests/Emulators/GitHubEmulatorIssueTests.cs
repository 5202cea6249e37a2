using System.Net;
using System.Text.Json;

namespace MlEnvironments.Testing.Tests.Emulators;

/// <summary>The issue operations over raw HTTP: every answer conforms to its response schema in GitHub's description.</summary>
public class GitHubEmulatorIssueTests : EmulatorTestBase
{
    protected override InMemoryGitHub CreateState() => new InMemoryGitHub().AddRepository(Repo);

    [Fact]
    public async Task CreateListUpdateCommentClose_ConformToTheDescription()
    {
        var created = await ReadConformingAsync(
            await SendAsync(HttpMethod.Post, "repos/octo-org/credit-risk/issues", """{"title":"Drift","body":"<!-- m -->\nfound"}"""),
            "issues/create", HttpStatusCode.Created);
        Assert.Equal(1, created.GetProperty("number").GetInt64());

        var list = await ReadConformingAsync(await GetAsync("repos/octo-org/credit-risk/issues?state=open&per_page=100"), "issues/list-for-repo");
        Assert.Equal("<!-- m -->\nfound", Assert.Single(list.EnumerateArray()).GetProperty("body").GetString());

        var updated = await ReadConformingAsync(
            await SendAsync(HttpMethod.Patch, "repos/octo-org/credit-risk/issues/1", """{"title":"Drift 2","body":"again"}"""), "issues/update");
        Assert.Equal("Drift 2", updated.GetProperty("title").GetString());

        var comment = await ReadConformingAsync(
            await SendAsync(HttpMethod.Post, "repos/octo-org/credit-risk/issues/1/comments", """{"body":"gone"}"""), "issues/create-comment", HttpStatusCode.Created);
        Assert.Equal("gone", comment.GetProperty("body").GetString());

        var closed = await ReadConformingAsync(
            await SendAsync(HttpMethod.Patch, "repos/octo-org/credit-risk/issues/1", """{"state":"closed","state_reason":"completed"}"""), "issues/update");
        Assert.Equal("closed", closed.GetProperty("state").GetString());
        Assert.Equal(1, closed.GetProperty("comments").GetInt32());
        Assert.Empty((await ReadConformingAsync(await GetAsync("repos/octo-org/credit-risk/issues"), "issues/list-for-repo")).EnumerateArray());
        Assert.Single((await ReadConformingAsync(await GetAsync("repos/octo-org/credit-risk/issues?state=closed"), "issues/list-for-repo")).EnumerateArray());
        Assert.Empty(Emulator.SchemaViolations);
    }

    [Fact]
    public async Task TooLongBody_NoTitle_AndUnknownIssue_AnswerLikeGitHub()
    {
        var tooLong = JsonSerializer.Serialize(new { title = "x", body = new string('a', 65_537) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(HttpMethod.Post, "repos/octo-org/credit-risk/issues", tooLong)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(HttpMethod.Post, "repos/octo-org/credit-risk/issues", """{"body":"no title"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Patch, "repos/octo-org/credit-risk/issues/9", """{"body":"x"}""")).StatusCode);
        Assert.Empty(GitHub.GetIssues(Repo));
    }
}
