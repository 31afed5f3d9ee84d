using Microsoft.Data.Sqlite;

namespace Gateway.Vfs.Store;

/// <summary>
/// The one SQLite database of a gateway (state-dir/gateway.db): node identities, Windows metadata,
/// locks, share reservations, client state and users. WAL mode; one writer connection serialised by a
/// lock (SQLite allows one writer anyway); hot lookups are served from memory by the callers.
/// Every write commits before the method returns, so nothing is acknowledged that a crash could lose.
/// </summary>
public sealed partial class GatewayStore : IDisposable
{
    public const string FileName = "gateway.db";

    private readonly SqliteConnection _db;
    private readonly object _gate = new();
    private bool _disposed;

    private GatewayStore(string path, SqliteConnection db)
    {
        Path = path;
        _db = db;
    }

    public string Path { get; }

    /// <summary>True when the previous run did not close the store cleanly (crash, kill -9).</summary>
    public bool RecoveredFromCrash { get; private set; }

    public static GatewayStore Open(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = System.IO.Path.Combine(stateDirectory, FileName);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            db.Open();
            Exec(db, "PRAGMA journal_mode=WAL;");
            // NORMAL in WAL mode: a commit survives a process crash (kill -9); only power loss can
            // roll back the last transactions, and the disk's own data has the same window.
            Exec(db, "PRAGMA synchronous=NORMAL;");
            Exec(db, "PRAGMA busy_timeout=5000;");
            Exec(db, "PRAGMA foreign_keys=ON;");
            // Checkpoints run on a background connection (CheckpointLoop), not inside a client's commit.
            Exec(db, "PRAGMA wal_autocheckpoint=0;");
            var store = new GatewayStore(path, db);
            store.Migrate();
            store.LoadIdReservation();
            store.StartBackgroundWork();
            store.RecoveredFromCrash = store.GetMeta("open") is not null;
            store.SetMeta("open", [1]);
            return store;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public int SchemaVersion
    {
        get
        {
            lock (_gate) return Convert.ToInt32(Scalar(_db, "PRAGMA user_version;"));
        }
    }

    private void Migrate()
    {
        var current = Convert.ToInt32(Scalar(_db, "PRAGMA user_version;"));
        if (current > Migrations.Latest)
            throw new InvalidOperationException(
                $"{Path} has schema version {current}, newer than this gateway understands ({Migrations.Latest}); use a newer gateway or another --state-dir");
        for (var v = current; v < Migrations.Latest; v++)
        {
            using var tx = _db.BeginTransaction();
            Exec(_db, Migrations.All[v], tx);
            Exec(_db, $"PRAGMA user_version={v + 1};", tx);
            tx.Commit();
        }
    }

    public byte[]? GetMeta(string key)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT value FROM meta WHERE key=$k";
            cmd.Parameters.AddWithValue("$k", key);
            return cmd.ExecuteScalar() as byte[];
        }
    }

    public void SetMeta(string key, byte[] value)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "INSERT INTO meta(key, value) VALUES($k, $v) ON CONFLICT(key) DO UPDATE SET value=excluded.value";
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$v", value);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Runs PRAGMA integrity_check; "ok" when the database is sound.</summary>
    public string IntegrityCheck()
    {
        lock (_gate) return Convert.ToString(Scalar(_db, "PRAGMA integrity_check;")) ?? "";
    }

    /// <summary>Runs <paramref name="work"/> in one transaction on the writer connection.</summary>
    internal T Write<T>(Func<SqliteConnection, SqliteTransaction?, T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // BEGIN and COMMIT are prepared once: on the create path they cost as much as the insert itself.
            _begin ??= PrepareRaw("BEGIN IMMEDIATE");
            _commit ??= PrepareRaw("COMMIT");
            _begin.ExecuteNonQuery();
            try
            {
                FlushDeletes(_db, null);
                var result = work(_db, null);
                _commit.ExecuteNonQuery();
                return result;
            }
            catch
            {
                if (!_db.IsAutocommit()) Exec(_db, "ROLLBACK");
                throw;
            }
        }
    }

    private SqliteCommand? _begin, _commit;

    private SqliteCommand PrepareRaw(string sql)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Prepare();
        return cmd;
    }

    internal T Read<T>(Func<SqliteConnection, T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_db);
        }
    }

    internal static void Exec(SqliteConnection db, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private Timer? _background;
    private SqliteConnection? _checkpointDb;

    /// <summary>Every 200 ms: write queued deletes; about every 2 s: checkpoint the WAL from a second connection.</summary>
    private void StartBackgroundWork()
    {
        _checkpointDb = new SqliteConnection(_db.ConnectionString);
        _checkpointDb.Open();
        Exec(_checkpointDb, "PRAGMA busy_timeout=5000;");
        var ticks = 0;
        _background = new Timer(_ =>
        {
            try
            {
                bool pending;
                lock (_pendingDeletes) pending = _pendingDeletes.Count > 0;
                if (pending) Write((_, _) => 0);
                if (++ticks % 10 == 0)
                    lock (_checkpointDb) if (!_disposed) Exec(_checkpointDb, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (Exception e) when (e is SqliteException or ObjectDisposedException or InvalidOperationException)
            {
                // the next tick (or Dispose) tries again; a queued delete is harmless meanwhile
            }
        }, null, 200, 200);
    }

    public void Dispose()
    {
        _background?.Dispose();
        lock (_gate)
        {
            if (_disposed) return;
            try
            {
                Exec(_db, "BEGIN IMMEDIATE");
                FlushDeletes(_db, null);
                Exec(_db, "COMMIT");
            }
            catch (SqliteException)
            {
            }
            _disposed = true;
            if (_checkpointDb is not null) lock (_checkpointDb) _checkpointDb.Dispose();
            foreach (var c in new[] { _insertNode, _moveNode, _deleteNode, _begin, _commit }) c?.Dispose();
            try
            {
                using (var cmd = _db.CreateCommand())
                {
                    cmd.CommandText = "DELETE FROM meta WHERE key='open'";
                    cmd.ExecuteNonQuery();
                }
                Exec(_db, "PRAGMA wal_checkpoint(TRUNCATE);");
            }
            finally
            {
                _db.Dispose();
            }
        }
    }
}

internal static class SqliteConnectionExtensions
{
    /// <summary>True when no transaction is open on the connection (sqlite3_get_autocommit).</summary>
    public static bool IsAutocommit(this SqliteConnection db) => SQLitePCL.raw.sqlite3_get_autocommit(db.Handle) != 0;
}
