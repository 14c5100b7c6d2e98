using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Stores;

/// <summary>
/// OpenIddict's application store, with the lookup every token request makes (the client, by its
/// id) as a compiled query. OpenIddict's entity cache lives for one request, so the query runs on
/// every grant.
/// </summary>
internal sealed class CompiledApplicationStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options)
    : OpenIddictEntityFrameworkCoreApplicationStore(cache, context, options)
{
    private static readonly PerModel<Func<DbContext, string, CancellationToken, Task<OpenIddictEntityFrameworkCoreApplication?>>> ByClientId = new(() =>
        EF.CompileAsyncQuery((DbContext db, string clientId, CancellationToken _) =>
            db.Set<OpenIddictEntityFrameworkCoreApplication>().AsTracking().FirstOrDefault(application => application.ClientId == clientId)));

    public override async ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        var db = await Context.GetDbContextAsync(cancellationToken);
        return await ByClientId.For(db)(db, identifier, cancellationToken);
    }
}
