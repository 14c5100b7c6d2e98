using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Stores;

/// <summary>
/// OpenIddict's token and authorization tables as the EF Core model maps them: their names, their
/// columns and how each column's values are written, so that a row written here is stored byte for
/// byte as EF Core (and so OpenIddict's own stores) would store it, on any relational provider.
/// Built once per model.
/// </summary>
internal sealed class TokenTables
{
    private static readonly ConcurrentDictionary<IModel, TokenTables> Cache = new();

    private TokenTables(IModel model, ISqlGenerationHelper sql, bool sqlite)
    {
        Tokens = new Table(model.FindEntityType(typeof(OpenIddictEntityFrameworkCoreToken))!, sql);
        Authorizations = new Table(model.FindEntityType(typeof(OpenIddictEntityFrameworkCoreAuthorization))!, sql);
        IsSqlite = sqlite;

        // Note: on a server database (PostgreSQL) the redemption reads the authorization with a
        // shared lock, so that a revocation of the login waits for a redemption under way, and a
        // redemption that comes after it sees it. SQLite has one writer: the transaction's own
        // read is enough.
        LockForShare = sqlite ? "" : " FOR SHARE";
    }

    /// <summary>Whether the model is SQLite's (<c>Database.IsSqlite()</c> costs a service lookup per call).</summary>
    public bool IsSqlite { get; }

    public Table Tokens { get; }

    public Table Authorizations { get; }

    public string LockForShare { get; }

    public static TokenTables For(DbContext db) => Cache.GetOrAdd(
        db.Model,
        static (model, db) => new TokenTables(model, db.GetService<ISqlGenerationHelper>(), db.Database.IsSqlite()),
        db);

    /// <summary>One table: its delimited name and, for each property, its delimited column and type mapping.</summary>
    internal sealed class Table
    {
        private readonly IEntityType _entity;
        private readonly StoreObjectIdentifier _store;
        private readonly ISqlGenerationHelper _sql;

        public Table(IEntityType entity, ISqlGenerationHelper sql)
        {
            _entity = entity;
            _sql = sql;
            _store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            Name = sql.DelimitIdentifier(_store.Name, _store.Schema);
        }

        public string Name { get; }

        // Note: looked up in the model once per property; every statement of a grant names them.
        private readonly ConcurrentDictionary<string, (string Column, RelationalTypeMapping Mapping)> _columns = new(StringComparer.Ordinal);

        /// <summary>The delimited column of a property (shadow foreign keys included).</summary>
        public string this[string property] => Column(property).Column;

        /// <summary>
        /// Adds a parameter for a value of <paramref name="property"/>'s column, converted as EF Core
        /// would, named after the property unless a command needs two values of one column.
        /// </summary>
        public void Add(DbCommand command, string property, object? value, string? name = null)
            => command.Parameters.Add(Column(property).Mapping
                .CreateParameter(command, _sql.GenerateParameterName(name ?? property), value, nullable: true));

        private (string Column, RelationalTypeMapping Mapping) Column(string property) => _columns.GetOrAdd(
            property,
            static (name, table) =>
            {
                var found = table.Property(name);
                return (table._sql.DelimitIdentifier(found.GetColumnName(table._store)!), found.GetRelationalTypeMapping());
            },
            this);

        /// <summary>The placeholder of a parameter in a statement's text.</summary>
        public string Placeholder(string name) => _sql.GenerateParameterNamePlaceholder(name);

        private IProperty Property(string name)
            => _entity.FindProperty(name) ?? throw new InvalidOperationException($"{_entity.DisplayName()} has no property {name}.");
    }
}
