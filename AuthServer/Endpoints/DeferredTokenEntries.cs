using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Endpoints;

/// <summary>
/// OpenIddict's token store, except that a sign-in's token writes wait for the sign-in's last step
/// (<see cref="SaveTokenEntries"/>) and are committed there, in one write transaction, before the
/// response leaves. OpenIddict saves each on its own: the redemption of the presented refresh
/// token, the access token's insert, the refresh token's insert, then its payload. Each is a durable
/// commit that waits for SQLite's one writer. A sign-in that fails half-way now writes nothing.
/// The lookup of a presented refresh token is a compiled query.
/// </summary>
internal sealed class DeferredTokenStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    SignInTokenWrites writes)
    : OpenIddictEntityFrameworkCoreTokenStore(cache, context, options)
{
    // Note: the lookup every refresh makes (the presented handle's entry, with its client and
    // login), compiled once instead of built and looked up on every call.
    private static readonly Func<DbContext, string, CancellationToken, Task<OpenIddictEntityFrameworkCoreToken?>> ByReferenceId =
        EF.CompileAsyncQuery((DbContext db, string referenceId, CancellationToken _) =>
            db.Set<OpenIddictEntityFrameworkCoreToken>()
                .Include(token => token.Application)
                .Include(token => token.Authorization)
                .AsTracking()
                .FirstOrDefault(token => token.ReferenceId == referenceId));

    public override async ValueTask<OpenIddictEntityFrameworkCoreToken?> FindByReferenceIdAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);

        // An entry this request created or read already is the one to return, unsaved changes included.
        var db = await Context.GetDbContextAsync(cancellationToken);
        foreach (var entry in db.ChangeTracker.Entries<OpenIddictEntityFrameworkCoreToken>())
        {
            if (string.Equals(entry.Entity.ReferenceId, identifier, StringComparison.Ordinal))
            {
                return entry.Entity;
            }
        }

        return await ByReferenceId(db, identifier, cancellationToken);
    }

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

        var db = await Context.GetDbContextAsync(cancellationToken);

        // Note: the base method attaches the entry as an existing row, which one that is not
        // written yet is not: it stays an insert, with its new values.
        if (db.Entry(token).State == EntityState.Added)
        {
            token.ConcurrencyToken = Guid.NewGuid().ToString();
            return;
        }

        if (writes.Gathering)
        {
            // As the base method does, but the update waits for the sign-in's save. The concurrency
            // token read with the entry stays the update's condition.
            db.Attach(token);
            token.ConcurrencyToken = Guid.NewGuid().ToString();
            db.Update(token);
            return;
        }

        await base.UpdateAsync(token, cancellationToken);
    }
}

/// <summary>Whether this request's sign-in is gathering its token writes for one save.</summary>
internal sealed class SignInTokenWrites
{
    public bool Gathering { get; set; }
}

/// <summary>
/// Starts gathering a refresh_token grant's writes just before OpenIddict redeems the presented
/// token. Only there: for a grant whose redemption must succeed (an authorization code),
/// OpenIddict needs the conflict at once, which is not this server's case (it has no such grant).
/// </summary>
internal sealed class GatherTokenWrites(SignInTokenWrites writes) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseScopedHandler<GatherTokenWrites>()
            .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        writes.Gathering = context.EndpointType == OpenIddictServerEndpointType.Token && context.Request.IsRefreshTokenGrantType();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Commits what the sign-in gathered: the redemption of the presented refresh token and the new
/// token entries (or an access token alone, as in client_credentials), in one transaction.
/// </summary>
internal sealed class SaveTokenEntries(ApplicationDbContext db, SignInTokenWrites writes) : IOpenIddictServerHandler<ProcessSignInContext>
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
        // Note: the gathering ends here, whether or not there is anything to save.
        var gathered = writes.Gathering;
        writes.Gathering = false;
        if (!db.ChangeTracker.HasChanges())
        {
            return;
        }

        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateConcurrencyException conflict) when (gathered && conflict.Entries.All(IsRedemption))
        {
            // Another request redeemed the same refresh token after this one read it. OpenIddict
            // ignores that conflict for refresh tokens (concurrent requests within the reuse
            // leeway), and so does this: the new tokens are saved, the other's redemption stays.
            foreach (var entry in conflict.Entries)
            {
                entry.State = EntityState.Unchanged;
            }

            await db.SaveChangesAsync(context.CancellationToken);
        }
    }

    private static bool IsRedemption(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry)
        => entry is { Entity: OpenIddictEntityFrameworkCoreToken, State: EntityState.Modified };
}
