namespace ResourceApi.Hosting;

/// <summary>How ResourceApi is composed: services, then the request pipeline and endpoints.</summary>
/// <summary>What <c>GET /</c> answers: where the API is described and where its health is.</summary>
public sealed record ApiIndex(string Name, string OpenApi, string? Reference, string Live, string Ready);
