using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Validation.AspNetCore;

namespace ResourceApi.Telemetry;

/// <summary>
/// The meter <c>AuthRefresh.ResourceApi</c>: the bearer tokens ResourceApi refuses, by reason
/// (the table in docs/OBSERVABILITY.md). A request without a token is not counted; it is no
/// token's rejection.
/// </summary>
public sealed class ApiMetrics
{
    public const string MeterName = "AuthRefresh.ResourceApi";

    private readonly Counter<long> _rejected;

    public ApiMetrics(IMeterFactory meters)
        => _rejected = meters.Create(MeterName).CreateCounter<long>(
            "authrefresh.api.token.rejected", "{token}", "Bearer tokens refused by ResourceApi.");

    /// <summary>A token OpenIddict's validation refused, by the error it gave (its documentation link names the check).</summary>
    public void TokenRejected(AuthenticationProperties? failure)
        => TokenRejected(ReasonOf(failure?.GetString(OpenIddictValidationAspNetCoreConstants.Properties.ErrorUri)));

    public void TokenRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The reason from OpenIddict's error link (…/errors/ID2019 and so on): a fixed list, never the token.</summary>
    internal static string ReasonOf(string? errorUri) => errorUri?[(errorUri.LastIndexOf('/') + 1)..] switch
    {
        "ID2019" => "expired",
        "ID2090" or "ID2091" => "invalid_signature",
        "ID2088" => "invalid_issuer",
        "ID2093" or "ID2094" => "invalid_audience",
        "ID2089" => "invalid_type",
        _ => "invalid",
    };
}
