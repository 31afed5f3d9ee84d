using Gateway.Vfs.Locking;

namespace Gateway.Vfs.Store;

/// <summary>
/// The LockManager's durable side for one export: byte-range locks and share reservations in the
/// gateway database, replaced per node in one transaction, committed before the manager grants.
/// </summary>
public sealed class SqliteLockStore(GatewayStore store, int exportId) : ILockStore
{
    public IReadOnlyList<LockRecord> LoadLocks() => store.Read(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT l.node_id, l.protocol, l.client, l.owner, l.offset, l.length, l.kind, l.flavor
            FROM locks l JOIN nodes n ON n.id = l.node_id WHERE n.export_id = $e
            """;
        cmd.Parameters.AddWithValue("$e", exportId);
        var list = new List<LockRecord>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var owner = new LockOwner((LockProtocol)r.GetInt32(1), new ClientKey((ulong)r.GetInt64(2)), (ulong)r.GetInt64(3));
            list.Add(new LockRecord(new NodeId((ulong)r.GetInt64(0)), owner,
                new ByteRange((ulong)r.GetInt64(4), (ulong)r.GetInt64(5)), (LockKind)r.GetInt32(6), (LockFlavor)r.GetInt32(7)));
        }
        return list;
    });

    public IReadOnlyList<ShareRecord> LoadShares() => store.Read(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT s.node_id, s.open_id, s.protocol, s.client, s.owner, s.access, s.deny
            FROM shares s JOIN nodes n ON n.id = s.node_id WHERE n.export_id = $e
            """;
        cmd.Parameters.AddWithValue("$e", exportId);
        var list = new List<ShareRecord>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var owner = new LockOwner((LockProtocol)r.GetInt32(2), new ClientKey((ulong)r.GetInt64(3)), (ulong)r.GetInt64(4));
            list.Add(new ShareRecord(new NodeId((ulong)r.GetInt64(0)), (ulong)r.GetInt64(1), owner,
                (ShareAccess)r.GetInt32(5), (ShareAccess)r.GetInt32(6)));
        }
        return list;
    });

    public void ReplaceNodeLocks(NodeId node, IReadOnlyList<LockRecord> locks) => ReplaceRows(
        "locks", ["node_id", "protocol", "client", "owner", "offset", "length", "kind", "flavor"], node, locks,
        static l => [(long)l.Node.Value, (int)l.Owner.Protocol, (long)l.Owner.Client.Value, (long)l.Owner.Owner,
            (long)l.Range.Offset, (long)l.Range.Length, (int)l.Kind, (int)l.Flavor]);

    public void ReplaceNodeShares(NodeId node, IReadOnlyList<ShareRecord> shares) => ReplaceRows(
        "shares", ["node_id", "open_id", "protocol", "client", "owner", "access", "deny"], node, shares,
        static s => [(long)s.Node.Value, (long)s.OpenId, (int)s.Owner.Protocol, (long)s.Owner.Client.Value,
            (long)s.Owner.Owner, (int)s.Access, (int)s.Deny]);

    /// <summary>Replaces every row of one node in <paramref name="table"/> in one transaction.</summary>
    private void ReplaceRows<T>(string table, string[] columns, NodeId node, IReadOnlyList<T> rows, Func<T, object[]> values) =>
        store.Write((db, tx) =>
        {
            using var delete = db.CreateCommand();
            delete.Transaction = tx;
            delete.CommandText = $"DELETE FROM {table} WHERE node_id=$n";
            delete.Parameters.AddWithValue("$n", (long)node.Value);
            delete.ExecuteNonQuery();
            if (rows.Count == 0) return 0;
            using var insert = db.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO {table}({string.Join(", ", columns)}) VALUES({string.Join(", ", columns.Select(c => "$" + c))})";
            var parameters = columns.Select(c => insert.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter { ParameterName = "$" + c })).ToArray();
            foreach (var row in rows)
            {
                var v = values(row);
                for (var i = 0; i < parameters.Length; i++) parameters[i].Value = v[i];
                insert.ExecuteNonQuery();
            }
            return rows.Count;
        });
}
