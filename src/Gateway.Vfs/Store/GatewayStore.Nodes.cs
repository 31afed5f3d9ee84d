using Microsoft.Data.Sqlite;

namespace Gateway.Vfs.Store;

public sealed partial class GatewayStore
{
    private SqliteCommand? _insertNode, _moveNode, _deleteNode;
    private readonly List<NodeId> _pendingDeletes = new();
    private ulong _lastNodeId, _idsReserved;

    /// <summary>Finds or registers an export by name. A name re-used for another directory starts afresh: old handles go stale.</summary>
    public int EnsureExport(string name, string path) => Write((db, tx) =>
    {
        using var find = db.CreateCommand();
        find.Transaction = tx;
        find.CommandText = "SELECT id, path FROM exports WHERE name=$n";
        find.Parameters.AddWithValue("$n", name);
        using (var r = find.ExecuteReader())
        {
            if (r.Read())
            {
                var id = r.GetInt32(0);
                if (r.GetString(1) == path) return id;
                r.Close();
                using var reset = db.CreateCommand();
                reset.Transaction = tx;
                reset.CommandText = """
                    DELETE FROM win_meta WHERE node_id IN (SELECT id FROM nodes WHERE export_id=$id);
                    DELETE FROM locks WHERE node_id IN (SELECT id FROM nodes WHERE export_id=$id);
                    DELETE FROM shares WHERE node_id IN (SELECT id FROM nodes WHERE export_id=$id);
                    DELETE FROM nodes WHERE export_id=$id;
                    UPDATE exports SET path=$p, root_node=NULL WHERE id=$id;
                    """;
                reset.Parameters.AddWithValue("$id", id);
                reset.Parameters.AddWithValue("$p", path);
                reset.ExecuteNonQuery();
                return id;
            }
        }
        using var insert = db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO exports(name, path) VALUES($n, $p) RETURNING id";
        insert.Parameters.AddWithValue("$n", name);
        insert.Parameters.AddWithValue("$p", path);
        return Convert.ToInt32(insert.ExecuteScalar());
    });

    public NodeId? GetExportRoot(int exportId) => Read(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT root_node FROM exports WHERE id=$id";
        cmd.Parameters.AddWithValue("$id", exportId);
        return cmd.ExecuteScalar() is long v ? new NodeId((ulong)v) : (NodeId?)null;
    });

    public void SetExportRoot(int exportId, NodeId root) => Write((db, tx) =>
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "UPDATE exports SET root_node=$r WHERE id=$id";
        cmd.Parameters.AddWithValue("$r", (long)root.Value);
        cmd.Parameters.AddWithValue("$id", exportId);
        return cmd.ExecuteNonQuery();
    });

    /// <summary>The export a node belongs to, or null if no such node exists (never did, or was removed).</summary>
    public int? GetNodeExport(NodeId id) => Read(db =>
    {
        lock (_pendingDeletes)
            if (_pendingDeletes.Contains(id)) return null;
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT export_id FROM nodes WHERE id=$id";
        cmd.Parameters.AddWithValue("$id", (long)id.Value);
        return cmd.ExecuteScalar() is long v ? (int)v : (int?)null;
    });

    /// <summary>Every id up to this one may have been handed out (ids come from reserved blocks and are never reused).</summary>
    public ulong MaxNodeId() => Read(_ => _idsReserved);

    public List<NodeRow> LoadNodes(int exportId) => Read(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT id, dev, ino, gen, parent, name, type, create_verf FROM nodes WHERE export_id=$e";
        cmd.Parameters.AddWithValue("$e", exportId);
        var rows = new List<NodeRow>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            rows.Add(new NodeRow(
                new NodeId((ulong)r.GetInt64(0)), exportId, (ulong)r.GetInt64(1), (ulong)r.GetInt64(2), (ulong)r.GetInt64(3),
                new NodeId((ulong)r.GetInt64(4)), LoadName(r, 5), (FileType)r.GetInt32(6),
                r.IsDBNull(7) ? null : (ulong)r.GetInt64(7)));
        }
        return rows;
    });

    /// <summary>
    /// Registers a node and returns its new id, committed before it returns. A row left for the same
    /// (device, inode) by a file that is gone is replaced: that inode was reused, and handles to the
    /// old file must go stale.
    /// </summary>
    /// <remarks>
    /// Why this is not written behind as DeleteNode is (it is the largest user-space cost of a small-file
    /// create, ~35-40 us): a lost delete leaves a row whose file is gone, which resolving finds out (Stale);
    /// a lost insert loses the only record of which file an id names. The id itself is safe (it comes
    /// from a reserved block that was committed), but after a crash the start-up Reconcile can only check
    /// the rows it has: it re-homes moved files and drops vanished ones, it cannot re-create a row. The
    /// file would get a new id at its next lookup, and the id a client was already given (an NFS file
    /// handle, an SMB durable FileId, both meant to survive a gateway restart) would answer Stale for a
    /// file that exists: acknowledged state that was not committed, which DESIGN rules out. FUSE alone
    /// could afford it (its node ids die with the mount), but the Vfs does not know who asks.
    /// </remarks>
    public NodeId InsertNode(int exportId, ulong dev, ulong ino, ulong gen, NodeId parent, string name, FileType type, ulong? createVerifier = null) =>
        Write((db, tx) =>
        {
            var id = ++_lastNodeId;
            if (id > _idsReserved) ReserveIds(db, tx, id);
            _insertNode ??= Prepare(db,
                "INSERT OR REPLACE INTO nodes(id, export_id, dev, ino, gen, parent, name, type, create_verf) VALUES($id,$e,$d,$i,$g,$p,$n,$t,$v)",
                "$id", "$e", "$d", "$i", "$g", "$p", "$n", "$t", "$v");
            _insertNode.Transaction = tx;
            Bind(_insertNode, (long)id, exportId, (long)dev, (long)ino, (long)gen, (long)parent.Value, StoredName(name), (int)type,
                createVerifier is { } v ? (long)v : DBNull.Value);
            _insertNode.ExecuteNonQuery();
            return new NodeId(id);
        });

    // Reserving ids a block at a time keeps the common insert to one row; a crash wastes at most a block.
    private const ulong IdBlock = 4096;

    private void ReserveIds(SqliteConnection db, SqliteTransaction? tx, ulong needed)
    {
        var upTo = needed + IdBlock;
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO meta(key, value) VALUES('node-ids-reserved', $v) ON CONFLICT(key) DO UPDATE SET value=excluded.value";
        cmd.Parameters.AddWithValue("$v", (long)upTo);
        cmd.ExecuteNonQuery();
        _idsReserved = upTo;
    }

    private void LoadIdReservation()
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key='node-ids-reserved'";
        _idsReserved = cmd.ExecuteScalar() is long v ? (ulong)v : 0;
        _lastNodeId = _idsReserved; // start after the whole reserved block: ids of a crashed run are never handed out again
    }

    public void MoveNode(NodeId id, NodeId parent, string name) => Write((db, tx) =>
    {
        _moveNode ??= Prepare(db, "UPDATE nodes SET parent=$p, name=$n WHERE id=$id", "$p", "$n", "$id");
        _moveNode.Transaction = tx;
        Bind(_moveNode, (long)parent.Value, StoredName(name), (long)id.Value);
        return _moveNode.ExecuteNonQuery();
    });

    /// <summary>
    /// Forgets a node. Written behind (with the next transaction, or within a fraction of a second): a
    /// row that outlives its file is harmless, since resolving it finds the file gone and reports Stale.
    /// </summary>
    public void DeleteNode(NodeId id)
    {
        lock (_pendingDeletes) _pendingDeletes.Add(id);
    }

    /// <summary>Applies queued deletes inside the caller's transaction (caller holds the gate).</summary>
    private void FlushDeletes(SqliteConnection db, SqliteTransaction? tx)
    {
        NodeId[] ids;
        lock (_pendingDeletes)
        {
            if (_pendingDeletes.Count == 0) return;
            ids = [.. _pendingDeletes];
            _pendingDeletes.Clear();
        }
        _deleteNode ??= Prepare(db,
            "DELETE FROM nodes WHERE id=$id; DELETE FROM win_meta WHERE node_id=$id; DELETE FROM locks WHERE node_id=$id; DELETE FROM shares WHERE node_id=$id;",
            "$id");
        _deleteNode.Transaction = tx;
        foreach (var id in ids)
        {
            Bind(_deleteNode, (long)id.Value);
            _deleteNode.ExecuteNonQuery();
        }
    }

    public Dictionary<NodeId, (DosAttributes? Dos, long? CreationTime)> LoadWindowsInfo(int exportId) => Read(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT w.node_id, w.dos_attrs, w.creation_time FROM win_meta w JOIN nodes n ON n.id=w.node_id WHERE n.export_id=$e";
        cmd.Parameters.AddWithValue("$e", exportId);
        var map = new Dictionary<NodeId, (DosAttributes?, long?)>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            map[new NodeId((ulong)r.GetInt64(0))] = (
                r.IsDBNull(1) ? null : (DosAttributes)(uint)r.GetInt64(1),
                r.IsDBNull(2) ? null : r.GetInt64(2));
        }
        return map;
    });

    public void SetWindowsInfo(NodeId id, DosAttributes? dos, long? creationTime) => Write((db, tx) =>
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO win_meta(node_id, dos_attrs, creation_time) VALUES($id, $d, $c)
            ON CONFLICT(node_id) DO UPDATE SET dos_attrs=excluded.dos_attrs, creation_time=excluded.creation_time
            """;
        cmd.Parameters.AddWithValue("$id", (long)id.Value);
        cmd.Parameters.AddWithValue("$d", dos is { } d ? (long)(uint)d : DBNull.Value);
        cmd.Parameters.AddWithValue("$c", creationTime is { } c ? c : DBNull.Value);
        return cmd.ExecuteNonQuery();
    });

    /// <summary>
    /// A name as SQLite keeps it. SQLite text is UTF-8, and binding a string that holds escaped bytes
    /// (a name that is not UTF-8 on disk, see NameEncoding) would replace them with U+FFFD: such a
    /// name is stored as a blob of its exact on-disk bytes instead. Every other name stays text, as
    /// it always was, so existing databases need no migration.
    /// </summary>
    private static object StoredName(string name)
    {
        if (!NameEncoding.HasEscapes(name)) return name;
        var length = NameEncoding.GetByteCount(name);
        if (length < 0) return name; // not a name at all (the Vfs validates first); never reached
        var bytes = new byte[length];
        NameEncoding.TryEncode(name, bytes, out _);
        return bytes;
    }

    private static string LoadName(SqliteDataReader r, int ordinal) =>
        r.GetValue(ordinal) is byte[] bytes ? NameEncoding.Decode(bytes) : r.GetString(ordinal);

    private static SqliteCommand Prepare(SqliteConnection db, string sql, params string[] names)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var n in names) cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        return cmd;
    }

    private static void Bind(SqliteCommand cmd, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i];
    }
}
