using System.Net;
using System.Text.Json;

namespace ResourceApi.Tests;

public sealed record ApiResponse(HttpStatusCode Status, string WwwAuthenticate, Uri? Location, string Raw, JsonElement Json);
