using System.Buffers;
using System.Net;
using System.Text;
using Gateway.Rpc;

namespace Gateway.Fuse.Tests.Coherence;

internal delegate void XdrArgs(ref XdrWriter w);

/// <summary>
/// A small NFSv3 + MOUNT + NLMv4 client over one TCP connection (Gateway.Rpc's RpcClient): just the calls
/// the coherence tests make from "another machine". Arguments are encoded here from RFC 1813 / the NLM
/// spec, independently of the server's types; results are read as far as the tests need.
/// </summary>
internal sealed class NfsWire(RpcClient rpc) : IAsyncDisposable
{
    private const uint Nfs = 100003, Mount = 100005, Nlm = 100021;
    public const uint Nlm4Granted = 0, Nlm4Denied = 1;

    public static async Task<NfsWire> ConnectAsync(int port) =>
        new(await RpcClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), new AuthSysParams(0x5eed, "nfs-peer", 0, 0, [0])));

    public ValueTask DisposeAsync() => rpc.DisposeAsync();

    private static byte[] Build(XdrArgs args)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new XdrWriter(buffer);
        args(ref w);
        return buffer.WrittenSpan.ToArray();
    }

    private Task<byte[]> Call(uint program, uint version, uint procedure, XdrArgs args) =>
        rpc.CallAsync(program, version, procedure, Build(args));

    public async Task<byte[]> MountAsync(string path)
    {
        var r = await Call(Mount, 3, 1, (ref XdrWriter w) => w.WriteString(path));
        var x = new XdrReader(r);
        var status = x.ReadUInt32();
        if (status != 0) throw new InvalidOperationException($"MNT {path}: status {status}");
        return x.ReadOpaque(64).ToArray();
    }

    /// <summary>LOOKUP: the handle, or null with the NFS status.</summary>
    public async Task<(uint Status, byte[]? Handle)> LookupAsync(byte[] dir, string name)
    {
        var r = await Call(Nfs, 3, 3, (ref XdrWriter w) => { w.WriteOpaque(dir); w.WriteString(name); });
        var x = new XdrReader(r);
        var status = x.ReadUInt32();
        return status == 0 ? (0, x.ReadOpaque(64).ToArray()) : (status, null);
    }

    public async Task<byte[]> LookupPathAsync(byte[] root, string path)
    {
        var h = root;
        foreach (var part in path.Split('/'))
        {
            var (status, next) = await LookupAsync(h, part);
            h = next ?? throw new InvalidOperationException($"LOOKUP {part} of {path}: NFS status {status}");
        }
        return h;
    }

    /// <summary>CREATE (UNCHECKED, mode 0644): the new file's handle.</summary>
    public async Task<byte[]> CreateAsync(byte[] dir, string name)
    {
        var r = await Call(Nfs, 3, 8, (ref XdrWriter w) =>
        {
            w.WriteOpaque(dir);
            w.WriteString(name);
            w.WriteUInt32(0);                       // UNCHECKED
            w.WriteBool(true); w.WriteUInt32(0x1A4); // mode
            w.WriteBool(false); w.WriteBool(false); w.WriteBool(false); // uid, gid, size
            w.WriteUInt32(0); w.WriteUInt32(0);      // atime, mtime: don't change
        });
        var x = new XdrReader(r);
        var status = x.ReadUInt32();
        if (status != 0) throw new InvalidOperationException($"CREATE {name}: NFS status {status}");
        if (!x.ReadBool()) return (await LookupAsync(dir, name)).Handle!;
        return x.ReadOpaque(64).ToArray();
    }

    /// <summary>WRITE with FILE_SYNC; returns the NFS status.</summary>
    public async Task<uint> WriteAsync(byte[] file, long offset, string data)
    {
        var bytes = Encoding.UTF8.GetBytes(data);
        var r = await Call(Nfs, 3, 7, (ref XdrWriter w) =>
        {
            w.WriteOpaque(file);
            w.WriteUInt64((ulong)offset);
            w.WriteUInt32((uint)bytes.Length);
            w.WriteUInt32(2);                        // FILE_SYNC
            w.WriteOpaque(bytes);
        });
        return new XdrReader(r).ReadUInt32();
    }

    public async Task<string> ReadAsync(byte[] file, long offset = 0, int count = 65536)
    {
        var r = await Call(Nfs, 3, 6, (ref XdrWriter w) => { w.WriteOpaque(file); w.WriteUInt64((ulong)offset); w.WriteUInt32((uint)count); });
        var x = new XdrReader(r);
        var status = x.ReadUInt32();
        if (status != 0) throw new InvalidOperationException($"READ: NFS status {status}");
        if (x.ReadBool()) x.Skip(84);                // fattr3
        x.ReadUInt32();                              // count
        x.ReadBool();                                // eof
        return Encoding.UTF8.GetString(x.ReadOpaque(count));
    }

    public async Task<uint> SetSizeAsync(byte[] file, long size)
    {
        var r = await Call(Nfs, 3, 2, (ref XdrWriter w) =>
        {
            w.WriteOpaque(file);
            w.WriteBool(false); w.WriteBool(false); w.WriteBool(false);
            w.WriteBool(true); w.WriteUInt64((ulong)size);
            w.WriteUInt32(0); w.WriteUInt32(0);
            w.WriteBool(false);                      // no guard
        });
        return new XdrReader(r).ReadUInt32();
    }

    public async Task<uint> RenameAsync(byte[] fromDir, string fromName, byte[] toDir, string toName)
    {
        var r = await Call(Nfs, 3, 14, (ref XdrWriter w) =>
        {
            w.WriteOpaque(fromDir); w.WriteString(fromName);
            w.WriteOpaque(toDir); w.WriteString(toName);
        });
        return new XdrReader(r).ReadUInt32();
    }

    public async Task<uint> RemoveAsync(byte[] dir, string name)
    {
        var r = await Call(Nfs, 3, 12, (ref XdrWriter w) => { w.WriteOpaque(dir); w.WriteString(name); });
        return new XdrReader(r).ReadUInt32();
    }

    // NLM v4: one lock owner, "svid 4242 on host nfs-peer".
    private const string Host = "nfs-peer";
    private const uint Svid = 4242;
    private static readonly byte[] Owner = Encoding.ASCII.GetBytes("4242@nfs-peer");

    private static void Lock(ref XdrWriter w, byte[] fh, ulong offset, ulong length)
    {
        w.WriteString(Host);
        w.WriteOpaque(fh);
        w.WriteOpaque(Owner);
        w.WriteUInt32(Svid);
        w.WriteUInt64(offset);
        w.WriteUInt64(length);
    }

    private static uint Stat(byte[] r)
    {
        var x = new XdrReader(r);
        x.ReadOpaque(1024);                          // cookie
        return x.ReadUInt32();
    }

    public async Task<uint> NlmLockAsync(byte[] fh, ulong offset, ulong length, bool exclusive = true) =>
        Stat(await Call(Nlm, 4, 2, (ref XdrWriter w) =>
        {
            w.WriteOpaque("c1"u8);
            w.WriteBool(false);                      // don't block
            w.WriteBool(exclusive);
            Lock(ref w, fh, offset, length);
            w.WriteBool(false);                      // not a reclaim
            w.WriteInt32(1);                         // NSM state
        }));

    public async Task<uint> NlmTestAsync(byte[] fh, ulong offset, ulong length, bool exclusive = true) =>
        Stat(await Call(Nlm, 4, 1, (ref XdrWriter w) =>
        {
            w.WriteOpaque("c2"u8);
            w.WriteBool(exclusive);
            Lock(ref w, fh, offset, length);
        }));

    public async Task<uint> NlmUnlockAsync(byte[] fh, ulong offset, ulong length) =>
        Stat(await Call(Nlm, 4, 4, (ref XdrWriter w) =>
        {
            w.WriteOpaque("c3"u8);
            Lock(ref w, fh, offset, length);
        }));
}
