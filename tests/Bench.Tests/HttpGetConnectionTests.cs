using System.Net;
using System.Net.Sockets;
using System.Text;
using AuthRefresh.Bench.Load;

namespace Bench.Tests;

/// <summary>
/// The load generator's GET client: how it frames an answer, and that it keeps, or replaces, its
/// connection as the server says. The scenarios' use of it against the real servers is in
/// <see cref="HarnessSmokeTests"/>.
/// </summary>
public sealed class HttpGetConnectionTests
{
    private const string Head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";

    [Theory]
    [InlineData(Head + "Content-Length: 5\r\n\r\nhello", 200, true)]
    [InlineData("HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\nWWW-Authenticate: Bearer\r\n\r\n", 401, true)]
    [InlineData(Head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;ext=1\r\n!\r\n0\r\n\r\n", 200, true)]
    [InlineData(Head + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 1\r\n\r\n", 200, true)]
    [InlineData(Head + "Content-Length: 2\r\nConnection: close\r\n\r\nok", 200, false)]
    [InlineData("HTTP/1.1 204 No Content\r\nServer: Kestrel\r\n\r\n", 204, true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 200, false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", 200, true)]
    public void A_whole_answer_gives_its_status_length_and_whether_the_connection_stays(string answer, int status, bool keepAlive)
    {
        var bytes = Encoding.ASCII.GetBytes(answer);

        Assert.Equal(new HttpAnswer(status, bytes.Length, keepAlive), HttpAnswer.Parse(bytes));
    }

    [Theory]
    [InlineData(Head + "Content-Length: 5\r\n\r\nhello")]
    [InlineData(Head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    public void Any_part_of_an_answer_is_not_yet_an_answer(string answer)
    {
        var bytes = Encoding.ASCII.GetBytes(answer);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Null(HttpAnswer.Parse(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void A_body_with_neither_length_nor_chunks_ends_when_the_server_closes()
    {
        var bytes = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n\r\nuntil the end");

        Assert.Null(HttpAnswer.Parse(bytes));
        Assert.Equal(new HttpAnswer(200, bytes.Length, KeepAlive: false), HttpAnswer.Parse(bytes, closed: true));
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData(Head + "Content-Length: five\r\n\r\n")]
    [InlineData(Head + "no colon here\r\n\r\n")]
    [InlineData(Head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData(Head + "Transfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n")]
    public void Bytes_that_are_not_an_answer_are_an_error(string answer)
        => Assert.Throws<IOException>(() => HttpAnswer.Parse(Encoding.ASCII.GetBytes(answer)));

    [Fact]
    public async Task A_connection_is_kept_while_the_server_keeps_it_and_replaced_after_close()
    {
        using var server = new ScriptedServer("/api/notes",
            [Head + "Content-Length: 2\r\n\r\nok", Head + "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"],
            ["HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"]);
        await using var connection = new HttpGetConnection(server.Address, bearerToken: "token-1");

        int[] statuses = [
            await connection.SendAsync(CancellationToken.None),
            await connection.SendAsync(CancellationToken.None),
            await connection.SendAsync(CancellationToken.None),
            await connection.SendAsync(CancellationToken.None),
        ];
        await server.Done.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([200, 200, 503, 401], statuses);
        Assert.All(server.Requests, request => Assert.Equal(
            $"GET /api/notes HTTP/1.1\r\nHost: 127.0.0.1:{server.Address.Port}\r\nAuthorization: Bearer token-1\r\n\r\n", request));
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task A_server_that_closes_mid_answer_is_an_IO_error_and_the_next_request_reconnects()
    {
        using var server = new ScriptedServer("/health", [Head + "Content-Length: 10\r\n\r\ncut"], [Head + "Content-Length: 2\r\n\r\nok"]);
        await using var connection = new HttpGetConnection(server.Address, bearerToken: null);

        await Assert.ThrowsAsync<IOException>(() => connection.SendAsync(CancellationToken.None));
        var next = await connection.SendAsync(CancellationToken.None);
        await server.Done.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(200, next);
    }

    [Fact]
    public async Task A_request_on_a_connection_the_server_closed_while_idle_is_sent_again_on_a_new_one()
    {
        using var server = new ScriptedServer("/health", [Head + "Content-Length: 2\r\n\r\nok"], ["HTTP/1.1 204 No Content\r\n\r\n"]);
        await using var connection = new HttpGetConnection(server.Address, bearerToken: null);

        int[] statuses = [await connection.SendAsync(CancellationToken.None), await connection.SendAsync(CancellationToken.None)];
        await server.Done.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([200, 204], statuses);
        Assert.Equal(2, server.Requests.Count);
    }

    /// <summary>
    /// A server on 127.0.0.1 that plays a script: one connection per list of answers, each answer
    /// after one request, then it closes that connection.
    /// </summary>
    private sealed class ScriptedServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public ScriptedServer(string path, params string[][] connections)
        {
            _listener.Start();
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}");
            Done = ServeAsync(connections);
        }

        public Uri Address { get; }

        public List<string> Requests { get; } = [];

        public Task Done { get; }

        public void Dispose() => _listener.Dispose();

        private async Task ServeAsync(string[][] connections)
        {
            foreach (var answers in connections)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                foreach (var answer in answers)
                {
                    Requests.Add(await ReadRequestAsync(stream));
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
                }
            }
        }
    }

    private static async Task<string> ReadRequestAsync(NetworkStream stream)
    {
        var request = new StringBuilder();
        var buffer = new byte[1];
        while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
        {
            request.Append((char)buffer[0]);
        }

        return request.ToString();
    }
}
