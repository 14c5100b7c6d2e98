// SampleClient: the original project's journeys in a Razor Pages site. Its issue fills it in;
// for now it only answers its health check.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => "Healthy");
app.Run();
