using System.Buffers.Binary;

namespace Gateway.Smb.Info;

/// <summary>
/// A SID with at most two sub-authorities, which covers every SID the gateway writes:
/// S-1-22-1-uid / S-1-22-2-gid (Samba's Unix user/group SIDs), S-1-1-0, S-1-5-18, S-1-5-32-544, S-1-3-0/1.
/// Wire form (MS-DTYP 2.4.2.2): Revision(1)=1, SubAuthorityCount(1), IdentifierAuthority(6, big-endian),
/// SubAuthority[count] (4 each, little-endian).
/// </summary>
internal readonly record struct Sid(ulong Authority, int Count, uint Sub0, uint Sub1)
{
    public static readonly Sid Everyone = new(1, 1, 0, 0);          // S-1-1-0
    public static readonly Sid CreatorOwner = new(3, 1, 0, 0);      // S-1-3-0
    public static readonly Sid CreatorGroup = new(3, 1, 1, 0);      // S-1-3-1
    public static readonly Sid LocalSystem = new(5, 1, 18, 0);      // S-1-5-18
    public static readonly Sid Administrators = new(5, 2, 32, 544); // S-1-5-32-544

    private const ulong UnixAuthority = 22;

    public static Sid UnixUser(uint uid) => new(UnixAuthority, 2, 1, uid);

    public static Sid UnixGroup(uint gid) => new(UnixAuthority, 2, 2, gid);

    public bool IsUnixUser => Authority == UnixAuthority && Count == 2 && Sub0 == 1;

    public bool IsUnixGroup => Authority == UnixAuthority && Count == 2 && Sub0 == 2;

    public int Size => 8 + 4 * Count;

    public int Write(Span<byte> b)
    {
        b[0] = 1;
        b[1] = (byte)Count;
        b[2] = (byte)(Authority >> 40);
        b[3] = (byte)(Authority >> 32);
        BinaryPrimitives.WriteUInt32BigEndian(b.Slice(4), (uint)Authority);
        if (Count > 0) BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(8), Sub0);
        if (Count > 1) BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(12), Sub1);
        return Size;
    }

    /// <summary>
    /// Reads a SID at the start of <paramref name="b"/>. SIDs with more sub-authorities than we model
    /// (a Windows domain user, say) are read as "other": <paramref name="known"/> is false, the size is still right.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> b, out Sid sid, out int size, out bool known)
    {
        sid = default;
        size = 0;
        known = false;
        if (b.Length < 8 || b[0] != 1) return false;
        int count = b[1];
        if (count > 15) return false; // SID_MAX_SUB_AUTHORITIES
        size = 8 + 4 * count;
        if (b.Length < size) return false;
        ulong authority = ((ulong)b[2] << 40) | ((ulong)b[3] << 32) | BinaryPrimitives.ReadUInt32BigEndian(b.Slice(4));
        if (count > 2) return true;
        uint s0 = count > 0 ? BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(8)) : 0;
        uint s1 = count > 1 ? BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(12)) : 0;
        sid = new Sid(authority, count, s0, s1);
        known = true;
        return true;
    }

    public override string ToString() => Count switch
    {
        0 => $"S-1-{Authority}",
        1 => $"S-1-{Authority}-{Sub0}",
        _ => $"S-1-{Authority}-{Sub0}-{Sub1}",
    };
}
