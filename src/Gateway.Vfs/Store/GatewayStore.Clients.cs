namespace Gateway.Vfs.Store;

/// <summary>A protocol client the gateway must remember across restarts (an NSM-monitored host, an NFSv4 client, an SMB durable open).</summary>
public sealed record ClientRow(int Protocol, ulong Key, string Name, byte[]? Data, long UpdatedUnixSeconds);

public sealed partial class GatewayStore
{
    /// <summary>Inserts or replaces a client record; committed before it returns.</summary>
    public void PutClient(int protocol, ulong key, string name, byte[]? data) => Write((db, tx) =>
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO clients(protocol, client_key, name, data, updated) VALUES($p, $k, $n, $d, $u)
            ON CONFLICT(protocol, client_key) DO UPDATE SET name=excluded.name, data=excluded.data, updated=excluded.updated
            """;
        cmd.Parameters.AddWithValue("$p", protocol);
        cmd.Parameters.AddWithValue("$k", (long)key);
        cmd.Parameters.AddWithValue("$n", name);
        cmd.Parameters.AddWithValue("$d", (object?)data ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$u", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return cmd.ExecuteNonQuery();
    });

    public bool DeleteClient(int protocol, ulong key) => Write((db, tx) =>
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "DELETE FROM clients WHERE protocol=$p AND client_key=$k";
        cmd.Parameters.AddWithValue("$p", protocol);
        cmd.Parameters.AddWithValue("$k", (long)key);
        return cmd.ExecuteNonQuery() > 0;
    });

    public List<ClientRow> GetClients(int protocol) => Read(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT client_key, name, data, updated FROM clients WHERE protocol=$p";
        cmd.Parameters.AddWithValue("$p", protocol);
        var rows = new List<ClientRow>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
            rows.Add(new ClientRow(protocol, (ulong)r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : (byte[])r[2], r.GetInt64(3)));
        return rows;
    });
}
