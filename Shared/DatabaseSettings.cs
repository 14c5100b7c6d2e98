namespace AuthRefresh.Shared;

/// <summary>The <c>Database</c> section: which provider the connection string is for.</summary>
public sealed class DatabaseSettings
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
