using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Stores;

/// <summary>
/// OpenIddict's scope store, with the lookup every grant makes (the granted scopes, by name, for
/// their resources) as a compiled query.
/// </summary>
internal sealed class CompiledScopeStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options)
    : OpenIddictEntityFrameworkCoreScopeStore(cache, context, options)
{
    private static readonly PerModel<Func<DbContext, string[], IAsyncEnumerable<OpenIddictEntityFrameworkCoreScope>>> ByNames = new(() =>
        EF.CompileAsyncQuery((DbContext db, string[] names) =>
            db.Set<OpenIddictEntityFrameworkCoreScope>().AsTracking().Where(scope => names.Contains(scope.Name))));

    public override async IAsyncEnumerable<OpenIddictEntityFrameworkCoreScope> FindByNamesAsync(
        ImmutableArray<string> names, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (names.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Scope names cannot be null or empty.", nameof(names));
        }

        var db = await Context.GetDbContextAsync(cancellationToken);
        await foreach (var scope in ByNames.For(db)(db, [.. names]).WithCancellation(cancellationToken))
        {
            yield return scope;
        }
    }
}
