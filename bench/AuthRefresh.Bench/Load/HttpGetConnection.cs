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
