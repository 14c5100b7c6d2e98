using AuthRefresh.Testing;

namespace ResourceApi.Tests;

public sealed record ApiPair(AuthServerFactory AuthServer, ResourceApiFactory Api);
