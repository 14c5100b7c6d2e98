using AuthServer.Data;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Clients;

/// <summary>
/// OpenIddict's application cache, in the shape its application manager asks for, over the
/// process-wide <see cref="ClientCache"/> instead of a new memory cache per request. A miss reads
/// the client through the request's store and keeps it.
/// </summary>
/// <remarks>
/// A client from the cache is handed out as the store would hand it out: tracked, unchanged, by
/// the request's context (or the instance that context tracks already). So the manager's own
/// store queries in the same request (its validation before an update does one) find that same
/// instance, and an update saves it as it would save a client it had read.
/// </remarks>
internal sealed class SharedApplicationCache(
    ClientCache clients, IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store, ApplicationDbContext db)
    : IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication>
{
    private IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> Store => store;

    private OpenIddictEntityFrameworkCoreApplication Track(OpenIddictEntityFrameworkCoreApplication copy)
    {
        if (db.FindTracked<OpenIddictEntityFrameworkCoreApplication>(copy.Id!) is { } tracked)
        {
            return tracked;
        }

        db.AttachUnchanged(copy);
        return copy;
    }

    public ValueTask AddAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken)
    {
        clients.Add(application);
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken)
    {
        clients.Remove(application);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken)
    {
        // Note: a token request asks for its client several times (each validation handler does);
        // after the first, the answer is the instance the context tracks, and no copy is made.
        if (clients.FindId(identifier) is { } id && db.FindTracked<OpenIddictEntityFrameworkCoreApplication>(id) is { } tracked)
        {
            return tracked;
        }

        if (clients.FindByClientId(identifier) is { } cached)
        {
            return Track(cached);
        }

        var version = clients.Version;
        var application = await Store.FindByClientIdAsync(identifier, cancellationToken);
        if (application is not null)
        {
            clients.Add(application, version);
        }

        return application;
    }

    public async ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByIdAsync(string identifier, CancellationToken cancellationToken)
    {
        if (clients.Holds(identifier) && db.FindTracked<OpenIddictEntityFrameworkCoreApplication>(identifier) is { } tracked)
        {
            return tracked;
        }

        if (clients.FindById(identifier) is { } cached)
        {
            return Track(cached);
        }

        var version = clients.Version;
        var application = await Store.FindByIdAsync(identifier, cancellationToken);
        if (application is not null)
        {
            clients.Add(application, version);
        }

        return application;
    }

    // Note: the redirect URIs serve endpoints this server does not enable (authorization, end
    // session); their lookups go to the store.
    public IAsyncEnumerable<OpenIddictEntityFrameworkCoreApplication> FindByPostLogoutRedirectUriAsync(
        [System.Diagnostics.CodeAnalysis.StringSyntax(System.Diagnostics.CodeAnalysis.StringSyntaxAttribute.Uri)] string uri,
        CancellationToken cancellationToken)
        => Store.FindByPostLogoutRedirectUriAsync(uri, cancellationToken);

    public IAsyncEnumerable<OpenIddictEntityFrameworkCoreApplication> FindByRedirectUriAsync(
        [System.Diagnostics.CodeAnalysis.StringSyntax(System.Diagnostics.CodeAnalysis.StringSyntaxAttribute.Uri)] string uri,
        CancellationToken cancellationToken)
        => Store.FindByRedirectUriAsync(uri, cancellationToken);
}
