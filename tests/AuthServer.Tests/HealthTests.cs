using System.Net;
using AuthRefresh.Testing;
using Npgsql;

namespace AuthServer.Tests;

public sealed class HealthTests
{
    [PostgreSqlFact]
    public async Task Readiness_fails_when_the_database_is_gone_and_liveness_does_not()
    {
        var settings = await TestDatabase.SettingsAsync(TestDatabase.PostgreSql, "AuthServer");
        using var server = new AuthServerFactory(settings);
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        var database = new NpgsqlConnectionStringBuilder(settings["ConnectionStrings:AuthServer"]);
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database.Database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.DoesNotContain("Exception", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
    }
}
