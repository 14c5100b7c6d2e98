using Microsoft.Extensions.Options;

namespace AuthServer.Clients;

/// <summary>
/// Stops the server at start when a client is misconfigured, naming the configuration key.
/// Outside Development a confidential client needs a secret of its own: the Development secrets
/// (they start with <c>dev-</c>) are public, they are in the repository.
/// </summary>
internal sealed class ClientsValidation(IHostEnvironment environment) : IValidateOptions<Dictionary<string, ClientSettings>>
{
    public const string DevelopmentSecretPrefix = "dev-";
    private const int MinimumSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, Dictionary<string, ClientSettings> clients)
    {
        var failures = new List<string>();
        foreach (var (clientId, client) in clients)
        {
            var key = $"{ClientSettings.SectionName}:{clientId}";
            if (client.Type is not (ClientSettings.Confidential or ClientSettings.Public))
            {
                failures.Add($"{key}:Type must be 'confidential' or 'public'.");
            }

            failures.AddRange(client.Endpoints.Where(e => !ClientPermissions.Endpoints.Contains(e))
                .Select(e => $"{key}:Endpoints has an unknown endpoint '{e}'."));
            failures.AddRange(client.GrantTypes.Where(g => !ClientPermissions.GrantTypes.Contains(g))
                .Select(g => $"{key}:GrantTypes has an unknown grant type '{g}'."));

            if (client.Type == ClientSettings.Public)
            {
                if (!string.IsNullOrEmpty(client.Secret))
                {
                    failures.Add($"{key}:Secret must be empty for a public client.");
                }

                if (client.GrantTypes.Contains("client_credentials"))
                {
                    failures.Add($"{key}:GrantTypes: a public client cannot use client_credentials.");
                }

                continue;
            }

            if (string.IsNullOrWhiteSpace(client.Secret))
            {
                failures.Add($"{key}:Secret is missing.");
            }
            else if (!environment.IsDevelopment() && client.Secret.StartsWith(DevelopmentSecretPrefix, StringComparison.Ordinal))
            {
                failures.Add($"{key}:Secret is a Development secret; set a secret of your own outside Development.");
            }
            else if (!environment.IsDevelopment() && client.Secret.Length < MinimumSecretLength)
            {
                failures.Add($"{key}:Secret must be at least {MinimumSecretLength} characters outside Development.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
