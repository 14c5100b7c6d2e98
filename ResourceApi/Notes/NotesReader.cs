using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.ObjectPool;

namespace ResourceApi.Notes;

/// <summary>
/// Reads the list of a user's notes, the API's most frequent request, straight from SQLite (on
/// PostgreSQL, <see cref="QueryNotesReader"/> does).
/// Writes, and the reads that precede them, stay with <see cref="NotesDbContext"/>.
/// </summary>
/// <remarks>
/// Note: profiled under load, reading five notes through EF Core cost as much as everything else
/// the API does per request. Opening a connection for EF Core re-registers its SQL functions every
/// time, and the statement is prepared again on every call. Here a few read-only connections stay
/// open with the statement prepared, and each call borrows one. In WAL mode each execution reads
/// the latest committed state, so a pooled connection never serves an older snapshot.
/// </remarks>
public sealed class NotesReader(string connectionString) : INotesReader, IDisposable
{
    // Note: the column names are EF Core's mapping of Note (a test reads what the API wrote).
    private const string ListSql = "SELECT Id, Body, CreatedAt, UpdatedAt FROM Notes WHERE OwnerId = $owner ORDER BY Id";

    // Note: a read never awaits, so no more statements are borrowed at once than there are threads
    // running requests; keeping 4 per core covers them, and any beyond that is closed on return.
    private readonly ObjectPool<ListStatement> _statements = new DefaultObjectPoolProvider { MaximumRetained = 4 * Environment.ProcessorCount }
        .Create(new StatementPolicy(new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString()));

    public List<NoteResponse> List(string owner)
    {
        var statement = _statements.Get();
        try
        {
            var notes = statement.Run(owner);
            _statements.Return(statement);
            return notes;
        }
        catch
        {
            // Note: a connection that failed is not given to the next request.
            statement.Dispose();
            throw;
        }
    }

    public ValueTask<List<NoteResponse>> ListAsync(string owner, CancellationToken cancellationToken) => new(List(owner));

    public void Dispose() => (_statements as IDisposable)?.Dispose();

    /// <summary>
    /// Reads a <see cref="DateTimeOffset"/> as EF Core stores it in SQLite,
    /// <c>yyyy-MM-dd HH:mm:ss.FFFFFFFzzz</c>; any other text goes to <see cref="DateTimeOffset.Parse(string, IFormatProvider)"/>.
    /// </summary>
    /// <remarks>
    /// Note: <see cref="DateTimeOffset.Parse(string, IFormatProvider)"/> tokenizes any format it
    /// might be given, which shows in the API's profile for the two timestamps of every note.
    /// </remarks>
    public static DateTimeOffset ParseStored(string text)
    {
        var s = text.AsSpan();
        if (s.Length >= 25 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' &&
            TryDigits(s[..4], out var year) && year >= 1 && TryDigits(s[5..7], out var month) && TryDigits(s[8..10], out var day) &&
            TryDigits(s[11..13], out var hour) && TryDigits(s[14..16], out var minute) && TryDigits(s[17..19], out var second))
        {
            var rest = s[19..];
            var ticks = 0L;
            if (rest[0] == '.')
            {
                var digits = rest[1..].IndexOfAnyExceptInRange('0', '9');
                if (digits is < 1 or > 7 || !TryDigits(rest.Slice(1, digits), out var fraction))
                {
                    return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
                }

                ticks = fraction;
                for (var scale = digits; scale < 7; scale++)
                {
                    ticks *= 10;
                }

                rest = rest[(1 + digits)..];
            }

            if (rest.Length == 6 && rest[0] is '+' or '-' && rest[3] == ':' &&
                TryDigits(rest[1..3], out var offsetHours) && TryDigits(rest[4..6], out var offsetMinutes) &&
                month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) &&
                hour < 24 && minute < 60 && second < 60 && offsetHours < 14 && offsetMinutes < 60)
            {
                var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
                return new DateTimeOffset(year, month, day, hour, minute, second, rest[0] == '-' ? -offset : offset).AddTicks(ticks);
            }
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
        => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private sealed class ListStatement : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _owner;

        public ListStatement(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            _command = _connection.CreateCommand();
            _command.CommandText = ListSql;
            _owner = _command.Parameters.Add("$owner", SqliteType.Text);
            _command.Prepare();
        }

        public List<NoteResponse> Run(string owner)
        {
            _owner.Value = owner;
            var notes = new List<NoteResponse>();

            // Note: disposing the reader resets the statement, which ends its read transaction.
            using var reader = _command.ExecuteReader();
            while (reader.Read())
            {
                notes.Add(new NoteResponse(reader.GetInt32(0), reader.GetString(1), ParseStored(reader.GetString(2)), ParseStored(reader.GetString(3))));
            }

            return notes;
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }

    private sealed class StatementPolicy(string connectionString) : PooledObjectPolicy<ListStatement>
    {
        public override ListStatement Create() => new(connectionString);

        public override bool Return(ListStatement statement) => true;
    }
}
