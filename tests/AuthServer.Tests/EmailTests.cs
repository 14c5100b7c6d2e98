using System.Net;
using System.Net.Sockets;
using System.Text;
using AuthRefresh.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthServer.Tests;

/// <summary>With <c>Email:Smtp</c> set, account emails go out over SMTP (to a small SMTP server on 127.0.0.1).</summary>
public sealed class EmailTests
{
    [Fact]
    public async Task Account_emails_are_sent_through_the_configured_SMTP_server()
    {
        using var smtp = new LoopbackSmtpServer();
        using var factory = new AuthServerFactory(new Dictionary<string, string?>
        {
            ["Email:RequireConfirmedAccount"] = "true",
            ["Email:From"] = "AuthRefresh <accounts@authrefresh.test>",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:EnableSsl"] = "false",
        });
        var browser = new HtmlSession(factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = factory.Address }));

        await browser.SubmitAsync("/Identity/Account/Register", "/Identity/Account/Register",
            ("Input.Email", "mailed@example.com"), ("Input.Password", "Mailed123$"), ("Input.ConfirmPassword", "Mailed123$"));
        var message = await smtp.NextMessageAsync();

        Assert.Contains("MAIL FROM:<accounts@authrefresh.test>", message, StringComparison.Ordinal);
        Assert.Contains("RCPT TO:<mailed@example.com>", message, StringComparison.Ordinal);
        Assert.Contains("Confirm your email", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_locked_by_failed_passwords_is_told_to_its_owner_by_email()
    {
        using var smtp = new LoopbackSmtpServer();
        using var factory = new AuthServerFactory(new Dictionary<string, string?>
        {
            ["Email:From"] = "AuthRefresh <accounts@authrefresh.test>",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:EnableSsl"] = "false",
        });
        var user = await TestUsers.CreateAsync(factory);
        var client = factory.CreateTokenClient();

        for (var i = 0; i < 5; i++)
        {
            await client.PasswordAsync(user, "wrong");
        }

        var message = await smtp.NextMessageAsync();
        Assert.Contains($"RCPT TO:<{user}@example.com>", message, StringComparison.Ordinal);
        Assert.Contains("Your AuthRefresh account is locked", message, StringComparison.Ordinal);
    }

    /// <summary>Just enough of SMTP (RFC 5321) to accept one message and keep the whole conversation.</summary>
    private sealed class LoopbackSmtpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task<string> _conversation;

        public LoopbackSmtpServer()
        {
            _listener.Start();
            _conversation = Task.Run(ConverseAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public async Task<string> NextMessageAsync() => await _conversation.WaitAsync(TimeSpan.FromSeconds(30));

        public void Dispose() => _listener.Stop();

        private async Task<string> ConverseAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            var transcript = new StringBuilder();
            await writer.WriteLineAsync("220 authrefresh.test ESMTP");
            var inData = false;
            while (await reader.ReadLineAsync() is { } line)
            {
                transcript.AppendLine(line);
                if (inData)
                {
                    if (line == ".")
                    {
                        inData = false;
                        await writer.WriteLineAsync("250 OK");
                    }

                    continue;
                }

                var command = line.Split(' ')[0].ToUpperInvariant();
                await writer.WriteLineAsync(command switch
                {
                    "EHLO" or "HELO" => "250 authrefresh.test",
                    "DATA" => "354 End data with <CR><LF>.<CR><LF>",
                    "QUIT" => "221 Bye",
                    _ => "250 OK",
                });
                inData = command == "DATA";
                if (command == "QUIT")
                {
                    break;
                }
            }

            return transcript.ToString();
        }
    }
}
