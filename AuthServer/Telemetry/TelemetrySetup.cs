namespace AuthServer.Telemetry;

/// <summary>AuthServer's meter and the OpenIddict handlers that feed it.</summary>
internal static class TelemetrySetup
{
    public static OpenIddictServerBuilder MeasureTokenRequests(this OpenIddictServerBuilder server)
    {
        server.Services.AddSingleton<AuthServerMetrics>();
        return server.AddEventHandler(StartTokenRequestClock.Descriptor).AddEventHandler(MeasureTokenResponse.Descriptor);
    }
}
