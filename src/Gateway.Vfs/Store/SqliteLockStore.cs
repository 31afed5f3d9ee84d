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

    public void ReplaceNodeLocks(NodeId node, IReadOnlyList<LockRecord> locks) => store.Write((db, tx) =>
    {
        using var delete = db.CreateCommand();
        delete.Transaction = tx;
        delete.CommandText = "DELETE FROM locks WHERE node_id=$n";
        delete.Parameters.AddWithValue("$n", (long)node.Value);
        delete.ExecuteNonQuery();
        if (locks.Count == 0) return 0;
        using var insert = db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO locks(node_id, protocol, client, owner, offset, length, kind, flavor) VALUES($n,$p,$c,$o,$off,$len,$k,$f)";
        var p = new[] { "$n", "$p", "$c", "$o", "$off", "$len", "$k", "$f" }.Select(n => insert.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter { ParameterName = n })).ToArray();
        foreach (var l in locks)
        {
            p[0].Value = (long)l.Node.Value;
            p[1].Value = (int)l.Owner.Protocol;
            p[2].Value = (long)l.Owner.Client.Value;
            p[3].Value = (long)l.Owner.Owner;
            p[4].Value = (long)l.Range.Offset;
            p[5].Value = (long)l.Range.Length;
            p[6].Value = (int)l.Kind;
            p[7].Value = (int)l.Flavor;
            insert.ExecuteNonQuery();
        }
        return locks.Count;
    });

    public void ReplaceNodeShares(NodeId node, IReadOnlyList<ShareRecord> shares) => store.Write((db, tx) =>
    {
        using var delete = db.CreateCommand();
        delete.Transaction = tx;
        delete.CommandText = "DELETE FROM shares WHERE node_id=$n";
        delete.Parameters.AddWithValue("$n", (long)node.Value);
        delete.ExecuteNonQuery();
        if (shares.Count == 0) return 0;
        using var insert = db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO shares(node_id, open_id, protocol, client, owner, access, deny) VALUES($n,$id,$p,$c,$o,$a,$d)";
        var p = new[] { "$n", "$id", "$p", "$c", "$o", "$a", "$d" }.Select(n => insert.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter { ParameterName = n })).ToArray();
        foreach (var s in shares)
        {
            p[0].Value = (long)s.Node.Value;
            p[1].Value = (long)s.OpenId;
            p[2].Value = (int)s.Owner.Protocol;
            p[3].Value = (long)s.Owner.Client.Value;
            p[4].Value = (long)s.Owner.Owner;
            p[5].Value = (int)s.Access;
            p[6].Value = (int)s.Deny;
            insert.ExecuteNonQuery();
        }
        return shares.Count;
    });
}
