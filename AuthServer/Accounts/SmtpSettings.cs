namespace AuthServer.Accounts;

public sealed class SmtpSettings
{
    /// <summary>The SMTP host. The default value is null: no SMTP.</summary>
    public string? Host { get; set; }

    /// <summary>The port. The default value is 587.</summary>
    public int Port { get; set; } = 587;

    /// <summary>Whether to use TLS (STARTTLS). The default value is true.</summary>
    public bool EnableSsl { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
