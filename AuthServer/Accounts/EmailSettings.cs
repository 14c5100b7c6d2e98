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
