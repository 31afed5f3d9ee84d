using Microsoft.Data.Sqlite;

namespace Gateway.Vfs.Store;

public sealed partial class GatewayStore
{
    private SqliteCommand? _insertNode, _deleteNodeByInode, _moveNode, _deleteNode;

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
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT export_id FROM nodes WHERE id=$id";
        cmd.Parameters.AddWithValue("$id", (long)id.Value);
        return cmd.ExecuteScalar() is long v ? (int)v : (int?)null;
    });

    /// <summary>The highest NodeId ever handed out (AUTOINCREMENT never goes back).</summary>
    public ulong MaxNodeId() => Read(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT seq FROM sqlite_sequence WHERE name='nodes'";
        return cmd.ExecuteScalar() is long v ? (ulong)v : 0UL;
    });

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
                new NodeId((ulong)r.GetInt64(4)), r.GetString(5), (FileType)r.GetInt32(6),
                r.IsDBNull(7) ? null : (ulong)r.GetInt64(7)));
        }
        return rows;
    });

    /// <summary>
    /// Registers a node and returns its new id. Any older row for the same (device, inode) is removed in
    /// the same transaction: that inode was freed and reused, and handles to the old file must go stale.
    /// </summary>
    public NodeId InsertNode(int exportId, ulong dev, ulong ino, ulong gen, NodeId parent, string name, FileType type, ulong? createVerifier = null) =>
        Write((db, tx) =>
        {
            _deleteNodeByInode ??= Prepare(db, "DELETE FROM nodes WHERE export_id=$e AND dev=$d AND ino=$i", "$e", "$d", "$i");
            _deleteNodeByInode.Transaction = tx;
            Bind(_deleteNodeByInode, exportId, (long)dev, (long)ino);
            _deleteNodeByInode.ExecuteNonQuery();

            _insertNode ??= Prepare(db,
                "INSERT INTO nodes(export_id, dev, ino, gen, parent, name, type, create_verf) VALUES($e,$d,$i,$g,$p,$n,$t,$v) RETURNING id",
                "$e", "$d", "$i", "$g", "$p", "$n", "$t", "$v");
            _insertNode.Transaction = tx;
            Bind(_insertNode, exportId, (long)dev, (long)ino, (long)gen, (long)parent.Value, name, (int)type,
                createVerifier is { } v ? (long)v : DBNull.Value);
            return new NodeId((ulong)(long)_insertNode.ExecuteScalar()!);
        });

    public void MoveNode(NodeId id, NodeId parent, string name) => Write((db, tx) =>
    {
        _moveNode ??= Prepare(db, "UPDATE nodes SET parent=$p, name=$n WHERE id=$id", "$p", "$n", "$id");
        _moveNode.Transaction = tx;
        Bind(_moveNode, (long)parent.Value, name, (long)id.Value);
        return _moveNode.ExecuteNonQuery();
    });

    public void DeleteNode(NodeId id) => Write((db, tx) =>
    {
        _deleteNode ??= Prepare(db,
            "DELETE FROM nodes WHERE id=$id; DELETE FROM win_meta WHERE node_id=$id; DELETE FROM locks WHERE node_id=$id; DELETE FROM shares WHERE node_id=$id;",
            "$id");
        _deleteNode.Transaction = tx;
        Bind(_deleteNode, (long)id.Value);
        return _deleteNode.ExecuteNonQuery();
    });

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
