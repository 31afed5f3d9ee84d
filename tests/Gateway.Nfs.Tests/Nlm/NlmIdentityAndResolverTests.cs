using System.Net;
using Gateway.Nfs.Nlm;
using Gateway.Nfs.Nsm;
using Gateway.Nfs.Tests.Nlm.Support;
using Gateway.Rpc;
using Gateway.Rpc.Portmap;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Tests.Nlm;

public sealed class NlmIdentityAndResolverTests
{
    [Fact]
    public void Owner_hashes_are_frozen_because_persisted_locks_carry_them()
    {
        // Locks in the Store name their owner by these numbers; a change would orphan every NLM
        // lock across an upgrade (the reclaim would come from a stranger). The values are
        // SHA-256(tag || salt as 8 bytes big-endian || name) truncated, computed outside .NET.
        Assert.Equal(new ClientKey(0xdd64fb297213baa6), NlmIdentity.ClientOf("client-a"));
        var owner = NlmIdentity.LockOwnerOf("client-a", "101@client-a"u8, 101);
        Assert.Equal((LockProtocol.Nlm, 0x4fed7ed932034eb1ul), (owner.Protocol, owner.Owner));
    }

    [Fact]
    public void Owners_differ_by_host_by_oh_and_by_svid()
    {
        var owner = NlmIdentity.LockOwnerOf("a", "o"u8, 1);
        Assert.NotEqual(owner, NlmIdentity.LockOwnerOf("b", "o"u8, 1));
        Assert.NotEqual(owner, NlmIdentity.LockOwnerOf("a", "p"u8, 1));
        Assert.NotEqual(owner, NlmIdentity.LockOwnerOf("a", "o"u8, 2));
        Assert.Equal(owner, NlmIdentity.LockOwnerOf("a", "o"u8, 1));
    }

    [Fact]
    public async Task The_portmapper_resolver_finds_the_clients_nlm_service()
    {
        await using var client = new CallbackServer();
        var registry = new PortmapRegistry();
        registry.RegisterTcp(client.Nlm, client.EndPoint);
        var dispatcher = new RpcDispatcher();
        dispatcher.Register(new PortmapProgram(registry));
        await using var portmap = new RpcServer(new IPEndPoint(IPAddress.Loopback, 0), dispatcher);
        portmap.Start();
        var resolver = new PortmapCallbackResolver(portmap.Port);

        Assert.Equal(client.EndPoint, await resolver.ResolveAsync(IPAddress.Loopback, Nlm4.Program, Nlm4.Version, default));
        Assert.Null(await resolver.ResolveAsync(IPAddress.Loopback, Nsm1.Program, 1, default));
    }

    [Fact]
    public async Task A_blocked_lock_is_granted_through_the_clients_portmapper()
    {
        await using var client = new CallbackServer();
        var registry = new PortmapRegistry();
        registry.RegisterTcp(client.Nlm, client.EndPoint);
        var dispatcher = new RpcDispatcher();
        dispatcher.Register(new PortmapProgram(registry));
        await using var portmap = new RpcServer(new IPEndPoint(IPAddress.Loopback, 0), dispatcher);
        portmap.Start();
        using var h = new NlmHarness(callbacks: new PortmapCallbackResolver(portmap.Port));
        var fh = h.CreateFile("f");
        var a = h.Client(NlmCaller.Of("client-a", 1));
        await a.LockAsync(fh, 0, 1);
        Assert.Equal(NLM4_BLOCKED, await h.Client(NlmCaller.Of("client-b", 2)).LockAsync(fh, 0, 1, block: true));
        await a.UnlockAsync(fh, 0, 1);
        await client.Calls.WaitAsync(c => c.Procedure == (uint)Nlm4Procedure.GRANTED);
        await Eventually.TrueAsync(() => h.Nlm.BlockedCount == 0, "the grant is delivered");
        Assert.Single(h.Vfs.Locks.GetLocks(h.NodeOf("f")));
    }
}
