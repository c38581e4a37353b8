using System.Globalization;
using System.Text.Json;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Engine.Retrieve;
using Microsoft.Data.Sqlite;

namespace ActorMove.Engine.Migration;

/// <summary>
/// The --journal file: an SQLite database (WAL mode) holding one row per manifest row with its state, attempts, result
/// and timestamps, so that a rerun skips what is done and picks up what failed or was cut short. Every call is one short
/// transaction on one connection, serialised by a lock; <see cref="Plan"/> is one transaction over the whole manifest so
/// that a manifest error half way leaves the journal as it was.
/// </summary>
public sealed class MigrationJournal : IDisposable
{
    public const int SchemaVersion = 1;

    private const string IdentityName = "manifest_identity";
    private const string PlanName = "current_plan";
    private const string SchemaName = "schema_version";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private long _plan;

    private MigrationJournal(string path, SqliteConnection connection, TimeProvider clock)
    {
        Path = path;
        _connection = connection;
        _clock = clock;
    }

    public string Path { get; }

    public string ManifestIdentity { get; private set; } = "";

    /// <summary>
    /// Opens or creates the journal at <paramref name="path"/> for the manifest whose <see cref="Manifest.Identity"/> is
    /// <paramref name="manifestIdentity"/>. A journal made for another manifest throws <see cref="JournalException"/>
    /// unless <paramref name="force"/> is set, which adopts the journal for this manifest (rows whose keys match are
    /// still recognised).
    /// </summary>
    public static MigrationJournal Open(
        string path,
        string manifestIdentity,
        bool force = false,
        JournalDurability durability = JournalDurability.Normal,
        TimeProvider? clock = null)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // A pooled connection would keep the file open after Dispose, and a journal is opened once per run anyway.
            Pooling = false,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            var journal = new MigrationJournal(path, connection, clock ?? TimeProvider.System);
            journal.Initialise(manifestIdentity, force, durability);
            return journal;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new JournalException($"{path}: cannot use the journal: {e.Message}");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Initialise(string manifestIdentity, bool force, JournalDurability durability)
    {
        string mode = Scalar<string>("PRAGMA journal_mode=WAL;") ?? "";
        if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new JournalException($"{Path}: the journal needs WAL mode, SQLite gave '{mode}'");
        }

        Execute(durability == JournalDurability.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
        Execute("PRAGMA busy_timeout=5000;");

        using var transaction = _connection.BeginTransaction();
        Execute("""
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS rows (
                key TEXT PRIMARY KEY,
                row_number INTEGER NOT NULL,
                identifier TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
                plan INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                total_attempts INTEGER NOT NULL DEFAULT 0,
                final_status INTEGER,
                outcome TEXT,
                completed INTEGER NOT NULL DEFAULT 0,
                failed INTEGER NOT NULL DEFAULT 0,
                warning INTEGER NOT NULL DEFAULT 0,
                bytes INTEGER NOT NULL DEFAULT 0,
                files INTEGER NOT NULL DEFAULT 0,
                duration_ms REAL,
                last_error TEXT,
                not_before_ms INTEGER,
                created_ms INTEGER NOT NULL,
                started_ms INTEGER,
                finished_ms INTEGER,
                updated_ms INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS rows_by_plan_state ON rows (plan, state, row_number);
            """, transaction);

        string? schema = GetMeta(SchemaName, transaction);
        if (schema is not null && schema != SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new JournalException($"{Path}: journal schema version {schema}; this program writes version {SchemaVersion}");
        }

        string? existing = GetMeta(IdentityName, transaction);
        if (existing is not null && existing != manifestIdentity && !force)
        {
            throw new JournalException(
                $"{Path}: the journal belongs to manifest '{existing}', not '{manifestIdentity}'; " +
                "use another journal, or force to reuse this one");
        }

        SetMeta(SchemaName, SchemaVersion.ToString(CultureInfo.InvariantCulture), transaction);
        SetMeta(IdentityName, manifestIdentity, transaction);
        _plan = long.Parse(GetMeta(PlanName, transaction) ?? "0", CultureInfo.InvariantCulture);
        transaction.Commit();
        ManifestIdentity = manifestIdentity;
    }

    /// <summary>
    /// Starts a run over <paramref name="rows"/>: new rows become pending, done rows stay done (skipped), failed rows
    /// and rows left running by a run that died become pending with their per-run attempts reset. Rows the journal
    /// holds but <paramref name="rows"/> does not (e.g. edited away) are left alone and take no part in this run.
    /// </summary>
    public JournalPlan Plan(IEnumerable<ManifestRow> rows)
    {
        lock (_gate)
        {
            long plan = _plan + 1;
            long now = NowMs();
            int total = 0, added = 0, done = 0, failed = 0, running = 0, pending = 0;
            using var transaction = _connection.BeginTransaction();
            using var select = Command("SELECT state FROM rows WHERE key = $key", transaction);
            var selectKey = select.Parameters.Add("$key", SqliteType.Text);
            using var insert = Command("""
                INSERT INTO rows (key, row_number, identifier, state, plan, created_ms, updated_ms)
                VALUES ($key, $row, $identifier, 'pending', $plan, $now, $now)
                """, transaction);
            var insertKey = insert.Parameters.Add("$key", SqliteType.Text);
            var insertRow = insert.Parameters.Add("$row", SqliteType.Integer);
            var insertIdentifier = insert.Parameters.Add("$identifier", SqliteType.Text);
            insert.Parameters.AddWithValue("$plan", plan);
            insert.Parameters.AddWithValue("$now", now);
            using var keepDone = Command("UPDATE rows SET plan = $plan WHERE key = $key", transaction);
            var keepDoneKey = keepDone.Parameters.Add("$key", SqliteType.Text);
            keepDone.Parameters.AddWithValue("$plan", plan);
            using var requeue = Command("""
                UPDATE rows SET state = 'pending', plan = $plan, attempts = 0, not_before_ms = NULL, updated_ms = $now
                WHERE key = $key
                """, transaction);
            var requeueKey = requeue.Parameters.Add("$key", SqliteType.Text);
            requeue.Parameters.AddWithValue("$plan", plan);
            requeue.Parameters.AddWithValue("$now", now);

            foreach (var row in rows)
            {
                total++;
                selectKey.Value = row.Key;
                switch (select.ExecuteScalar() as string)
                {
                    case null:
                        insertKey.Value = row.Key;
                        insertRow.Value = row.Row;
                        insertIdentifier.Value = IdentifierText(row.Identifier);
                        insert.ExecuteNonQuery();
                        added++;
                        break;
                    case "done":
                        keepDoneKey.Value = row.Key;
                        keepDone.ExecuteNonQuery();
                        done++;
                        break;
                    case var state:
                        requeueKey.Value = row.Key;
                        requeue.ExecuteNonQuery();
                        if (state == "failed")
                        {
                            failed++;
                        }
                        else if (state == "running")
                        {
                            running++;
                        }
                        else
                        {
                            pending++;
                        }

                        break;
                }
            }

            SetMeta(PlanName, plan.ToString(CultureInfo.InvariantCulture), transaction);
            transaction.Commit();
            _plan = plan;
            return new JournalPlan(total, added, done, failed, running, pending);
        }
    }

    /// <summary>The pending row of this run with the lowest row number that is ready at <paramref name="now"/>.</summary>
    public JournalEntry? NextPending(DateTimeOffset? now = null)
    {
        lock (_gate)
        {
            using var command = Command($"""
                SELECT {EntryColumns} FROM rows
                WHERE plan = $plan AND state = 'pending' AND (not_before_ms IS NULL OR not_before_ms <= $now)
                ORDER BY row_number LIMIT 1
                """);
            command.Parameters.AddWithValue("$plan", _plan);
            command.Parameters.AddWithValue("$now", (now ?? _clock.GetUtcNow()).ToUnixTimeMilliseconds());
            return ReadEntries(command).FirstOrDefault();
        }
    }

    /// <summary><see cref="NextPending"/> and <see cref="MarkRunning"/> under one lock, so two workers never claim one row.</summary>
    public JournalEntry? ClaimNext(DateTimeOffset? now = null)
    {
        lock (_gate)
        {
            var next = NextPending(now);
            if (next is null)
            {
                return null;
            }

            MarkRunning(next.Key);
            return Get(next.Key);
        }
    }

    /// <summary>The pending rows of this run in row order, ready or waiting for a retry, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<JournalEntry> Pending(int limit = int.MaxValue)
    {
        lock (_gate)
        {
            using var command = Command($"SELECT {EntryColumns} FROM rows WHERE plan = $plan AND state = 'pending' ORDER BY row_number LIMIT $limit");
            command.Parameters.AddWithValue("$plan", _plan);
            command.Parameters.AddWithValue("$limit", limit);
            return ReadEntries(command).ToList();
        }
    }

    /// <summary>When the earliest waiting retry of this run becomes ready; null when no pending row waits.</summary>
    public DateTimeOffset? EarliestRetry()
    {
        lock (_gate)
        {
            using var command = Command("SELECT MIN(not_before_ms) FROM rows WHERE plan = $plan AND state = 'pending'");
            command.Parameters.AddWithValue("$plan", _plan);
            return command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }
    }

    public JournalEntry? Get(string key)
    {
        lock (_gate)
        {
            using var command = Command($"SELECT {EntryColumns} FROM rows WHERE key = $key");
            command.Parameters.AddWithValue("$key", key);
            return ReadEntries(command).FirstOrDefault();
        }
    }

    /// <summary>A pending row starts: state running, one more attempt. Throws when the row is not pending.</summary>
    public void MarkRunning(string key)
    {
        lock (_gate)
        {
            long now = NowMs();
            using var command = Command("""
                UPDATE rows SET state = 'running', attempts = attempts + 1, total_attempts = total_attempts + 1,
                    not_before_ms = NULL, started_ms = $now, finished_ms = NULL, updated_ms = $now
                WHERE key = $key AND state = 'pending'
                """);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$now", now);
            if (command.ExecuteNonQuery() != 1)
            {
                throw new JournalException($"{Path}: row {key} is not pending (or not in the journal)");
            }
        }
    }

    /// <summary>The row's move finished; once this returns the row is skipped by every later run.</summary>
    public void MarkDone(string key, MoveResult result)
    {
        lock (_gate)
        {
            Finish(key, "done", result, result.Error, null);
        }
    }

    /// <summary>
    /// The row's move failed. With <paramref name="retryAt"/> the row goes back to pending and becomes ready then;
    /// without, it is failed for good (until a rerun requeues it).
    /// </summary>
    public void MarkFailed(string key, string error, MoveResult? result = null, DateTimeOffset? retryAt = null)
    {
        lock (_gate)
        {
            Finish(key, retryAt is null ? "failed" : "pending", result, error, retryAt);
        }
    }

    /// <summary>Counts of the current plan's rows by state, and totals of their last results.</summary>
    public JournalSummary Summary()
    {
        lock (_gate)
        {
            using var command = Command("""
                SELECT COUNT(*),
                    COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'running'), 0),
                    COALESCE(SUM(state = 'done'), 0), COALESCE(SUM(state = 'failed'), 0),
                    COALESCE(SUM(completed), 0), COALESCE(SUM(failed), 0), COALESCE(SUM(warning), 0),
                    COALESCE(SUM(bytes), 0), COALESCE(SUM(files), 0), COALESCE(SUM(duration_ms), 0)
                FROM rows WHERE plan = $plan
                """);
            command.Parameters.AddWithValue("$plan", _plan);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new JournalSummary(
                reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9),
                TimeSpan.FromMilliseconds(reader.GetDouble(10)));
        }
    }

    public void Dispose() => _connection.Dispose();

    private void Finish(string key, string state, MoveResult? result, string? error, DateTimeOffset? retryAt)
    {
        long now = NowMs();
        using var command = Command("""
            UPDATE rows SET state = $state, final_status = $status, outcome = $outcome,
                completed = $completed, failed = $failed, warning = $warning, bytes = $bytes, files = $files,
                duration_ms = $duration, last_error = $error, not_before_ms = $notBefore,
                finished_ms = $now, updated_ms = $now
            WHERE key = $key
            """);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$status", (object?)result?.FinalStatus ?? DBNull.Value);
        command.Parameters.AddWithValue("$outcome", (object?)result?.Outcome.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$completed", result?.Counts.Completed ?? 0);
        command.Parameters.AddWithValue("$failed", result?.Counts.Failed ?? 0);
        command.Parameters.AddWithValue("$warning", result?.Counts.Warning ?? 0);
        command.Parameters.AddWithValue("$bytes", result?.Files.Sum(f => f.Bytes) ?? 0L);
        command.Parameters.AddWithValue("$files", result?.Files.Count ?? 0);
        command.Parameters.AddWithValue("$duration", (object?)result?.Duration.TotalMilliseconds ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$notBefore", (object?)retryAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", now);
        if (command.ExecuteNonQuery() != 1)
        {
            throw new JournalException($"{Path}: row {key} is not in the journal");
        }
    }

    private const string EntryColumns =
        "key, row_number, state, attempts, total_attempts, final_status, outcome, completed, failed, warning, bytes, files, " +
        "duration_ms, last_error, not_before_ms, created_ms, started_ms, finished_ms, identifier";

    private static IEnumerable<JournalEntry> ReadEntries(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new JournalEntry(
                Key: reader.GetString(0),
                Row: reader.GetInt32(1),
                State: Enum.Parse<JournalRowState>(reader.GetString(2), ignoreCase: true),
                Attempts: reader.GetInt32(3),
                TotalAttempts: reader.GetInt32(4),
                FinalStatus: reader.IsDBNull(5) ? null : (ushort)reader.GetInt32(5),
                Outcome: reader.IsDBNull(6) ? null : reader.GetString(6),
                Completed: reader.GetInt32(7),
                Failed: reader.GetInt32(8),
                Warning: reader.GetInt32(9),
                Bytes: reader.GetInt64(10),
                Files: reader.GetInt32(11),
                Duration: reader.IsDBNull(12) ? null : TimeSpan.FromMilliseconds(reader.GetDouble(12)),
                LastError: reader.IsDBNull(13) ? null : reader.GetString(13),
                NotBefore: Time(reader, 14),
                CreatedUtc: Time(reader, 15)!.Value,
                StartedUtc: Time(reader, 16),
                FinishedUtc: Time(reader, 17),
                Identifier: ParseIdentifier(reader.GetString(18)));
        }
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>The identifier as JSON: [{"tag":"00080052","vr":"CS","value":"STUDY"}, ...].</summary>
    internal static string IdentifierText(DicomDataset identifier)
    {
        var elements = new List<IdentifierElement>(identifier.Count);
        foreach (var element in identifier)
        {
            elements.Add(new IdentifierElement(
                element.Tag.Value.ToString("X8", CultureInfo.InvariantCulture),
                element.VR.ToString(),
                identifier.GetString(element.Tag) ?? ""));
        }

        return JsonSerializer.Serialize(elements, MigrationJsonContext.Default.ListIdentifierElement);
    }

    internal static DicomDataset ParseIdentifier(string text)
    {
        var identifier = new DicomDataset();
        foreach (var element in JsonSerializer.Deserialize(text, MigrationJsonContext.Default.ListIdentifierElement) ?? [])
        {
            var tag = new DicomTag(uint.Parse(element.Tag, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            DicomVR.TryParse(element.Vr, out var vr);
            identifier.AddOrUpdate(tag, vr, element.Value);
        }

        return identifier;
    }

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = Command(sql, transaction);
        command.ExecuteNonQuery();
    }

    private T? Scalar<T>(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteScalar() is T value ? value : default;
    }

    private string? GetMeta(string name, SqliteTransaction transaction)
    {
        using var command = Command("SELECT value FROM meta WHERE name = $name", transaction);
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() as string;
    }

    private void SetMeta(string name, string value, SqliteTransaction transaction)
    {
        using var command = Command("INSERT INTO meta (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value", transaction);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }
}

/// <summary>One attribute of a stored identifier.</summary>
internal sealed record IdentifierElement(string Tag, string Vr, string Value);
