using Microsoft.AspNetCore.Identity;

namespace AuthServer.Data;

public sealed class ApplicationUser : IdentityUser
{
    /// <summary>The name shown to people (the <c>name</c> claim); the user name when empty.</summary>
    [PersonalData]
    public string? DisplayName { get; set; }
}
