using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AuthServer.Stores;

/// <summary>
/// A compiled query, compiled once per EF Core model: a compiled query may only run on the model it
/// was compiled against, and the SQLite and PostgreSQL contexts have a model each (a process uses
/// one; the tests use both).
/// </summary>
internal sealed class PerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConcurrentDictionary<IModel, TQuery> _queries = new(ReferenceEqualityComparer.Instance);

    public TQuery For(DbContext db) => _queries.GetOrAdd(db.Model, static (_, compile) => compile(), compile);
}
