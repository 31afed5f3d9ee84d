using System.Buffers.Binary;
using Gateway.Smb.Info;
using Gateway.Vfs;

namespace Gateway.Smb.Tests.Info;

public class SecurityDescriptorTests
{
    private const uint All = 0x7; // OWNER | GROUP | DACL

    private sealed record Ace(byte Type, byte Flags, uint Mask, string Sid);

    private sealed record Parsed(ushort Control, string? Owner, string? Group, List<Ace>? Dacl);

    // An independent reading of MS-DTYP 2.4.6 to check what the encoder wrote.
    private static Parsed Parse(byte[] sd)
    {
        Assert.Equal(1, sd[0]);
        ushort control = BinaryPrimitives.ReadUInt16LittleEndian(sd.AsSpan(2));
        uint owner = BinaryPrimitives.ReadUInt32LittleEndian(sd.AsSpan(4));
        uint group = BinaryPrimitives.ReadUInt32LittleEndian(sd.AsSpan(8));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(sd.AsSpan(12))); // no SACL
        uint dacl = BinaryPrimitives.ReadUInt32LittleEndian(sd.AsSpan(16));
        List<Ace>? aces = null;
        if (dacl != 0)
        {
            aces = [];
            int at = (int)dacl;
            Assert.Equal(2, sd[at]);
            int size = BinaryPrimitives.ReadUInt16LittleEndian(sd.AsSpan(at + 2));
            int count = BinaryPrimitives.ReadUInt16LittleEndian(sd.AsSpan(at + 4));
            Assert.Equal(sd.Length, at + size); // the DACL is last and fills the descriptor
            int p = at + 8;
            for (int i = 0; i < count; i++)
            {
                int aceSize = BinaryPrimitives.ReadUInt16LittleEndian(sd.AsSpan(p + 2));
                aces.Add(new Ace(sd[p], sd[p + 1], BinaryPrimitives.ReadUInt32LittleEndian(sd.AsSpan(p + 4)), SidString(sd, p + 8)));
                Assert.Equal(aceSize, 8 + 8 + 4 * sd[p + 9]);
                p += aceSize;
            }

            Assert.Equal(at + size, p);
        }

        return new Parsed(control, owner == 0 ? null : SidString(sd, (int)owner), group == 0 ? null : SidString(sd, (int)group), aces);
    }

    private static string SidString(byte[] b, int at)
    {
        Assert.Equal(1, b[at]);
        int count = b[at + 1];
        ulong authority = 0;
        for (int i = 0; i < 6; i++) authority = (authority << 8) | b[at + 2 + i];
        var parts = new List<string> { "S-1", authority.ToString() };
        for (int i = 0; i < count; i++) parts.Add(BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 8 + 4 * i)).ToString());
        return string.Join("-", parts);
    }

    private static VfsAttributes Node(uint mode, FileType type = FileType.Regular) =>
        type == FileType.Directory ? TestNodes.Directory(mode) : TestNodes.File(mode);

    private static byte[] Encode(uint info, VfsAttributes a)
    {
        var buffer = new byte[512];
        int n = SecurityDescriptorEncoder.Encode(info, a, buffer);
        Assert.Equal(SecurityDescriptorEncoder.Size(info, a), n);
        return buffer.AsSpan(0, n).ToArray();
    }

    [Theory]
    // mode, directory, owner mask, group mask (0 = no ACE), everyone mask (0 = no ACE)
    [InlineData(0x1A4u /* 0644 */, false, 0x001F019Fu, 0x00120089u, 0x00120089u)]
    [InlineData(0x1EDu /* 0755 */, true, 0x001F01FFu, 0x001200A9u, 0x001200A9u)]
    [InlineData(0x180u /* 0600 */, false, 0x001F019Fu, 0u, 0u)]
    [InlineData(0x1FFu /* 0777 */, false, 0x001F01BFu, 0x001201BFu, 0x001201BFu)]
    [InlineData(0x1FFu /* 0777 */, true, 0x001F01FFu, 0x001201FFu, 0x001201FFu)]
    public void DaclFromModeBits(uint mode, bool directory, uint ownerMask, uint groupMask, uint everyoneMask)
    {
        Parsed sd = Parse(Encode(All, Node(mode, directory ? FileType.Directory : FileType.Regular)));
        Assert.Equal(0x8004, sd.Control); // SE_SELF_RELATIVE | SE_DACL_PRESENT
        Assert.Equal("S-1-22-1-1000", sd.Owner);
        Assert.Equal("S-1-22-2-100", sd.Group);
        var expected = new List<Ace> { new(0, 0, ownerMask, "S-1-22-1-1000") };
        if (groupMask != 0) expected.Add(new(0, 0, groupMask, "S-1-22-2-100"));
        if (everyoneMask != 0) expected.Add(new(0, 0, everyoneMask, "S-1-1-0"));
        expected.Add(new(0, 0, 0x001F01FF, "S-1-5-18"));
        expected.Add(new(0, 0, 0x001F01FF, "S-1-5-32-544"));
        Assert.Equal(expected, sd.Dacl);
    }

    [Fact]
    public void AdditionalInformationSelectsTheParts()
    {
        var a = Node(0x1A4);
        Parsed owner = Parse(Encode(1, a));
        Assert.Equal(("S-1-22-1-1000", (string?)null, 0x8000), (owner.Owner, owner.Group, (int)owner.Control));
        Assert.Null(owner.Dacl);
        Assert.Equal(36, Encode(1, a).Length);

        Parsed group = Parse(Encode(2, a));
        Assert.Equal(((string?)null, "S-1-22-2-100"), (group.Owner, group.Group));

        Parsed dacl = Parse(Encode(4, a));
        Assert.Null(dacl.Owner);
        Assert.NotNull(dacl.Dacl);

        // SACL requested: none is kept, none is returned, SE_SACL_PRESENT stays clear.
        Assert.Equal(Encode(4, a), Encode(4 | 8, a));
        Assert.Equal(20, Encode(8, a).Length);
        Assert.Equal(-1, SecurityDescriptorEncoder.Encode(All, a, new byte[SecurityDescriptorEncoder.Size(All, a) - 1]));
    }

    [Theory]
    [InlineData(0x1A4u)]
    [InlineData(0x1EDu)]
    [InlineData(0x180u)]
    [InlineData(0x1FFu)]
    [InlineData(0x1E8u)] // 0750
    [InlineData(0x1A0u)] // 0640
    [InlineData(0x124u)] // 0444
    [InlineData(0x104u)] // 0404
    [InlineData(0x000u)]
    public void ModeRoundTripsThroughTheDacl(uint mode)
    {
        foreach (FileType type in new[] { FileType.Regular, FileType.Directory })
        {
            byte[] sd = Encode(All, Node(mode, type));
            const uint typeAndSpecialBits = 0x4000 | 0xC00; // S_IFDIR and setuid/setgid: kept from currentMode
            Assert.Equal(typeAndSpecialBits | mode, SecurityDescriptorEncoder.TryDecodeMode(sd, typeAndSpecialBits | 0x1FF));
            Assert.Equal(mode, SecurityDescriptorEncoder.TryDecodeMode(Encode(4, Node(mode, type)), 0x1FF));
        }
    }

    [Fact]
    public void NoDaclMeansIgnore()
    {
        Assert.Null(SecurityDescriptorEncoder.TryDecodeMode(Encode(1 | 2, Node(0x1A4)), 0x1A4));
        Assert.Null(SecurityDescriptorEncoder.TryDecodeMode([], 0x1A4));
        Assert.Null(SecurityDescriptorEncoder.TryDecodeMode(new byte[20], 0x1A4));
        // NULL DACL: SE_DACL_PRESENT with no ACL.
        byte[] nullDacl = [1, 0, 0x04, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Null(SecurityDescriptorEncoder.TryDecodeMode(nullDacl, 0x1A4));
    }

    // A DACL as a Windows client might set it: no owner/group in the descriptor, Everyone denied
    // write before being allowed everything, an inherit-only ACE that must not count, a domain SID.
    [Fact]
    public void ClientDaclOrderDenyAndInheritOnly()
    {
        var aces = new List<byte[]>
        {
            AceBytes(1, 0, 0x2, [1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]),                                         // deny Everyone FILE_WRITE_DATA
            AceBytes(0, 0, 0x10000000, [1, 2, 0, 0, 0, 0, 0, 22, 1, 0, 0, 0, 0xE8, 3, 0, 0]),                  // allow owner GENERIC_ALL
            AceBytes(0, 0, 0x001F01FF, [1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]),                                  // allow Everyone full
            AceBytes(0, 0x08 | 0x03, 0x001F01FF, [1, 2, 0, 0, 0, 0, 0, 22, 2, 0, 0, 0, 100, 0, 0, 0]),         // inherit-only group
            AceBytes(0, 0, 0x001F01FF, [1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xE9, 3, 0, 0]), // domain user
        };
        byte[] sd = DaclOnly(aces);
        Assert.Equal(0x1C5u /* 0705: rwx---r-x */, SecurityDescriptorEncoder.TryDecodeMode(sd, 0x1A4));
        // Told who owns the file, an ACE for another Unix user is not the owner's.
        Assert.Equal(0x005u, SecurityDescriptorEncoder.TryDecodeMode(sd, 0x1A4, ownerUid: 1001, ownerGid: 100));
    }

    [Fact]
    public void TruncatedOrCorruptDescriptorsNeverThrow()
    {
        byte[] good = Encode(All, Node(0x1ED, FileType.Directory));
        for (int len = 0; len < good.Length; len++)
        {
            SecurityDescriptorEncoder.TryDecodeMode(good.AsSpan(0, len), 0x1ED);
        }

        var random = new Random(1234);
        for (int i = 0; i < 20000; i++)
        {
            byte[] mutated = (byte[])good.Clone();
            for (int k = random.Next(1, 6); k > 0; k--) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            SecurityDescriptorEncoder.TryDecodeMode(mutated, 0x1ED);
        }
    }

    private static byte[] AceBytes(byte type, byte flags, uint mask, byte[] sid)
    {
        var ace = new byte[8 + sid.Length];
        ace[0] = type;
        ace[1] = flags;
        BinaryPrimitives.WriteUInt16LittleEndian(ace.AsSpan(2), (ushort)ace.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(ace.AsSpan(4), mask);
        sid.CopyTo(ace, 8);
        return ace;
    }

    private static byte[] DaclOnly(List<byte[]> aces)
    {
        int aclSize = 8 + aces.Sum(a => a.Length);
        var sd = new byte[20 + aclSize];
        sd[0] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(sd.AsSpan(2), 0x8004);
        BinaryPrimitives.WriteUInt32LittleEndian(sd.AsSpan(16), 20);
        sd[20] = 2;
        BinaryPrimitives.WriteUInt16LittleEndian(sd.AsSpan(22), (ushort)aclSize);
        BinaryPrimitives.WriteUInt16LittleEndian(sd.AsSpan(24), (ushort)aces.Count);
        int at = 28;
        foreach (byte[] ace in aces)
        {
            ace.CopyTo(sd, at);
            at += ace.Length;
        }

        return sd;
    }
}
