using System.Net;
using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs;

/// <summary>Which AUTH_SYS identities are replaced by the anonymous one (exports(5) root_squash / all_squash).</summary>
public enum Squash
{
    /// <summary>Every AUTH_SYS identity is taken as sent (no_root_squash).</summary>
    None,
    /// <summary>uid 0 and gid 0 become the anonymous ids; everyone else is taken as sent (root_squash).</summary>
    Root,
    /// <summary>Every client acts as the anonymous user (all_squash): the workstation default.</summary>
    All,
}

/// <summary>
/// Who may use an export and as whom. The defaults are the workstation policy of DESIGN.md: nobody
/// until hosts are listed, and every client that is listed acts as the user who owns the exported
/// directory (all_squash to the owner), so files created over NFS belong to that user.
/// </summary>
public sealed record ExportPolicy
{
    /// <summary>Clients allowed to mount and use the export. Empty: nobody.</summary>
    public IReadOnlyList<HostMatch> AllowedHosts { get; init; } = [];

    public Squash Squash { get; init; } = Squash.All;

    /// <summary>The anonymous uid; null: the owner of the export root, read when the export is built.</summary>
    public uint? AnonUid { get; init; }

    /// <summary>The anonymous gid; null: the group of the export root.</summary>
    public uint? AnonGid { get; init; }

    /// <summary>127.0.0.1 and ::1 only, the secure default of a gateway listening on loopback.</summary>
    public static ExportPolicy Loopback { get; } = new()
    {
        AllowedHosts = [HostMatch.Single(IPAddress.Loopback), HostMatch.Single(IPAddress.IPv6Loopback)],
    };

    public bool Admits(IPAddress? client)
    {
        foreach (var host in AllowedHosts)
            if (host.Matches(client)) return true;
        return false;
    }

    /// <summary>
    /// The principal a call acts as. AUTH_NONE (and any flavour without a Unix identity) is anonymous;
    /// AUTH_SYS is squashed as <see cref="Squash"/> says. AUTH_SYS is the client's word, never proof.
    /// </summary>
    public Principal Map(RpcCredential credential, Principal anonymous)
    {
        if (Squash == Squash.All || credential.AuthSys is not { } sys) return anonymous;
        if (Squash == Squash.Root && sys.Uid == 0) return anonymous;
        var squashGroups = Squash == Squash.Root;
        var gid = squashGroups && sys.Gid == 0 ? anonymous.Gid : sys.Gid;
        var source = sys.Gids;
        var count = 0;
        foreach (var g in source)
            if (!(squashGroups && g == 0)) count++;
        var groups = count == 0 ? Array.Empty<uint>() : new uint[count];
        var i = 0;
        foreach (var g in source)
            if (!(squashGroups && g == 0)) groups[i++] = g;
        return new Principal(sys.Uid, gid, groups);
    }
}
