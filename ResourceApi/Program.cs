using ResourceApi.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddResourceApi();

var app = builder.Build();
await app.InitializeAsync();
app.UseResourceApi();
await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
