using System.Security.Cryptography;
using AuthServer.Admin;
using AuthServer.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Areas.Admin.Pages.Clients;

/// <summary>
/// Creates or edits a client (OpenIddict application): type, display name, endpoints, grant types,
/// scopes. A confidential client's secret is generated here and shown once, never stored in clear.
/// </summary>
public sealed class EditModel(IOpenIddictApplicationManager applications, IValidateOptions<Dictionary<string, ClientSettings>> validation, AdminAudit audit)
    : AdminPageModel(audit)
{
    [BindProperty(SupportsGet = true)]
    public string? ClientId { get; set; }

    [BindProperty]
    public ClientSettings Input { get; set; } = new();

    public bool IsNew { get; private set; }

    /// <summary>A new secret, shown on this answer only.</summary>
    public string? NewSecret { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (string.IsNullOrEmpty(ClientId))
        {
            IsNew = true;
            return Page();
        }

        if (await applications.FindByClientIdAsync(ClientId) is not { } application)
        {
            return NotFound();
        }

        Input = ClientPermissions.ToSettings(
            await applications.GetPermissionsAsync(application),
            await applications.GetClientTypeAsync(application) == ClientTypes.Public ? ClientSettings.Public : ClientSettings.Confidential,
            await applications.GetDisplayNameAsync(application));
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string? existing)
    {
        IsNew = string.IsNullOrEmpty(existing);
        var clientId = IsNew ? ClientId?.Trim() : existing;
        if (string.IsNullOrEmpty(clientId))
        {
            ModelState.AddModelError(nameof(ClientId), "A client id is required.");
            return Page();
        }

        var application = IsNew ? null : await applications.FindByClientIdAsync(clientId);
        if (IsNew && await applications.FindByClientIdAsync(clientId) is not null)
        {
            ModelState.AddModelError(nameof(ClientId), $"A client '{clientId}' exists already.");
            return Page();
        }

        if (!IsNew && application is null)
        {
            return NotFound();
        }

        if (!IsNew)
        {
            Input.Type = await applications.GetClientTypeAsync(application!) == ClientTypes.Public ? ClientSettings.Public : ClientSettings.Confidential;
        }

        // The same rules as the configuration: a secret that satisfies them, when one is needed.
        var secret = Input.Type == ClientSettings.Confidential ? NewClientSecret() : null;
        Input.Secret = secret;
        var check = validation.Validate(null, new Dictionary<string, ClientSettings> { [clientId] = Input });
        if (check.Failed)
        {
            foreach (var failure in check.Failures)
            {
                ModelState.AddModelError(string.Empty, failure);
            }

            return Page();
        }

        var descriptor = ClientSeeder.Describe(clientId, Input);
        if (IsNew)
        {
            await applications.CreateAsync(descriptor);
            NewSecret = secret;
            await AuditAsync("client.create", clientId, $"Client {clientId} created.", $"type: {Input.Type}");
            ClientId = clientId;
            IsNew = false;
            return Page();
        }

        // Note: the stored (hashed) secret is kept; only the name and permissions change.
        var current = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(current, application!);
        current.DisplayName = descriptor.DisplayName;
        current.Permissions.Clear();
        current.Permissions.UnionWith(descriptor.Permissions);
        await applications.PopulateAsync(application!, current);
        await applications.UpdateAsync(application!);
        await AuditAsync("client.update", clientId, $"Client {clientId} saved.", string.Join(" ", descriptor.Permissions.Order()));
        return Redirect($"/admin/clients/edit/{clientId}");
    }

    public async Task<IActionResult> OnPostRotateSecretAsync(string existing)
    {
        if (await applications.FindByClientIdAsync(existing) is not { } application)
        {
            return NotFound();
        }

        ClientId = existing;
        Input = ClientPermissions.ToSettings(
            await applications.GetPermissionsAsync(application), ClientSettings.Confidential, await applications.GetDisplayNameAsync(application));
        if (await applications.GetClientTypeAsync(application) != ClientTypes.Confidential)
        {
            ModelState.AddModelError(string.Empty, "A public client has no secret.");
            return Page();
        }

        NewSecret = NewClientSecret();
        await applications.UpdateAsync(application, NewSecret);
        await AuditAsync("client.rotate-secret", existing, $"The secret of {existing} was replaced. Copy it now: it is not shown again.");
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string existing)
    {
        if (await applications.FindByClientIdAsync(existing) is not { } application)
        {
            return NotFound();
        }

        await applications.DeleteAsync(application);
        await AuditAsync("client.delete", existing, $"Client {existing} deleted.");
        return Redirect("/admin/clients");
    }

    private static string NewClientSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
}
