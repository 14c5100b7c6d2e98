namespace AuthServer.Commands;

/// <summary>The administration commands: <c>dotnet AuthServer.dll COMMAND [options]</c>.</summary>
public static class Commands
{
    public static bool IsCommand(string[] args)
        => args.Length > 0 && args[0] is CreateAdminCommand.Name or RotateKeysCommand.Name;

    public static Task<int> RunAsync(IServiceProvider services, string[] args)
        => args[0] switch
        {
            CreateAdminCommand.Name => CreateAdminCommand.RunAsync(services, args, Console.In, Console.Out, Console.Error),
            RotateKeysCommand.Name => RotateKeysCommand.RunAsync(services, args, Console.Out, Console.Error),
            _ => throw new ArgumentException($"Unknown command '{args[0]}'.", nameof(args)),
        };
}
