using System.Security.Cryptography;
using System.Text;
using Gateway.Nfs.Nlm;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;
using static Gateway.Nfs.Nlm.Nlm4Procedure;

namespace Gateway.Nfs.Tests.Nlm.Support;

/// <summary>One NLM lock owner: a client host (caller_name) and a process on it (svid, oh = "pid@host").</summary>
internal sealed record NlmCaller(string Name, uint Svid, byte[] Oh)
{
    public static NlmCaller Of(string host, uint pid) => new(host, pid, Encoding.UTF8.GetBytes($"{pid}@{host}"));
}

internal sealed record Holder(bool Exclusive, uint Svid, byte[] Oh, ulong Offset, ulong Length);

internal sealed record TestReply(Nlm4Stat Stat, Holder? Holder);

/// <summary>
/// A typed NLM v4 client, encoding arguments and decoding results independently of the server's
/// XDR types. Every reply must echo the call's cookie and be consumed exactly.
/// </summary>
internal sealed class NlmClient(NlmClient.Transport call, NlmCaller caller)
{
    public delegate Task<byte[]> Transport(uint procedure, byte[] arguments);

    public NlmCaller Caller { get; } = caller;

    public static NlmClient Over(NfsClient rpc, NlmCaller caller) =>
        new((p, a) => rpc.CallAsync(Nlm4.Program, Nlm4.Version, p, a), caller);

    public static NlmClient Over(RpcClient rpc, NlmCaller caller) =>
        new((p, a) => rpc.CallAsync(Nlm4.Program, Nlm4.Version, p, a), caller);

    public static byte[] NewCookie() => RandomNumberGenerator.GetBytes(8);

    public Task<TestReply> TestAsync(byte[] fh, ulong offset, ulong length, bool exclusive = true) =>
        TestCallAsync(TEST, fh, offset, length, exclusive);

    public async Task<TestReply> TestCallAsync(Nlm4Procedure procedure, byte[] fh, ulong offset, ulong length, bool exclusive)
    {
        var cookie = NewCookie();
        var results = await call((uint)procedure, TestArgs(cookie, fh, offset, length, exclusive));
        return ParseTestRes(results, cookie);
    }

    public async Task<Nlm4Stat> LockAsync(byte[] fh, ulong offset, ulong length, bool exclusive = true, bool block = false,
        bool reclaim = false, Nlm4Procedure procedure = LOCK, byte[]? cookie = null)
    {
        cookie ??= NewCookie();
        return ParseRes(await call((uint)procedure, LockArgs(cookie, fh, offset, length, exclusive, block, reclaim)), cookie);
    }

    public async Task<Nlm4Stat> CancelAsync(byte[] fh, ulong offset, ulong length, bool exclusive = true)
    {
        var cookie = NewCookie();
        return ParseRes(await call((uint)CANCEL, CancelArgs(cookie, fh, offset, length, exclusive)), cookie);
    }

    public async Task<Nlm4Stat> UnlockAsync(byte[] fh, ulong offset, ulong length)
    {
        var cookie = NewCookie();
        return ParseRes(await call((uint)UNLOCK, UnlockArgs(cookie, fh, offset, length)), cookie);
    }

    /// <summary>access/mode as on the wire: bit 0 read, bit 1 write (fsa_R = 1, fsm_DW = 2, ...).</summary>
    public async Task<Nlm4Stat> ShareAsync(byte[] fh, uint access, uint denyMode, bool reclaim = false, Nlm4Procedure procedure = SHARE)
    {
        var cookie = NewCookie();
        var results = await call((uint)procedure, ShareArgs(cookie, fh, access, denyMode, reclaim));
        return Xdr.Parse(results, (ref XdrReader r) =>
        {
            Assert.Equal(cookie, r.ReadOpaque(1024).ToArray());
            var stat = (Nlm4Stat)r.ReadUInt32();
            Assert.Equal(0, r.ReadInt32());
            return stat;
        });
    }

    public Task<Nlm4Stat> UnshareAsync(byte[] fh, uint access = 0, uint denyMode = 0) => ShareAsync(fh, access, denyMode, procedure: UNSHARE);

    public async Task FreeAllAsync(string? name = null, int state = 3) =>
        Assert.Empty(await call((uint)FREE_ALL, Xdr.Build((ref XdrWriter w) =>
        {
            w.WriteString(name ?? Caller.Name);
            w.WriteInt32(state);
        })));

    /// <summary>A _MSG call (or GRANTED_RES): its own reply is empty.</summary>
    public async Task SendAsync(Nlm4Procedure procedure, byte[] arguments) => Assert.Empty(await call((uint)procedure, arguments));

    public byte[] TestArgs(byte[] cookie, byte[] fh, ulong offset, ulong length, bool exclusive) => Xdr.Build((ref XdrWriter w) =>
    {
        w.WriteOpaque(cookie);
        w.WriteBool(exclusive);
        WriteLock(ref w, fh, offset, length);
    });

    public byte[] LockArgs(byte[] cookie, byte[] fh, ulong offset, ulong length, bool exclusive, bool block, bool reclaim) =>
        Xdr.Build((ref XdrWriter w) =>
        {
            w.WriteOpaque(cookie);
            w.WriteBool(block);
            w.WriteBool(exclusive);
            WriteLock(ref w, fh, offset, length);
            w.WriteBool(reclaim);
            w.WriteInt32(1);
        });

    public byte[] CancelArgs(byte[] cookie, byte[] fh, ulong offset, ulong length, bool exclusive) => Xdr.Build((ref XdrWriter w) =>
    {
        w.WriteOpaque(cookie);
        w.WriteBool(true);
        w.WriteBool(exclusive);
        WriteLock(ref w, fh, offset, length);
    });

    public byte[] UnlockArgs(byte[] cookie, byte[] fh, ulong offset, ulong length) => Xdr.Build((ref XdrWriter w) =>
    {
        w.WriteOpaque(cookie);
        WriteLock(ref w, fh, offset, length);
    });

    public byte[] ShareArgs(byte[] cookie, byte[] fh, uint access, uint denyMode, bool reclaim) => Xdr.Build((ref XdrWriter w) =>
    {
        w.WriteOpaque(cookie);
        w.WriteString(Caller.Name);
        w.WriteOpaque(fh);
        w.WriteOpaque(Caller.Oh);
        w.WriteUInt32(denyMode);
        w.WriteUInt32(access);
        w.WriteBool(reclaim);
    });

    private void WriteLock(ref XdrWriter w, byte[] fh, ulong offset, ulong length)
    {
        w.WriteString(Caller.Name);
        w.WriteOpaque(fh);
        w.WriteOpaque(Caller.Oh);
        w.WriteUInt32(Caller.Svid);
        w.WriteUInt64(offset);
        w.WriteUInt64(length);
    }

    public static Nlm4Stat ParseRes(byte[] results, byte[]? cookie) => Xdr.Parse(results, (ref XdrReader r) =>
    {
        var echoed = r.ReadOpaque(1024).ToArray();
        if (cookie is not null) Assert.Equal(cookie, echoed);
        return (Nlm4Stat)r.ReadUInt32();
    });

    public static TestReply ParseTestRes(byte[] results, byte[]? cookie) => Xdr.Parse(results, (ref XdrReader r) =>
    {
        var echoed = r.ReadOpaque(1024).ToArray();
        if (cookie is not null) Assert.Equal(cookie, echoed);
        var stat = (Nlm4Stat)r.ReadUInt32();
        if (stat != Nlm4Stat.NLM4_DENIED) return new TestReply(stat, null);
        return new TestReply(stat, new Holder(r.ReadBool(), r.ReadUInt32(), r.ReadOpaque(1024).ToArray(), r.ReadUInt64(), r.ReadUInt64()));
    });
}
