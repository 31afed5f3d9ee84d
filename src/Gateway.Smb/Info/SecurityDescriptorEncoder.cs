using System.Buffers.Binary;
using Gateway.Vfs;

namespace Gateway.Smb.Info;

/// <summary>
/// Self-relative SECURITY_DESCRIPTORs (MS-DTYP 2.4.6) built from a node's owner, group and mode bits,
/// and the mode bits read back from a DACL a client sets.
/// </summary>
/// <remarks>
/// Layout written: header(20), owner SID, group SID, DACL. Header:
/// <code>
///  0 Revision=1  1 Sbz1  2 Control  4 OffsetOwner  8 OffsetGroup  12 OffsetSacl  16 OffsetDacl
/// </code>
/// ACL (2.4.5): AclRevision=2(1), Sbz1(1), AclSize(2), AceCount(2), Sbz2(2), then ACEs.
/// ACCESS_ALLOWED_ACE (2.4.4.2): AceType=0(1), AceFlags(1), AceSize(2), Mask(4), SID.
/// </remarks>
public static class SecurityDescriptorEncoder
{
    public const uint OwnerSecurityInformation = 0x1;
    public const uint GroupSecurityInformation = 0x2;
    public const uint DaclSecurityInformation = 0x4;
    public const uint SaclSecurityInformation = 0x8;

    public const ushort SeDaclPresent = 0x0004;
    public const ushort SeSaclPresent = 0x0010;
    public const ushort SeSelfRelative = 0x8000;

    private const byte AccessAllowedAceType = 0;
    private const byte AccessDeniedAceType = 1;
    private const byte InheritOnlyAce = 0x08;
    private const byte AclRevision = 2;
    private const byte AclRevisionDs = 4;
    private const int HeaderSize = 20;

    /// <summary>
    /// additionalInformation: OWNER 1, GROUP 2, DACL 4, SACL 8 (no SACL is kept: none is returned and
    /// SE_SACL_PRESENT stays clear). Returns the bytes written or -1 when the destination is too small
    /// (<see cref="Size"/> tells how many are needed, for STATUS_BUFFER_TOO_SMALL).
    /// </summary>
    public static int Encode(uint additionalInformation, in VfsAttributes a, Span<byte> destination)
    {
        int size = Size(additionalInformation, a);
        if (destination.Length < size) return -1;
        Span<byte> b = destination.Slice(0, size);
        b.Clear();

        bool dacl = (additionalInformation & DaclSecurityInformation) != 0;
        b[0] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(2), (ushort)(SeSelfRelative | (dacl ? SeDaclPresent : 0)));
        int at = HeaderSize;
        if ((additionalInformation & OwnerSecurityInformation) != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(4), (uint)at);
            at += Sid.UnixUser(a.Uid).Write(b.Slice(at));
        }

        if ((additionalInformation & GroupSecurityInformation) != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(8), (uint)at);
            at += Sid.UnixGroup(a.Gid).Write(b.Slice(at));
        }

        if (dacl)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(16), (uint)at);
            at += WriteDacl(a, b.Slice(at));
        }

        return at;
    }

    /// <summary>Bytes <see cref="Encode"/> needs for this request.</summary>
    public static int Size(uint additionalInformation, in VfsAttributes a)
    {
        int size = HeaderSize;
        if ((additionalInformation & OwnerSecurityInformation) != 0) size += Sid.UnixUser(a.Uid).Size;
        if ((additionalInformation & GroupSecurityInformation) != 0) size += Sid.UnixGroup(a.Gid).Size;
        if ((additionalInformation & DaclSecurityInformation) != 0) size += DaclSize(a);
        return size;
    }

    /// <summary>Access mask granted to one class (owner, group, everyone) by its rwx bits.</summary>
    public static uint MaskFor(uint rwx, bool isDirectory, bool isOwner)
    {
        uint mask = 0;
        if ((rwx & 4) != 0) mask |= FileAccessRights.FileGenericRead;
        if ((rwx & 2) != 0) mask |= FileAccessRights.FileGenericWrite | (isDirectory ? FileAccessRights.DeleteChild : 0);
        if ((rwx & 1) != 0) mask |= FileAccessRights.FileGenericExecute;
        // The owner may always read and change the descriptor (chmod/chown) and delete what it owns
        // when the directory lets it; that is what Windows shows as the owner's special rights.
        if (isOwner) mask |= FileAccessRights.WriteDac | FileAccessRights.WriteOwner | FileAccessRights.Delete | FileAccessRights.ReadControl;
        return mask;
    }

    /// <summary>Mode bits implied by a DACL a client sets (null: no usable DACL in it: ignore it).</summary>
    public static uint? TryDecodeMode(ReadOnlySpan<byte> securityDescriptor, uint currentMode) =>
        TryDecodeMode(securityDescriptor, currentMode, ownerUid: null, ownerGid: null);

    /// <summary>
    /// As above, knowing the file's owner and group: an ACE for another Unix user's SID is then not
    /// taken for the owner. ACEs are read in order, the first ACE to mention a bit for a class decides it
    /// (Windows evaluation order); inherit-only ACEs do not apply to the object and are skipped; SIDs
    /// that are neither the owner, the group nor Everyone (S-1-1-0) are ignored.
    /// </summary>
    public static uint? TryDecodeMode(ReadOnlySpan<byte> sd, uint currentMode, uint? ownerUid, uint? ownerGid)
    {
        if (sd.Length < HeaderSize || sd[0] != 1) return null;
        ushort control = BinaryPrimitives.ReadUInt16LittleEndian(sd.Slice(2));
        if ((control & SeSelfRelative) == 0 || (control & SeDaclPresent) == 0) return null;
        uint ownerOffset = BinaryPrimitives.ReadUInt32LittleEndian(sd.Slice(4));
        uint groupOffset = BinaryPrimitives.ReadUInt32LittleEndian(sd.Slice(8));
        uint daclOffset = BinaryPrimitives.ReadUInt32LittleEndian(sd.Slice(16));
        // A NULL DACL grants everyone everything: not something mode bits should be made to say.
        if (daclOffset == 0) return null;

        Sid? owner = ownerUid is uint uid ? Sid.UnixUser(uid) : null;
        Sid? group = ownerGid is uint gid ? Sid.UnixGroup(gid) : null;
        if (owner is null && !TryReadSidAt(sd, ownerOffset, out owner)) return null;
        if (group is null && !TryReadSidAt(sd, groupOffset, out group)) return null;

        if (daclOffset > (uint)(sd.Length - 8)) return null;
        ReadOnlySpan<byte> acl = sd.Slice((int)daclOffset);
        if (acl[0] != AclRevision && acl[0] != AclRevisionDs) return null;
        int aclSize = BinaryPrimitives.ReadUInt16LittleEndian(acl.Slice(2));
        int aceCount = BinaryPrimitives.ReadUInt16LittleEndian(acl.Slice(4));
        if (aclSize < 8 || aclSize > acl.Length) return null;
        acl = acl.Slice(0, aclSize);

        // Per class (0 owner, 1 group, 2 everyone): bits granted, bits already decided by an earlier ACE.
        Span<uint> granted = stackalloc uint[3];
        Span<uint> decided = stackalloc uint[3];
        bool any = false;
        int at = 8;
        for (int i = 0; i < aceCount; i++)
        {
            if (at > acl.Length - 4) return null;
            byte type = acl[at];
            byte flags = acl[at + 1];
            int aceSize = BinaryPrimitives.ReadUInt16LittleEndian(acl.Slice(at + 2));
            if (aceSize < 4 || aceSize > acl.Length - at) return null;
            ReadOnlySpan<byte> ace = acl.Slice(at, aceSize);
            at += aceSize;

            if (type is not (AccessAllowedAceType or AccessDeniedAceType) || (flags & InheritOnlyAce) != 0) continue;
            if (ace.Length < 8 + 8) return null;
            if (!Sid.TryRead(ace.Slice(8), out var sid, out _, out bool known)) return null;
            if (!known) continue;
            int who = Classify(sid, owner, group);
            if (who < 0) continue;

            uint bits = BitsFor(BinaryPrimitives.ReadUInt32LittleEndian(ace.Slice(4)));
            uint fresh = bits & ~decided[who];
            if (type == AccessAllowedAceType) granted[who] |= fresh;
            decided[who] |= bits;
            any = true;
        }

        if (!any) return null;
        return (currentMode & ~0x1FFu) | (granted[0] << 6) | (granted[1] << 3) | granted[2];
    }

    private static int Classify(Sid sid, Sid? owner, Sid? group)
    {
        if (owner is Sid o ? sid == o : sid.IsUnixUser) return 0;
        if (sid == Sid.CreatorOwner) return 0;
        if (group is Sid g ? sid == g : sid.IsUnixGroup) return 1;
        if (sid == Sid.CreatorGroup) return 1;
        if (sid == Sid.Everyone) return 2;
        return -1;
    }

    private static uint BitsFor(uint mask)
    {
        uint bits = 0;
        if ((mask & (FileAccessRights.ReadData | FileAccessRights.GenericRead | FileAccessRights.GenericAll)) != 0) bits |= 4;
        if ((mask & (FileAccessRights.WriteData | FileAccessRights.GenericWrite | FileAccessRights.GenericAll)) != 0) bits |= 2;
        if ((mask & (FileAccessRights.Execute | FileAccessRights.GenericExecute | FileAccessRights.GenericAll)) != 0) bits |= 1;
        return bits;
    }

    // Offset 0 means "not present" (null, still usable); anything else must hold a valid SID. A SID we
    // do not model (a domain account) is "present but not ours": no ACE can then match it as the owner.
    private static bool TryReadSidAt(ReadOnlySpan<byte> sd, uint offset, out Sid? sid)
    {
        sid = null;
        if (offset == 0) return true;
        if (offset < HeaderSize || offset >= (uint)sd.Length) return false;
        if (!Sid.TryRead(sd.Slice((int)offset), out var read, out _, out bool known)) return false;
        sid = known ? read : new Sid(ulong.MaxValue, 0, 0, 0);
        return true;
    }

    private static int DaclSize(in VfsAttributes a)
    {
        Span<(Sid Sid, uint Mask)> aces = stackalloc (Sid, uint)[MaxAces];
        int size = 8;
        foreach (var (sid, _) in aces.Slice(0, Aces(a, aces)))
        {
            size += 8 + sid.Size;
        }

        return size;
    }

    private static int WriteDacl(in VfsAttributes a, Span<byte> b)
    {
        Span<(Sid Sid, uint Mask)> aces = stackalloc (Sid, uint)[MaxAces];
        int count = Aces(a, aces);
        int at = 8;
        foreach (var (sid, mask) in aces.Slice(0, count))
        {
            int aceSize = 8 + sid.Size;
            b[at] = AccessAllowedAceType;
            b[at + 1] = 0;
            BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(at + 2), (ushort)aceSize);
            BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(at + 4), mask);
            sid.Write(b.Slice(at + 8));
            at += aceSize;
        }

        b[0] = AclRevision;
        b[1] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(2), (ushort)at);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(4), (ushort)count);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(6), 0);
        return at;
    }

    private const int MaxAces = 5;

    // Owner first (always: it keeps READ_CONTROL/WRITE_DAC), then group and Everyone when they get
    // anything, then SYSTEM and Administrators with full control as on any Windows volume.
    private static int Aces(in VfsAttributes a, Span<(Sid Sid, uint Mask)> aces)
    {
        bool dir = a.Type == FileType.Directory;
        int n = 0;
        aces[n++] = (Sid.UnixUser(a.Uid), MaskFor((a.Mode >> 6) & 7, dir, isOwner: true));
        uint group = MaskFor((a.Mode >> 3) & 7, dir, isOwner: false);
        if (group != 0) aces[n++] = (Sid.UnixGroup(a.Gid), group);
        uint everyone = MaskFor(a.Mode & 7, dir, isOwner: false);
        if (everyone != 0) aces[n++] = (Sid.Everyone, everyone);
        aces[n++] = (Sid.LocalSystem, FileAccessRights.FileAllAccess);
        aces[n++] = (Sid.Administrators, FileAccessRights.FileAllAccess);
        return n;
    }
}
