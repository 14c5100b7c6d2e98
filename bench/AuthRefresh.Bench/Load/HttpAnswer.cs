using System.Globalization;
using System.Text;

namespace AuthRefresh.Bench.Load;

/// <summary>What an HTTP/1.1 answer's head and framing say: its status, its length on the wire, whether the connection stays open.</summary>
public readonly record struct HttpAnswer(int Status, int Length, bool KeepAlive)
{
    private static ReadOnlySpan<byte> EndOfLine => "\r\n"u8;

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    /// <summary>
    /// The answer at the start of <paramref name="data"/>, or null if more bytes are needed.
    /// <paramref name="closed"/>: the server has closed the connection, which ends a body that has
    /// neither a length nor chunks.
    /// </summary>
    /// <exception cref="IOException">The bytes are not an HTTP/1.1 answer.</exception>
    public static HttpAnswer? Parse(ReadOnlySpan<byte> data, bool closed = false)
    {
        var headEnd = data.IndexOf(EndOfHead);
        if (headEnd < 0)
        {
            return null;
        }

        // Note: read as bytes, without a string per line: this runs for every request of a run.
        var head = data[..headEnd];
        var statusEnd = head.IndexOf(EndOfLine);
        var statusLine = statusEnd < 0 ? head : head[..statusEnd];
        if (!statusLine.StartsWith("HTTP/1."u8) || statusLine.Length < 12 || statusLine[8] != ' ' ||
            !int.TryParse(statusLine.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100)
        {
            throw new IOException($"Not an HTTP/1.1 status line: '{Encoding.ASCII.GetString(statusLine)}'.");
        }

        long? contentLength = null;
        var chunked = false;
        var keepAlive = statusLine.StartsWith("HTTP/1.1"u8);
        var fields = statusEnd < 0 ? [] : head[(statusEnd + EndOfLine.Length)..];
        while (!fields.IsEmpty)
        {
            var lineEnd = fields.IndexOf(EndOfLine);
            var line = lineEnd < 0 ? fields : fields[..lineEnd];
            fields = lineEnd < 0 ? [] : fields[(lineEnd + EndOfLine.Length)..];

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new IOException($"Not a header line: '{Encoding.ASCII.GetString(line)}'.");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..];
            value = value[Ascii.Trim(value)];
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                contentLength = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                    ? length
                    : throw new IOException($"Not a Content-Length: '{Encoding.ASCII.GetString(value)}'.");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = value.Length >= 7 && Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                keepAlive = Ascii.EqualsIgnoreCase(value, "keep-alive"u8) || (keepAlive && !Ascii.EqualsIgnoreCase(value, "close"u8));
            }
        }

        var bodyStart = headEnd + EndOfHead.Length;
        if (status is (>= 100 and < 200) or 204 or 304)
        {
            return new(status, bodyStart, keepAlive);
        }

        if (chunked)
        {
            return ChunksEnd(data, bodyStart) is { } end ? new(status, end, keepAlive) : null;
        }

        if (contentLength is { } bodyLength)
        {
            return data.Length - bodyStart >= bodyLength ? new(status, bodyStart + (int)bodyLength, keepAlive) : null;
        }

        // Note: a body with neither ends when the server closes the connection (RFC 9112 §6.3).
        return closed ? new(status, data.Length, KeepAlive: false) : null;
    }

    // Note: the offset just past the last chunk and its trailer section, or null if it has not all arrived.
    private static int? ChunksEnd(ReadOnlySpan<byte> data, int offset)
    {
        while (true)
        {
            var lineEnd = data[offset..].IndexOf(EndOfLine);
            if (lineEnd < 0)
            {
                return null;
            }

            // Note: a chunk extension (";name=value") may follow the size.
            var sizeText = data.Slice(offset, lineEnd);
            if (sizeText.IndexOf((byte)';') is >= 0 and var extension)
            {
                sizeText = sizeText[..extension];
            }

            sizeText = sizeText[Ascii.Trim(sizeText)];
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new IOException($"Not a chunk size: '{Encoding.ASCII.GetString(sizeText)}'.");
            }

            offset += lineEnd + EndOfLine.Length;
            if (size == 0)
            {
                // Note: trailer fields, if any, then an empty line.
                while (true)
                {
                    var trailerEnd = data[offset..].IndexOf(EndOfLine);
                    if (trailerEnd < 0)
                    {
                        return null;
                    }

                    offset += trailerEnd + EndOfLine.Length;
                    if (trailerEnd == 0)
                    {
                        return offset;
                    }
                }
            }

            if (data.Length - offset < size + EndOfLine.Length)
            {
                return null;
            }

            if (!data.Slice(offset + size, EndOfLine.Length).SequenceEqual(EndOfLine))
            {
                throw new IOException("A chunk does not end where its size says.");
            }

            offset += size + EndOfLine.Length;
        }
    }
}
