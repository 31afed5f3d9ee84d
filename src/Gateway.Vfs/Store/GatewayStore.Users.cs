namespace Gateway.Vfs.Store;

/// <summary>
/// A user SMB clients may log on as. Only the NT hash (MD4 of the UTF-16LE password) is kept, never the
/// password; Uid/Gid are who the user acts as on disk (by default the one who added the user).
/// </summary>
public sealed record UserRow(string Name, uint Uid, uint Gid, string? Sid, byte[] NtHash, long CreatedUnixSeconds);

public sealed partial class GatewayStore
{
    /// <summary>Adds the user or replaces its hash and ids (a password change); committed before it returns.</summary>
    public void PutUser(string name, uint uid, uint gid, byte[] ntHash) => Write((db, tx) =>
    {
        if (ntHash.Length != 16) throw new ArgumentException("an NT hash is 16 bytes", nameof(ntHash));
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        // Names compare case-insensitively (as NTLM does): the stored spelling is the latest one given.
        cmd.CommandText = """
            DELETE FROM users WHERE lower(name) = lower($n);
            INSERT INTO users(name, uid, gid, sid, nt_hash, created) VALUES($n, $u, $g, NULL, $h, $c);
            """;
        cmd.Parameters.AddWithValue("$n", name);
        cmd.Parameters.AddWithValue("$u", (long)uid);
        cmd.Parameters.AddWithValue("$g", (long)gid);
        cmd.Parameters.AddWithValue("$h", ntHash);
        cmd.Parameters.AddWithValue("$c", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return cmd.ExecuteNonQuery();
    });

    public bool DeleteUser(string name) => Write((db, tx) =>
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "DELETE FROM users WHERE lower(name) = lower($n)";
        cmd.Parameters.AddWithValue("$n", name);
        return cmd.ExecuteNonQuery() > 0;
    });

    public UserRow? FindUser(string name) => Read(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT name, uid, gid, sid, nt_hash, created FROM users WHERE lower(name) = lower($n)";
        cmd.Parameters.AddWithValue("$n", name);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadUser(r) : null;
    });

    public List<UserRow> GetUsers() => Read(db =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT name, uid, gid, sid, nt_hash, created FROM users ORDER BY lower(name)";
        var rows = new List<UserRow>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) rows.Add(ReadUser(r));
        return rows;
    });

    private static UserRow ReadUser(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetString(0), (uint)r.GetInt64(1), (uint)r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? [] : (byte[])r[4], r.GetInt64(5));
}
