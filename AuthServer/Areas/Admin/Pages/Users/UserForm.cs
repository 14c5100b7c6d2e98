using System.ComponentModel.DataAnnotations;

namespace AuthServer.Areas.Admin.Pages.Users;

/// <summary>The fields an administrator sets on a user.</summary>
public sealed class UserForm
{
    [Required]
    [Display(Name = "User name")]
    public string UserName { get; set; } = "";

    [Required]
    [EmailAddress]
    public string Email { get; set; } = "";

    [Display(Name = "Display name")]
    public string? DisplayName { get; set; }

    public List<string> Roles { get; set; } = [];

    /// <summary>Only when creating a user.</summary>
    [DataType(DataType.Password)]
    public string? Password { get; set; }
}
