using System.Text.Json;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private readonly Lock _dialingLock = new();

    /// <summary>The do-not-call entries in force at $now for the numbers of $json (a JSON array) in campaign $campaign:
    /// (e164, blocked for ever, latest expiry).</summary>
    private const string DncOfNumbers = """
        SELECT e164, max(expires IS NULL), max(expires) FROM dnc
        WHERE tenant_id = $tenant AND e164 IN (SELECT value FROM json_each($json)) AND campaign_id IN (0, $campaign)
          AND (expires IS NULL OR expires > $now)
        GROUP BY e164
        """;

    /// <summary>The tenant's attempts at the numbers of $json started after $since: (e164, started, result).</summary>
    private const string AttemptsAtNumbers = """
        SELECT e164, started, result FROM attempts
        WHERE tenant_id = $tenant AND e164 IN (SELECT value FROM json_each($json)) AND started > $since
        """;

    /// <summary>
    /// How long a claim, start or finish waits for its turn on the dialing connection: SQLite's own busy timeout, so one
    /// queued behind others that each wait for the write lock fails as it would have on a connection of its own
    /// (SQLITE_BUSY), not after all of their waits added up. Tests shorten it.
    /// </summary>
    internal TimeSpan DialingGateTimeout { get; set; } = TimeSpan.FromSeconds(30);
    private DialingConnection? _dialing;

    private DialingConnection Dialing
    {
        get { lock (_dialingLock) return _dialing ??= new DialingConnection(this); }
    }

    /// <summary>
    /// The dial cycle's transactions (claims, and the start and finish of attempts: SqliteStore.DialingTransaction.cs) run
    /// one at a time on a dedicated connection with prepared statements. SQLite has a single writer (every one of them is a BEGIN
    /// IMMEDIATE transaction), so serializing them in-process loses nothing, and it saves compiling every statement (and
    /// the triggers it fires) on every call (measured: about half of a claim's time). Other processes on the same file
    /// stay safe: BEGIN IMMEDIATE and the conditional updates.
    /// </summary>
    /// <remarks>
    /// A call that fails in a way that may have left the connection unusable (<see cref="Reusable"/>) still fails, with its
    /// transaction rolled back, and takes the connection and its statements with it; the next call opens a fresh one.
    /// </remarks>
    private sealed partial class DialingConnection(SqliteStore store) : IAsyncDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        private async Task EnterAsync(CancellationToken ct)
        {
            if (!await _gate.WaitAsync(store.DialingGateTimeout, ct))
                throw new SqliteException(
                    $"database is locked: the dial cycle waited {store.DialingGateTimeout.TotalSeconds:0} s behind other writers", 5 /* SQLITE_BUSY */);
        }
        private readonly List<SqliteCommand> _commands = [];
        private SqliteConnection? _connection;
        private volatile bool _disposed;
        private SqliteCommand _groupNext = null!, _candidates = null!, _dnc = null!, _recent = null!, _lease = null!, _defer = null!, _drop = null!, _closeOrphan = null!;

        /// <summary>
        /// Enters the gate and begins a transaction (BEGIN IMMEDIATE) for one claim, start or finish; the transaction's
        /// disposal rolls back what was not committed, lets go of the connection when the failure may have broken it
        /// (<see cref="Reusable"/>), and leaves the gate.
        /// </summary>
        public async Task<Transaction> BeginTransactionAsync(long tenant, CancellationToken ct)
        {
            await EnterAsync(ct);
            try
            {
                return new Transaction(this, tenant, await BeginAsync(ct));
            }
            catch (Exception e)
            {
                DiscardUnlessReusable(e);
                _gate.Release();
                throw;
            }
        }

        /// <summary>The (lane, priority) groups with open records, in pick order: callbacks first, then high priority first.</summary>
        private async Task<List<PickGroup>> GroupsAsync(long campaign, long lastLane, CancellationToken ct)
        {
            var groups = new List<PickGroup>();
            _groupNext.Parameters["$campaign"].Value = campaign;
            for (var lane = 0L; lane <= lastLane; lane++)
            {
                _groupNext.Parameters["$lane"].Value = lane;
                _groupNext.Parameters["$below"].Value = long.MaxValue;
                while (await _groupNext.ExecuteScalarAsync(ct) is long priority)
                {
                    groups.Add(new PickGroup(lane == 0, priority));
                    _groupNext.Parameters["$below"].Value = priority;
                }
            }
            return groups;
        }

        /// <summary>Due candidates of one group with the queue position each was read at (written back only if still there).</summary>
        private async Task<List<PickCandidate>> CandidatesAsync(
            long campaign, string campaignId, PickGroup group, int limit, long nowMs, CancellationToken ct)
        {
            Set(_candidates, ("$campaign", campaign), ("$now", nowMs), ("$lane", Lane(group)), ("$priority", group.Priority), ("$limit", (long)limit));
            var rows = new List<PickCandidate>(limit);
            await using (var r = await _candidates.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                {
                    var record = new RecordRow
                    {
                        Serial = r.GetInt64(0),
                        Id = r.GetString(3),
                        ListId = r.GetString(4),
                        ExternalId = r.GetString(5),
                        TimeZone = Str(r, 6),
                        Priority = r.GetInt64(7),
                        DialingMode = Str(r, 8),
                        PreviewTime = Long(r, 9),
                        Locked = r.GetInt64(10),
                        Phones = r.GetString(11),
                        Attributes = r.GetString(12),
                        Created = r.GetInt64(13),
                        Modified = r.GetInt64(14),
                    };
                    var progress = new ProgressRow
                    {
                        RecordSerial = record.Serial,
                        CampaignId = campaignId,
                        State = r.GetString(15),
                        AppState = r.GetString(16),
                        Result = Str(r, 17),
                        CallResult = Str(r, 18),
                        Classifier = Str(r, 19),
                        CallCount = r.GetInt64(20),
                        LastBNumber = r.GetInt64(21),
                        ScheduledAt = Long(r, 22),
                        AgentId = Str(r, 23),
                        Amount = r.IsDBNull(24) ? null : r.GetDouble(24),
                        Script = Str(r, 25),
                        ClosedAt = Long(r, 26),
                        Modified = r.GetInt64(27),
                    };
                    rows.Add(new PickCandidate(record.ToRecord(), progress.ToProgress(), new PickPosition(group, r.GetInt64(1), r.GetInt64(2))));
                }
            }
            // Queue order: never evaluated (0) first, then the longest due.
            rows.Sort((a, b) => a.Position.Due != b.Position.Due ? a.Position.Due.CompareTo(b.Position.Due)
                : a.Position.Base != b.Position.Base ? a.Position.Base.CompareTo(b.Position.Base) : a.Record.Number.CompareTo(b.Record.Number));
            return rows;
        }

        private async Task<NumberFacts> NumberFactsAsync(
            long tenant, long campaign, IReadOnlyCollection<string> numbers, DateTimeOffset? since, long nowMs, CancellationToken ct)
        {
            var json = JsonSerializer.Serialize(numbers);
            Set(_dnc, ("$tenant", tenant), ("$json", json), ("$campaign", campaign), ("$now", nowMs));
            Dictionary<string, DncStatus>? blocked = null;
            await using (var r = await _dnc.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                    (blocked ??= new(StringComparer.Ordinal))[r.GetString(0)] = r.GetInt64(1) == 1 ? DncStatus.Forever : DncStatus.BlockedUntil(FromMs(r.GetInt64(2))!.Value);
            }
            DoNotCallCheck dnc = blocked is null ? DoNotCallList.None : e164 => blocked.TryGetValue(e164, out var s) ? s : DncStatus.Clear;

            var recent = new Dictionary<string, IReadOnlyList<NumberAttempt>>(StringComparer.Ordinal);
            if (since is null) return new NumberFacts(dnc, recent);
            Set(_recent, ("$tenant", tenant), ("$json", json), ("$since", since.Value.ToUnixTimeMilliseconds()));
            await using (var r = await _recent.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                {
                    var e164 = r.GetString(0);
                    if (!recent.TryGetValue(e164, out var list)) recent[e164] = list = new List<NumberAttempt>();
                    ((List<NumberAttempt>)list).Add(new NumberAttempt(FromMs(r.GetInt64(1))!.Value, Enum.Parse<CallResult>(r.GetString(2))));
                }
            }
            return new NumberFacts(dnc, recent);
        }

        private static long Lane(PickGroup group) => group.Callbacks ? 0 : 1;

        private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
        {
            if (_connection is not null) return _connection;
            // Not pooled: a connection discarded after an error is closed (SQLite rolls back what it left open), not handed
            // to the next caller of the pool.
            var connection = _connection = await store.OpenUnpooledAsync(ct);
            try
            {
                await PrepareAsync(connection, ct);
                return connection;
            }
            catch
            {
                Discard(); // no statements left half-prepared for the next call
                throw;
            }
        }

        private async Task PrepareAsync(SqliteConnection connection, CancellationToken ct)
        {
            // Picks jump around a large file (callbacks and retries are due in time order, not record order): map it and
            // cache generously rather than reading pages through syscalls into the default 2 MB cache.
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA mmap_size=2147418112; PRAGMA cache_size=-131072;";
                await pragma.ExecuteNonQueryAsync(ct);
            }
            _groupNext = Prepare(connection, GroupNext);
            PrepareDialCycle(connection);
            _candidates = Prepare(connection, CandidatesWithRows);
            _dnc = Prepare(connection, DncOfNumbers);
            _recent = Prepare(connection, AttemptsAtNumbers);
            // Conditional on the row still being where the claim read it (due <= now: free, or its lease has expired).
            _lease = Prepare(connection, $"""
                UPDATE pick_queue SET due = $until, lease_owner = $owner, attempt_id = NULL
                WHERE {QueueKey} AND due = $due
                """);
            _defer = Prepare(connection, $"""
                UPDATE pick_queue SET due = $next, lease_owner = NULL, attempt_id = NULL
                WHERE {QueueKey} AND due = $due
                """);
            _drop = Prepare(connection, $"DELETE FROM pick_queue WHERE {QueueKey} AND due = $due");
            _closeOrphan = Prepare(connection, $"""
                UPDATE attempts SET result = 'NOT_DIALED', ended = $due, disposition = '{LeaseExpiredDisposition}'
                WHERE id = (SELECT attempt_id FROM pick_queue WHERE {QueueKey} AND due = $due) AND result = 'DIALING'
                """);
        }

        private const string QueueKey = "campaign_id = $campaign AND lane = $lane AND priority = $priority AND base = $base AND record_id = $record";

        /// <summary>A transaction (BEGIN IMMEDIATE) on the dedicated connection, given to every prepared command; called with the gate held.</summary>
        private async Task<SqliteTransaction> BeginAsync(CancellationToken ct)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteStore)); // called with the gate held
            var tx = (await OpenAsync(ct)).BeginTransaction();
            foreach (var command in _commands) command.Transaction = tx;
            return tx;
        }

        private SqliteCommand Prepare(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z]+"))
            {
                if (!command.Parameters.Contains(m.Value)) command.Parameters.Add(new SqliteParameter(m.Value, DBNull.Value));
            }
            _commands.Add(command);
            return command;
        }

        private static void Set(SqliteCommand command, params (string Name, object? Value)[] values)
        {
            foreach (var (name, value) in values) command.Parameters[name].Value = value ?? DBNull.Value;
        }

        private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

        private static long? Long(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

        /// <summary>
        /// Waits for the claim, start or finish in progress (its statements and connection stay whole under it), then closes
        /// the connection. Calls waiting for the gate, and later ones, fail with <see cref="ObjectDisposedException"/>: the
        /// gate is not disposed, since SemaphoreSlim.Dispose drops its waiters without completing them (they would wait for
        /// ever) and makes the holder's Release throw.
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            _disposed = true;
            await _gate.WaitAsync();
            try
            {
                Discard();
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>
        /// Whether the connection can serve the next call after this one failed (checked with the gate held, once the
        /// failed transaction was disposed). SQLITE_BUSY and SQLITE_LOCKED (the write lock not had), constraint violations
        /// and cancellation end one statement, which SQLite undoes, and the transaction's disposal rolled back the rest:
        /// kept, if no transaction is left open. Anything else (an I/O error, a full disk, corruption, a closed or disposed
        /// handle, a failed rollback, a bug) may have left the connection, its page cache or its statements unusable:
        /// discarded, at the cost of one reopen.
        /// </summary>
        private bool Reusable(Exception e) =>
            e is (SqliteException { SqliteErrorCode: 5 or 6 or 19 } or OperationCanceledException)
            && _connection is { State: System.Data.ConnectionState.Open, Handle: { } db }
            && SQLitePCL.raw.sqlite3_get_autocommit(db) != 0;

        private void DiscardUnlessReusable(Exception e)
        {
            if (!Reusable(e)) Discard();
        }

        /// <summary>
        /// Disposes the statements and the connection (the next call opens a fresh one). Never throws: the caller's error is
        /// the one to report.
        /// </summary>
        private void Discard()
        {
            var connection = _connection;
            _connection = null;
            foreach (var command in _commands)
            {
                try { command.Dispose(); }
                catch (Exception) { } // finalizing a statement of a broken connection may report its error again
            }
            _commands.Clear();
            if (connection is null) return;
            try
            {
                connection.Dispose(); // rolls back an open transaction, then closes the handle
            }
            catch (Exception)
            {
                // The rollback failed and the handle is still open: closing it makes SQLite roll back and release the
                // write lock, which would otherwise stay held until the object is collected.
                connection.Handle?.Dispose();
            }
        }
    }
}
