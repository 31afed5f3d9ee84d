using System.Runtime.InteropServices;
using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;
using Gateway.Fuse.Session;

namespace Gateway.Fuse.Tests.Support;

/// <summary>
/// A FuseSession with no kernel: requests are handed to Dispatch as bytes, and replies come back over a
/// SOCK_SEQPACKET socketpair standing in for /dev/fuse (one reply per message, as the device keeps them).
/// </summary>
internal sealed partial class SessionHarness : IAsyncDisposable
{
    private readonly MountedExport _export = new(mount: false);
    private readonly int _ours;
    private readonly FuseDevice _device;
    private readonly FuseReplyBuilder _reply = new(1 << 20);
    private ulong _unique = 1;

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static unsafe partial int Socketpair(int domain, int type, int protocol, int* sv);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    public unsafe SessionHarness()
    {
        var sv = stackalloc int[2];
        if (Socketpair(1 /* AF_UNIX */, 5 /* SOCK_SEQPACKET */, 0, sv) != 0) throw new InvalidOperationException("socketpair failed");
        _ours = sv[0];
        _device = new FuseDevice(sv[1]);
        Session = new FuseSession(_export.Vfs, _device, new FuseMountOptions());
    }

    public FuseSession Session { get; }
    public MountedExport Export => _export;

    public static byte[] Request(uint opcode, ulong unique, ulong nodeId, ReadOnlySpan<byte> body, uint? lenOverride = null)
    {
        var msg = new byte[40 + body.Length];
        var h = new FuseInHeader { Len = lenOverride ?? (uint)msg.Length, Opcode = opcode, Unique = unique, NodeId = nodeId, Uid = 0, Gid = 0, Pid = 0 };
        MemoryMarshal.Write(msg, in h);
        body.CopyTo(msg.AsSpan(40));
        return msg;
    }

    /// <summary>Dispatches one request; returns the reply (header + payload) or null when none came.</summary>
    public (FuseOutHeader Header, byte[] Payload)? Send(uint opcode, ulong nodeId, ReadOnlySpan<byte> body, uint? lenOverride = null, int? actualLength = null)
    {
        var unique = _unique++;
        var msg = Request(opcode, unique, nodeId, body, lenOverride);
        Session.Dispatch(msg, actualLength ?? msg.Length, _reply);
        return Receive();
    }

    public unsafe (FuseOutHeader Header, byte[] Payload)? Receive()
    {
        var buf = new byte[(1 << 20) + 64];
        nint n;
        fixed (byte* b = buf) n = Recv(_ours, b, (nuint)buf.Length, 0x40 /* MSG_DONTWAIT */);
        if (n < 16) return null;
        var h = MemoryMarshal.Read<FuseOutHeader>(buf);
        return (h, buf.AsSpan(16, (int)n - 16).ToArray());
    }

    /// <summary>Answers INIT as a 7.45 kernel that offers everything would send it.</summary>
    public FuseInitOut Init(ulong kernelFlags = ulong.MaxValue >> 1)
    {
        var body = new byte[64];
        MemoryMarshal.Write(body, new FuseInitIn { Major = 7, Minor = 45, MaxReadahead = 131072, Flags = (uint)kernelFlags, Flags2 = (uint)(kernelFlags >> 32) });
        var r = Send((uint)FuseOpcode.Init, 0, body) ?? throw new InvalidOperationException("no INIT reply");
        Assert.Equal(0, r.Header.Error);
        return MemoryMarshal.Read<FuseInitOut>(r.Payload);
    }

    public async ValueTask DisposeAsync()
    {
        Session.Dispose();
        _device.Dispose();
        Close(_ours);
        await _export.DisposeAsync();
    }
}
