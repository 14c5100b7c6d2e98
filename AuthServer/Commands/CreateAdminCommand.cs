using AuthServer.Data;
using Microsoft.AspNetCore.Identity;

namespace AuthServer.Commands;

/// <summary>
/// <c>create-admin --username NAME --email EMAIL [--password P]</c>: creates an administrator,
/// like Django's <c>createsuperuser</c>. Asks for the password when it is not given.
/// Exit codes: 0 created, 1 refused (the reasons are printed), 2 bad usage.
/// </summary>
public static class CreateAdminCommand
{
    public const string Name = "create-admin";

    private const string Usage = "usage: create-admin --username NAME --email EMAIL [--password PASSWORD]";

    public static async Task<int> RunAsync(
        IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (!TryParse(args.Skip(1).ToArray(), out var options, out var problem))
        {
            await error.WriteLineAsync(problem);
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var password = options.GetValueOrDefault("password") ?? await AskPasswordAsync(input, output);
        if (string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("No password was given.");
            return 2;
        }

        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = options["username"], Email = options["email"], EmailConfirmed = true };

        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, UsersSeed.AdminRole);
        }

        if (!result.Succeeded)
        {
            foreach (var failure in result.Errors)
            {
                await error.WriteLineAsync($"error: {failure.Description}");
            }

            return 1;
        }

        await output.WriteLineAsync($"Administrator '{user.UserName}' created.");
        return 0;
    }

    private static bool TryParse(string[] args, out Dictionary<string, string> options, out string problem)
    {
        options = new(StringComparer.Ordinal);
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i] switch
            {
                "--username" => "username",
                "--email" => "email",
                "--password" => "password",
                _ => null,
            };

            if (name is null || i + 1 >= args.Length)
            {
                problem = name is null ? $"Unknown argument '{args[i]}'." : $"{args[i]} needs a value.";
                return false;
            }

            options[name] = args[++i];
        }

        foreach (var required in new[] { "username", "email" })
        {
            if (!options.ContainsKey(required))
            {
                problem = $"--{required} is required.";
                return false;
            }
        }

        return true;
    }

    private static async Task<string?> AskPasswordAsync(TextReader input, TextWriter output)
    {
        await output.WriteAsync("Password: ");
        if (input != Console.In || Console.IsInputRedirected)
        {
            return await input.ReadLineAsync();
        }

        // Note: typed characters are not echoed, so the password does not stay on the screen.
        var password = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        await output.WriteLineAsync();
        return password.ToString();
    }
}
