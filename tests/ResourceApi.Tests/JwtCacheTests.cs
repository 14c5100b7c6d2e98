using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using AuthRefresh.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenIddict.Validation.AspNetCore;

namespace ResourceApi.Tests;

/// <summary>
/// In JWT mode a token that passed validation is answered from memory for a while, never past its
/// expiry; its scope is still checked on every request, and any other token string is validated
/// in full.
/// </summary>
public sealed class JwtCacheTests(ApiFixture fixture) : IClassFixture<ApiFixture>, IDisposable
{
    private readonly TokenClient _tokens = fixture.AuthServer.CreateTokenClient();
    private readonly List<IDisposable> _started = [];

    public void Dispose() => _started.ForEach(started => started.Dispose());

    [Theory]
    [InlineData("00:05:00", 1, 1)] // the second request is answered from the cache
    [InlineData("00:00:00", 2, 0)] // no cache time: every request is validated
    public async Task Two_requests_with_one_token_miss_then_hit_unless_the_cache_time_is_zero(string duration, int misses, int hits)
    {
        var (api, lookups) = StartApi(duration);
        var login = await _tokens.LoginAsync();

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);

        Assert.Equal(misses, lookups.Count("miss"));
        Assert.Equal(hits, lookups.Count("hit"));
    }

    [Fact]
    public async Task A_cached_token_with_another_signature_is_verified_and_refused()
    {
        var (api, _) = StartApi();
        var login = await _tokens.LoginAsync();
        var other = await _tokens.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);

        // The cached token's header and claims with a real signature from the same key, over
        // other claims.
        var parts = login.AccessToken!.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{other.AccessToken!.Split('.')[2]}";
        var response = await api.GetAsync("/api/notes", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cached_token_is_still_checked_for_its_scope()
    {
        var (api, lookups) = StartApi();
        var audit = await _tokens.PasswordAsync("alice", "Pass123$", scope: "audit");

        var first = await api.GetAsync("/api/notes", audit.AccessToken);
        var cached = await api.GetAsync("/api/notes", audit.AccessToken);

        Assert.Equal(1, lookups.Count("hit"));
        foreach (var response in new[] { first, cached })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.Status);
            Assert.Contains("error=\"insufficient_scope\"", response.WwwAuthenticate, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_cached_token_is_refused_once_it_expires_however_long_the_cache_time()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (api, lookups) = StartApi("00:10:00", time);
        var login = await _tokens.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);
        Assert.Equal(1, lookups.Count("hit"));

        time.Advance(TimeSpan.FromMinutes(6)); // access tokens live 5 minutes
        var response = await api.GetAsync("/api/notes", login.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(1, lookups.Count("hit"));
    }

    [Fact]
    public async Task OpenIddicts_validation_is_started_for_a_miss_or_a_challenge_but_not_for_a_hit()
    {
        var started = new ConcurrentQueue<bool>();
        var (api, lookups) = StartApi(services: services => services.AddSingleton<IStartupFilter>(new RecordValidationStart(started)));
        var login = await _tokens.LoginAsync();

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);
        var anonymous = await api.GetAsync("/api/notes", token: null);

        Assert.Equal(1, lookups.Count("hit"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("Bearer", anonymous.WwwAuthenticate);
        Assert.Equal([true, false, true], started);
    }

    [Fact]
    public async Task The_authentication_middleware_starts_every_request_handler_scheme_but_OpenIddicts_validation()
    {
        using var api = new ResourceApiFactory(fixture.AuthServer.Address);
        var schemes = api.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.NotNull(await schemes.GetSchemeAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme));
        Assert.Empty(await schemes.GetRequestHandlerSchemesAsync());

        schemes.AddScheme(new AuthenticationScheme("another", displayName: null, typeof(AnotherRequestHandler)));

        Assert.Equal(["another"], (await schemes.GetRequestHandlerSchemesAsync()).Select(scheme => scheme.Name));
    }

    private (ApiClient Api, CacheLookups Lookups) StartApi(
        string duration = "00:05:00", FakeTimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var api = new ResourceApiFactory(fixture.AuthServer.Address, new Dictionary<string, string?>
        {
            ["Validation:JwtCacheDuration"] = duration,
        }, time, services);
        _started.Add(api);
        var client = new ApiClient(api.CreateClient());
        var lookups = new CacheLookups(api.Services);
        _started.Add(lookups);
        return (client, lookups);
    }

    /// <summary>A request handler scheme the middleware would start; never called here.</summary>
    private sealed class AnotherRequestHandler : IAuthenticationRequestHandler
    {
        public Task<bool> HandleRequestAsync() => Task.FromResult(false);

        public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context) => Task.CompletedTask;

        public Task<AuthenticateResult> AuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

        public Task ChallengeAsync(AuthenticationProperties? properties) => Task.CompletedTask;

        public Task ForbidAsync(AuthenticationProperties? properties) => Task.CompletedTask;
    }

    /// <summary>
    /// Records whether OpenIddict's validation was started for each request, as its answer starts
    /// (so before the client can see it).
    /// </summary>
    private sealed class RecordValidationStart(ConcurrentQueue<bool> started) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                context.Response.OnStarting(() =>
                {
                    started.Enqueue(context.Features.Get<OpenIddictValidationAspNetCoreFeature>() is not null);
                    return Task.CompletedTask;
                });
                return then(context);
            });
            next(app);
        };
    }

    /// <summary>The cache lookups of one ResourceApi (its own meter factory), by result.</summary>
    private sealed class CacheLookups : IDisposable
    {
        private readonly ConcurrentDictionary<string, long> _counts = new();
        private readonly MeterListener _listener = new();

        public CacheLookups(IServiceProvider services)
        {
            var meters = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "resourceapi.token_cache.lookups")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? kind = null, result = null;
                foreach (var tag in tags)
                {
                    kind = tag.Key == "kind" ? tag.Value as string : kind;
                    result = tag.Key == "result" ? tag.Value as string : result;
                }

                if (kind == "jwt" && result is not null)
                {
                    _counts.AddOrUpdate(result, value, (_, total) => total + value);
                }
            });
            _listener.Start();
        }

        public long Count(string result) => _counts.GetValueOrDefault(result);

        public void Dispose() => _listener.Dispose();
    }
}
