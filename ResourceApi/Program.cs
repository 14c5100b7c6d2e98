// ResourceApi: each user's notes behind tokens it validates itself. Its issue fills it in;
// for now it only answers its health check.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => "Healthy");
app.Run();
