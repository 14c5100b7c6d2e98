using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;

namespace AuthServer.Areas.Admin.Pages.Clients;

public sealed record ClientRow(string ClientId, string? DisplayName, string? Type, int Permissions);

public sealed class IndexModel(IOpenIddictApplicationManager applications) : PageModel
{
    public List<ClientRow> Clients { get; private set; } = [];

    public async Task OnGetAsync()
    {
        await foreach (var application in applications.ListAsync())
        {
            Clients.Add(new ClientRow(
                (await applications.GetClientIdAsync(application))!,
                await applications.GetDisplayNameAsync(application),
                await applications.GetClientTypeAsync(application),
                (await applications.GetPermissionsAsync(application)).Length));
        }

        Clients.Sort((left, right) => string.CompareOrdinal(left.ClientId, right.ClientId));
    }
}
