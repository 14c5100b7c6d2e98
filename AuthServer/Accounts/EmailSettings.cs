namespace AuthServer.Accounts;

/// <summary>How account emails are sent. Bound from the <c>Email</c> section.</summary>
public sealed class EmailSettings
{
    public const string SectionName = "Email";

    /// <summary>Whether a new account must confirm its email before signing in. The default value is false.</summary>
    public bool RequireConfirmedAccount { get; set; }

    /// <summary>The sender. The default value is AuthRefresh &lt;no-reply@localhost&gt;.</summary>
    public string From { get; set; } = "AuthRefresh <no-reply@localhost>";

    /// <summary>The SMTP server; when its host is not set, emails are written to the log in Development.</summary>
    public SmtpSettings Smtp { get; set; } = new();
}

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
