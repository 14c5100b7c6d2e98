using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;

namespace ResourceApi.Auth;

/// <summary>
/// The authentication schemes, without OpenIddict's validation among those the authentication
/// middleware runs on every request: <see cref="CachedBearerHandler"/> starts OpenIddict's request
/// itself (<see cref="CachedBearerHandler.BeginValidationAsync"/>), only when it hands OpenIddict
/// a token, a challenge or a forbid.
/// </summary>
/// <remarks>
/// Note: the middleware calls each request handler scheme before anything else, so OpenIddict set
/// up a transaction and resolved the request's URIs for every call, a token answered from the
/// cache included, for nothing on a hit. Starting it only when needed is a measurable share of
/// ResourceApi's CPU per call under load (docs/PERFORMANCE.md). Its validation handles no request
/// at this stage (it has no endpoints), so starting it later changes no answer.
/// </remarks>
internal sealed class DeferredValidationSchemes(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    private Filtered? _last;

    public override async Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
    {
        // Note: the base class returns the same collection until a scheme is added or removed.
        var all = await base.GetRequestHandlerSchemesAsync();
        if (_last is { } last && ReferenceEquals(last.All, all))
        {
            return last.Run;
        }

        var run = all.Where(scheme => scheme.Name != OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).ToArray();
        _last = new Filtered(all, run);
        return run;
    }

    private sealed record Filtered(IEnumerable<AuthenticationScheme> All, AuthenticationScheme[] Run);
}
