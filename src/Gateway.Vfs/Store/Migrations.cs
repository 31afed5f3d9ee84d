namespace Gateway.Vfs.Store;

/// <summary>
/// Numbered schema migrations, applied in order inside one transaction each; PRAGMA user_version
/// records the last one applied. Append only: never edit a migration that has shipped.
/// </summary>
internal static class Migrations
{
    public static readonly string[] All =
    [
        // 1: the first schema.
        """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
        CREATE TABLE exports(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            root_node INTEGER);
        -- Ids are handed out by GatewayStore from blocks reserved in meta('node-ids-reserved'):
        -- a NodeId is never reused, so an old handle can never name a new file.
        CREATE TABLE nodes(
            id INTEGER PRIMARY KEY,
            export_id INTEGER NOT NULL,
            dev INTEGER NOT NULL,
            ino INTEGER NOT NULL,
            gen INTEGER NOT NULL,
            parent INTEGER NOT NULL,
            name TEXT NOT NULL,
            type INTEGER NOT NULL,
            create_verf INTEGER);
        CREATE UNIQUE INDEX nodes_by_inode ON nodes(export_id, dev, ino);
        CREATE TABLE win_meta(
            node_id INTEGER PRIMARY KEY,
            dos_attrs INTEGER,
            creation_time INTEGER);
        CREATE TABLE locks(
            node_id INTEGER NOT NULL,
            protocol INTEGER NOT NULL,
            client INTEGER NOT NULL,
            owner INTEGER NOT NULL,
            offset INTEGER NOT NULL,
            length INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            flavor INTEGER NOT NULL);
        CREATE INDEX locks_by_node ON locks(node_id);
        CREATE TABLE shares(
            node_id INTEGER NOT NULL,
            open_id INTEGER NOT NULL,
            protocol INTEGER NOT NULL,
            client INTEGER NOT NULL,
            owner INTEGER NOT NULL,
            access INTEGER NOT NULL,
            deny INTEGER NOT NULL,
            PRIMARY KEY(node_id, open_id)) WITHOUT ROWID;
        -- Protocol client state (NLM/NSM monitored hosts, NFSv4 clients, SMB durable opens) as the protocols arrive.
        CREATE TABLE clients(
            protocol INTEGER NOT NULL,
            client_key INTEGER NOT NULL,
            name TEXT NOT NULL,
            data BLOB,
            updated INTEGER NOT NULL,
            PRIMARY KEY(protocol, client_key)) WITHOUT ROWID;
        CREATE TABLE users(
            name TEXT PRIMARY KEY,
            uid INTEGER NOT NULL,
            gid INTEGER NOT NULL,
            sid TEXT,
            nt_hash BLOB,
            created INTEGER NOT NULL) WITHOUT ROWID;
        """,
    ];

    public static int Latest => All.Length;
}
