using AuthServer.Commands;
using AuthServer.Hosting;

var command = Commands.IsCommand(args);
var builder = WebApplication.CreateBuilder(command ? [] : args);
builder.AddAuthServer();

var app = builder.Build();
await app.InitializeAsync();

if (command)
{
    return await Commands.RunAsync(app.Services, args);
}

app.UseAuthServer();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
