using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Endpoints;

/// <summary>
/// OpenIddict's token store, except that a new token entry is written by the request's next save
/// instead of a save of its own. OpenIddict inserts a grant's access token, inserts its refresh
/// token, then stores the refresh token's payload: three write transactions, each a durable commit
/// that waits for SQLite's one writer. Now the three are one transaction, written before the
/// response leaves (<see cref="SaveTokenEntries"/> saves whatever is left at the end of every
/// sign-in), and a sign-in that fails half-way leaves no entry behind. The redemption of the
/// presented refresh token, which reuse detection relies on, is still committed on its own first.
/// </summary>
internal sealed class DeferredTokenStore(
    IMemoryCache cache, IOpenIddictEntityFrameworkCoreContext context, IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options)
    : OpenIddictEntityFrameworkCoreTokenStore(cache, context, options)
{
    public override async ValueTask CreateAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);

        // Note: the entry's key is a GUID the entity makes itself, so it is known before the save.
        var db = await Context.GetDbContextAsync(cancellationToken);
        db.Add(token);
    }

    public override async ValueTask UpdateAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);

        // Note: the base method attaches the entry as an existing row, which one that is not
        // written yet is not: it stays an insert, with its new values.
        var db = await Context.GetDbContextAsync(cancellationToken);
        if (db.Entry(token).State == EntityState.Added)
        {
            token.ConcurrencyToken = Guid.NewGuid().ToString();
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        await base.UpdateAsync(token, cancellationToken);
    }
}

/// <summary>Writes the token entries a sign-in left unsaved (an access token alone, as in client_credentials).</summary>
internal sealed class SaveTokenEntries(ApplicationDbContext db) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseScopedHandler<SaveTokenEntries>()
            // Note: after the last token is generated, before the response is applied (which ends
            // the sign-in's handlers).
            .SetOrder(OpenIddictServerHandlers.AttachSignInParameters.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }
}
