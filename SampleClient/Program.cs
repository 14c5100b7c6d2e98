using SampleClient.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddSampleClient();

var app = builder.Build();
await app.InitializeAsync();
app.UseSampleClient();
await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
