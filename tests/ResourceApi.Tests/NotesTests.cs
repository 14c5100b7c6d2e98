using System.Net;
using System.Text.Json;
using AuthRefresh.Testing;

namespace ResourceApi.Tests;

public sealed class NotesTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task Notes_can_be_created_read_updated_and_deleted(string database)
    {
        var (token, api) = await OnAsync(database);

        var created = await api.PostAsync("/api/notes", token, new { body = "first" });
        var location = created.Location!.OriginalString;
        var read = await api.GetAsync(location, token);
        var updated = await api.PutAsync(location, token, new { body = "changed" });
        var list = await api.GetAsync("/api/notes", token);
        var deleted = await api.DeleteAsync(location, token);
        var gone = await api.GetAsync(location, token);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("first", created.Json.GetProperty("body").GetString());
        Assert.Equal("first", read.Json.GetProperty("body").GetString());
        Assert.Equal("changed", updated.Json.GetProperty("body").GetString());
        Assert.True(updated.Json.GetProperty("updatedAt").GetDateTimeOffset() >= created.Json.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal("changed", Assert.Single(list.Json.EnumerateArray()).GetProperty("body").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task Another_users_note_is_404_and_stays_untouched(string database)
    {
        var (owner, api) = await OnAsync(database);
        var (intruder, _) = await OnAsync(database);
        var note = (await api.PostAsync("/api/notes", owner, new { body = "private" })).Location!.OriginalString;

        var read = await api.GetAsync(note, intruder);
        var write = await api.PutAsync(note, intruder, new { body = "mine now" });
        var delete = await api.DeleteAsync(note, intruder);
        var list = await api.GetAsync("/api/notes", intruder);

        Assert.Equal(HttpStatusCode.NotFound, read.Status);
        Assert.DoesNotContain("private", read.Raw, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, write.Status);
        Assert.Equal(HttpStatusCode.NotFound, delete.Status);
        Assert.Empty(list.Json.EnumerateArray());
        Assert.Equal("private", (await api.GetAsync(note, owner)).Json.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task The_list_shows_every_write_at_once_in_the_order_written(string database)
    {
        var (token, api) = await OnAsync(database);
        var before = await api.GetAsync("/api/notes", token);

        var first = await api.PostAsync("/api/notes", token, new { body = "first" });
        var second = await api.PostAsync("/api/notes", token, new { body = "second" });
        var afterCreate = await api.GetAsync("/api/notes", token);
        await api.PutAsync(first.Location!.OriginalString, token, new { body = "first, changed" });
        var afterUpdate = await api.GetAsync("/api/notes", token);
        await api.DeleteAsync(second.Location!.OriginalString, token);
        var afterDelete = await api.GetAsync("/api/notes", token);

        Assert.Empty(before.Json.EnumerateArray());
        Assert.Equal([first.Json.GetRawText(), second.Json.GetRawText()], afterCreate.Json.EnumerateArray().Select(note => note.GetRawText()));
        Assert.Equal(["first, changed", "second"], afterUpdate.Json.EnumerateArray().Select(note => note.GetProperty("body").GetString()));
        Assert.Equal(["first, changed"], afterDelete.Json.EnumerateArray().Select(note => note.GetProperty("body").GetString()));
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task The_list_is_sent_whole_with_its_length_and_described_in_the_OpenAPI_document(string database)
    {
        var (token, api) = await OnAsync(database);
        var created = await api.PostAsync("/api/notes", token, new { body = "caf\u00e9 <b>&</b> \"quoted\"" });
        using var http = (await fixture.OnAsync(database)).Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notes");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        // Note: read before the body, which the content would otherwise measure itself once buffered.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var sentLength = response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var length) ? length.ToString() : null;
        var body = await response.Content.ReadAsByteArrayAsync();
        var document = await api.GetAsync("/openapi/v1.json", token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), sentLength);
        var note = Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray());
        Assert.Equal("caf\u00e9 <b>&</b> \"quoted\"", note.GetProperty("body").GetString());
        // Note: byte for byte as Created<T> wrote it through the application's JSON options, escapes included.
        Assert.Equal(created.Json.GetRawText(), note.GetRawText());
        Assert.Equal(["id", "body", "createdAt", "updatedAt"], note.EnumerateObject().Select(property => property.Name));
        var ok = document.Json.GetProperty("paths").GetProperty("/api/notes").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.Equal("array", ok.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("""{"body":""}""", "The body must not be empty.")]
    [InlineData("""{"body":"   "}""", "The body must not be empty.")]
    [InlineData("""{}""", "The body is required.")]
    [InlineData("""{"body":null}""", "The body is required.")]
    public async Task An_invalid_body_gets_400_naming_the_field(string json, string message)
    {
        var (token, api) = await OnAsync(TestDatabase.Sqlite);

        var response = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(message, response.Json.GetProperty("errors").GetProperty("body")[0].GetString());
    }

    [Fact]
    public async Task A_body_of_10000_characters_is_accepted_and_10001_refused()
    {
        var (token, api) = await OnAsync(TestDatabase.Sqlite);

        var longest = await api.PostAsync("/api/notes", token, new { body = new string('x', 10_000) });
        var tooLong = await api.PostAsync("/api/notes", token, new { body = new string('x', 10_001) });
        var update = await api.PutAsync(longest.Location!.OriginalString, token, new { body = new string('x', 10_001) });

        Assert.Equal(HttpStatusCode.Created, longest.Status);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("The body must be at most 10000 characters.", tooLong.Json.GetProperty("errors").GetProperty("body")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, update.Status);
    }

    [Theory]
    [InlineData("{\"body\": ", "application/json")]
    [InlineData("body=text", "application/x-www-form-urlencoded")]
    [InlineData("[1,2]", "application/json")]
    public async Task A_malformed_request_gets_400_never_500(string content, string contentType)
    {
        var (token, api) = await OnAsync(TestDatabase.Sqlite);

        var response = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new StringContent(content, System.Text.Encoding.UTF8, contentType));

        Assert.InRange((int)response.Status, 400, 499);
        Assert.DoesNotContain("   at ", response.Raw, StringComparison.Ordinal);
    }

    /// <summary>A new user's access token on the pair on <paramref name="database"/>, and a client of its API.</summary>
    private async Task<(string Token, ApiClient Api)> OnAsync(string database)
    {
        var pair = await fixture.OnAsync(database);
        var user = await TestUsers.CreateAsync(pair.AuthServer);
        var login = await pair.AuthServer.CreateTokenClient().LoginAsync(user, TestUsers.Password);
        return (login.AccessToken!, new ApiClient(pair.Api.CreateClient()));
    }
}
