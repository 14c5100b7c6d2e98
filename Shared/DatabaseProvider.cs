namespace AuthRefresh.Shared;

/// <summary>The database an app keeps its state in.</summary>
public enum DatabaseProvider
{
    /// <summary>A file beside the app: the embedded default, for one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server, which several nodes of the app can share.</summary>
    PostgreSql,
}
