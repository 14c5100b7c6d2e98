using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SampleClient.Tokens;

/// <summary>A JWT split for display: its header and claims, pretty-printed. Nothing is validated here.</summary>
public sealed record JwtView(string Header, string Claims)
{
    // Note: Razor HTML-encodes the text, so JSON need not escape '+' or '<' a second time.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JwtView? TryRead(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            return new JwtView(Pretty(parts[0]), Pretty(parts[1]));
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Pretty(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
        return JsonSerializer.Serialize(document.RootElement, Indented);
    }
}
