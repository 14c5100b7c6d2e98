using System.Net;
using System.Net.Mail;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.Extensions.Options;

namespace AuthServer.Accounts;

/// <summary>
/// Sends Identity's emails (confirmation, password reset) through SMTP when <c>Email:Smtp:Host</c>
/// is set. Without SMTP, Development writes the message, link included, to the log so a developer
/// can follow it; elsewhere only the fact that nothing was sent is logged (the link is a secret).
/// </summary>
internal sealed partial class EmailSender(IOptions<EmailSettings> settings, IHostEnvironment environment, ILogger<EmailSender> logger) : IEmailSender
{
    public async Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        var smtp = settings.Value.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            if (environment.IsDevelopment())
            {
                LogDevelopmentEmail(logger, email, subject, htmlMessage);
            }
            else
            {
                LogNotSent(logger, subject);
            }

            return;
        }

        using var message = new MailMessage(settings.Value.From, email, subject, htmlMessage) { IsBodyHtml = true };
        using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl };
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        }

        await client.SendMailAsync(message);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Development email to {Email}: {Subject}\n{Body}")]
    private static partial void LogDevelopmentEmail(ILogger logger, string email, string subject, string body);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "No SMTP server is configured (Email:Smtp:Host): the email '{Subject}' was not sent.")]
    private static partial void LogNotSent(ILogger logger, string subject);
}
