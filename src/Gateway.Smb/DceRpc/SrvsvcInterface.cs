namespace Gateway.Smb.DceRpc;

/// <summary>
/// The srvsvc calls share browsers make (MS-SRVS 3.1.4): NetrShareEnum (15), NetrShareGetInfo (16),
/// NetrServerGetInfo (21). Everything else is an unknown opnum to the endpoint.
/// </summary>
/// <remarks>
/// NDR notes for reading the code: a top-level [out] pointer (TotalEntries, InfoStruct of GetInfo) is a
/// ref pointer and has no wire id; [unique] pointers are a referent id, their pointee deferred to after
/// the enclosing construct; a union is its 4-byte discriminant then the arm; an array of structs is
/// max_count, the fixed parts of all elements, then each element's deferred strings in order.
/// </remarks>
internal sealed class SrvsvcInterface(Func<IReadOnlyList<ShareInfo>> shares, string serverName) : IRpcInterface
{
    public const ushort NetrShareEnum = 15;
    public const ushort NetrShareGetInfo = 16;
    public const ushort NetrServerGetInfo = 21;

    private const uint PlatformIdNt = 500;
    // SV_TYPE_WORKSTATION | SV_TYPE_SERVER | SV_TYPE_SERVER_UNIX | SV_TYPE_NT | SV_TYPE_SERVER_NT
    private const uint ServerType = 0x1 | 0x2 | 0x800 | 0x1000 | 0x8000;
    private const int MaxNameChars = 1024;

    public SyntaxId Syntax => SyntaxId.Srvsvc;

    public bool TryInvoke(ushort opnum, ReadOnlySpan<byte> stub, NdrWriter output)
    {
        switch (opnum)
        {
            case NetrShareEnum:
                ShareEnum(stub, output);
                return true;
            case NetrShareGetInfo:
                ShareGetInfo(stub, output);
                return true;
            case NetrServerGetInfo:
                ServerGetInfo(stub, output);
                return true;
            default:
                return false;
        }
    }

    // [in, string, unique] SRVSVC_HANDLE ServerName: we are whichever server was asked.
    private static void SkipServerName(ref NdrReader r)
    {
        if (r.ReadPointer() != 0) r.ReadConformantVaryingString(MaxNameChars);
    }

    private static bool IsShareLevel(uint level) => level is 0 or 1 or 2 or 501;

    // NetrShareEnum(ServerName, [in,out] SHARE_ENUM_STRUCT* InfoStruct, PreferedMaximumLength,
    //               [out] TotalEntries, [in,out,unique] ResumeHandle)
    // Every share fits in one answer: the resume handle comes back 0 and no ERROR_MORE_DATA is used.
    private void ShareEnum(ReadOnlySpan<byte> stub, NdrWriter w)
    {
        var r = new NdrReader(stub);
        SkipServerName(ref r);
        uint level = r.ReadUInt32();
        if (r.ReadUInt32() != level) throw new NdrException("union discriminant differs from Level");
        bool resumePresent = false;
        bool parsedToEnd = true;
        if (r.ReadPointer() != 0)
        {
            r.ReadUInt32(); // EntriesRead
            // A client that sends entries in a request is unusual; its array is not worth decoding
            // just to reach the resume handle, which we would answer 0 anyway.
            parsedToEnd = r.ReadPointer() == 0;
        }

        if (parsedToEnd)
        {
            r.ReadUInt32(); // PreferedMaximumLength
            resumePresent = r.ReadPointer() != 0;
            if (resumePresent) r.ReadUInt32();
        }

        IReadOnlyList<ShareInfo> list = shares();
        w.WriteUInt32(level);
        w.WriteUInt32(level);
        if (!IsShareLevel(level))
        {
            w.WritePointer(false);
            w.WriteUInt32(0);
            WriteResume(w, resumePresent);
            w.WriteUInt32(WinError.InvalidLevel);
            return;
        }

        w.WritePointer(true);                  // SHARE_INFO_n_CONTAINER*
        w.WriteUInt32((uint)list.Count);       // EntriesRead
        w.WritePointer(true);                  // Buffer
        w.WriteUInt32((uint)list.Count);       // conformance (max_count)
        foreach (ShareInfo share in list)
        {
            WriteShareFixed(w, level, share);
        }

        foreach (ShareInfo share in list)
        {
            WriteShareDeferred(w, level, share);
        }

        w.WriteUInt32((uint)list.Count);       // TotalEntries
        WriteResume(w, resumePresent);
        w.WriteUInt32(WinError.Success);
    }

    private static void WriteResume(NdrWriter w, bool present)
    {
        w.WritePointer(present);
        if (present) w.WriteUInt32(0);
    }

    // NetrShareGetInfo(ServerName, [in, string] WCHAR* NetName, Level, [out, switch_is(Level)] LPSHARE_INFO InfoStruct)
    private void ShareGetInfo(ReadOnlySpan<byte> stub, NdrWriter w)
    {
        var r = new NdrReader(stub);
        SkipServerName(ref r);
        string netName = r.ReadConformantVaryingString(MaxNameChars);
        uint level = r.ReadUInt32();

        ShareInfo? share = null;
        foreach (ShareInfo s in shares())
        {
            if (string.Equals(s.Name, netName, StringComparison.OrdinalIgnoreCase))
            {
                share = s;
                break;
            }
        }

        w.WriteUInt32(level);
        if (!IsShareLevel(level) && level != 1005)
        {
            w.WritePointer(false);
            w.WriteUInt32(WinError.InvalidLevel);
            return;
        }

        if (share is null)
        {
            w.WritePointer(false);
            w.WriteUInt32(WinError.NetNameNotFound);
            return;
        }

        w.WritePointer(true);
        if (level == 1005)
        {
            w.WriteUInt32(0); // shi1005_flags: not in DFS, no access-based enumeration, manual caching
        }
        else
        {
            WriteShareFixed(w, level, share);
            WriteShareDeferred(w, level, share);
        }

        w.WriteUInt32(WinError.Success);
    }

    // SHARE_INFO_0 {netname*}  _1 {netname*, type, remark*}  _501 {netname*, type, remark*, flags}
    // _2 {netname*, type, remark*, permissions, max_uses, current_uses, path*, passwd*}
    private static void WriteShareFixed(NdrWriter w, uint level, ShareInfo share)
    {
        w.WritePointer(true);
        if (level == 0) return;
        w.WriteUInt32(share.Type);
        w.WritePointer(true);
        switch (level)
        {
            case 2:
                w.WriteUInt32(0);           // shi2_permissions (ignored by servers in user-level security)
                w.WriteUInt32(uint.MaxValue); // shi2_max_uses: unlimited
                w.WriteUInt32(0);           // shi2_current_uses
                w.WritePointer(true);       // shi2_path
                w.WritePointer(false);      // shi2_passwd
                break;
            case 501:
                w.WriteUInt32(0);           // shi501_flags
                break;
        }
    }

    private static void WriteShareDeferred(NdrWriter w, uint level, ShareInfo share)
    {
        w.WriteConformantVaryingString(share.Name);
        if (level == 0) return;
        w.WriteConformantVaryingString(share.Remark);
        if (level == 2) w.WriteConformantVaryingString(LocalPath(share));
    }

    // The real directory is none of the client's business; Windows shows a drive path here.
    private static string LocalPath(ShareInfo share) => share.Type == ShareInfo.DiskTree ? "C:\\" + share.Name : string.Empty;

    // NetrServerGetInfo(ServerName, Level, [out, switch_is(Level)] LPSERVER_INFO InfoStruct)
    // SERVER_INFO_100 {platform_id, name*}  _101 {platform_id, name*, version_major, version_minor, type, comment*}
    private void ServerGetInfo(ReadOnlySpan<byte> stub, NdrWriter w)
    {
        var r = new NdrReader(stub);
        SkipServerName(ref r);
        uint level = r.ReadUInt32();
        w.WriteUInt32(level);
        if (level is not (100 or 101))
        {
            w.WritePointer(false);
            w.WriteUInt32(WinError.InvalidLevel);
            return;
        }

        w.WritePointer(true);
        w.WriteUInt32(PlatformIdNt);
        w.WritePointer(true);
        if (level == 101)
        {
            w.WriteUInt32(10);   // version 10.0, what current Windows servers report
            w.WriteUInt32(0);
            w.WriteUInt32(ServerType);
            w.WritePointer(true);
        }

        w.WriteConformantVaryingString(serverName);
        if (level == 101) w.WriteConformantVaryingString(string.Empty);
        w.WriteUInt32(WinError.Success);
    }
}
