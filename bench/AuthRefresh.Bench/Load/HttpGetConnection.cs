using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace AuthRefresh.Bench.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends a prepared <c>GET</c>, one at a time, and reads
/// each answer whole: the client of the <c>api</c> and <c>http</c> scenarios, whose requests never
/// change, and so itself their worker. It does what a keep-alive client must (framing by
/// Content-Length or chunks, a new connection after <c>Connection: close</c> or a failure, the
/// request sent again once when the server closed an idle connection) and nothing else.
/// </summary>
/// <remarks>
/// Note: the load generator shares the two cores with the servers, so what it spends per request is
/// taken from them. <see cref="HttpClient"/> builds a request message, its headers and a response
/// object for every call and parses every header: side by side with this client, 27–38 µs of CPU
/// per API call (14–19 in user mode) against 19–23 (7–9 in user mode; the rest is the kernel's,
/// which any client pays).
/// </remarks>
public sealed class HttpGetConnection(Uri uri, string? bearerToken) : IWorker, IAsyncDisposable
{
    /// <summary>How long an answer may take, as the token requests' <see cref="HttpClient"/> allows.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly byte[] _request = Request(uri, bearerToken);
    private byte[] _buffer = new byte[8 * 1024];
    private CancellationTokenSource _deadline = new();
    private Socket? _socket;

    /// <summary>Sends the request and reads the whole answer; returns its status code.</summary>
    /// <exception cref="IOException">The connection failed, no answer came within <see cref="Timeout"/>, or the answer was not HTTP/1.1.</exception>
    public async Task<int> SendAsync(CancellationToken cancellationToken)
    {
        _deadline.CancelAfter(Timeout);
        using var stop = cancellationToken.UnsafeRegister(static deadline => ((CancellationTokenSource)deadline!).Cancel(), _deadline);
        try
        {
            return await ExchangeAsync(_deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Note: an answer may still be on its way, so the connection is not used again.
            Close();
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new IOException($"No answer within {Timeout.TotalSeconds:0} s.");
        }
        finally
        {
            if (!_deadline.TryReset())
            {
                _deadline.Dispose();
                _deadline = new CancellationTokenSource();
            }
        }
    }

    private async Task<int> ExchangeAsync(CancellationToken cancellationToken)
    {
        // Note: a server may close an idle keep-alive connection just as a request goes out; a
        // GET can then be sent again, once, on a new connection (RFC 9112 §9.3.1), as HttpClient does.
        var reused = _socket is not null;
        var status = await TryExchangeAsync(cancellationToken);
        if (status is null && reused)
        {
            status = await TryExchangeAsync(cancellationToken);
        }

        return status ?? throw new IOException("The server closed the connection before it answered.");
    }

    // Note: null when the connection ended before any byte of an answer came.
    private async Task<int?> TryExchangeAsync(CancellationToken cancellationToken)
    {
        var received = 0;
        try
        {
            var socket = _socket ??= await ConnectAsync(cancellationToken);
            await socket.SendAsync(_request, SocketFlags.None, cancellationToken);

            while (true)
            {
                if (received == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                var read = await socket.ReceiveAsync(_buffer.AsMemory(received), SocketFlags.None, cancellationToken);
                if (read == 0 && received == 0)
                {
                    Close();
                    return null;
                }

                received += read;
                var answer = HttpAnswer.Parse(_buffer.AsSpan(0, received), closed: read == 0);
                if (answer is { } complete)
                {
                    if (complete.Length != received)
                    {
                        throw new IOException($"The server sent {received - complete.Length} bytes after the answer.");
                    }

                    if (!complete.KeepAlive)
                    {
                        Close();
                    }

                    return complete.Status;
                }

                if (read == 0)
                {
                    throw new IOException("The server closed the connection before the answer ended.");
                }
            }
        }
        catch (SocketException ex) when (received == 0 && ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
        {
            Close();
            return null;
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            Close();
            throw ex as IOException ?? new IOException(ex.Message, ex);
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _deadline.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        // Note: without Nagle's delay, as HttpClient connects.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(uri.IdnHost, uri.Port, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private static byte[] Request(Uri uri, string? bearerToken)
    {
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"GET {uri.PathAndQuery} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {uri.Authority}\r\n");
        if (bearerToken is not null)
        {
            request.Append(CultureInfo.InvariantCulture, $"Authorization: Bearer {bearerToken}\r\n");
        }

        return Encoding.ASCII.GetBytes(request.Append("\r\n").ToString());
    }
}

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
