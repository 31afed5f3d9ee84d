namespace Gateway.Smb.DceRpc;

/// <summary>
/// wkssvc's NetrWkstaGetInfo (MS-WKST 3.2.4.1, opnum 0), which Windows asks before browsing a server:
/// who the machine is and which workgroup it belongs to. Levels 100, 101, 102.
/// </summary>
internal sealed class WkssvcInterface(string serverName, string domainName) : IRpcInterface
{
    public const ushort NetrWkstaGetInfo = 0;
    private const uint PlatformIdNt = 500;

    public SyntaxId Syntax => SyntaxId.Wkssvc;

    // NetrWkstaGetInfo([in, string, unique] ServerName, [in] Level, [out, switch_is(Level)] LPWKSTA_INFO WkstaInfo)
    // WKSTA_INFO_100 {platform_id, computername*, langroup*, ver_major, ver_minor}
    //           _101 {..._100, lanroot*}   _102 {..._101, logged_on_users}
    public bool TryInvoke(ushort opnum, ReadOnlySpan<byte> stub, NdrWriter w)
    {
        if (opnum != NetrWkstaGetInfo) return false;
        var r = new NdrReader(stub);
        if (r.ReadPointer() != 0) r.ReadConformantVaryingString(1024);
        uint level = r.ReadUInt32();
        w.WriteUInt32(level);
        if (level is not (100 or 101 or 102))
        {
            w.WritePointer(false);
            w.WriteUInt32(WinError.InvalidLevel);
            return true;
        }

        w.WritePointer(true);
        w.WriteUInt32(PlatformIdNt);
        w.WritePointer(true);
        w.WritePointer(true);
        w.WriteUInt32(10);
        w.WriteUInt32(0);
        if (level >= 101) w.WritePointer(true);
        if (level == 102) w.WriteUInt32(0);
        w.WriteConformantVaryingString(serverName);
        w.WriteConformantVaryingString(domainName);
        if (level >= 101) w.WriteConformantVaryingString(string.Empty);
        w.WriteUInt32(WinError.Success);
        return true;
    }
}
