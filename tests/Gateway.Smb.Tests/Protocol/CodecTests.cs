using System.Buffers.Binary;
using System.Text;
using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs;

namespace Gateway.Smb.Tests.Protocol;

public sealed class CodecTests
{
    [Fact]
    public void HeaderRoundTripsSyncAndAsync()
    {
        var b = new byte[64];
        Smb2Header.WriteResponse(b, Smb2Command.Read, 0xC0000011, 3, 17, Smb2Header.FlagRelated, 42, 0, 0xFEFF, 7, 0x1122334455667788);
        Assert.True(Smb2Header.TryRead(b, out var h));
        Assert.Equal(Smb2Command.Read, h.Command);
        Assert.Equal(0xC0000011u, h.Status);
        Assert.Equal((ushort)3, h.CreditCharge);
        Assert.Equal((ushort)17, h.CreditRequest);
        Assert.Equal(42ul, h.MessageId);
        Assert.Equal(7u, h.TreeId);
        Assert.Equal(0xFEFFu, h.ProcessId);
        Assert.Equal(0x1122334455667788ul, h.SessionId);
        Assert.True(h.IsRelated);
        Assert.Equal(Smb2Header.FlagServerToRedir | Smb2Header.FlagRelated, h.Flags);
        Assert.Equal(new byte[] { 0xFE, (byte)'S', (byte)'M', (byte)'B', 64, 0 }, b[..6]);

        Smb2Header.WriteResponse(b, Smb2Command.Lock, 0x103, 1, 1, Smb2Header.FlagAsync, 9, 0xABCDEF, 0, 5, 1);
        Assert.True(Smb2Header.TryRead(b, out h));
        Assert.True(h.IsAsync);
        Assert.Equal(0xABCDEFul, h.AsyncId);
        Assert.Equal(0u, h.TreeId);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(0)]
    public void HeaderRejectsShortOrForeignMessages(int length)
    {
        Assert.False(Smb2Header.TryRead(new byte[length], out _));
        var smb1 = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(smb1, Smb2Header.Smb1ProtocolId);
        Assert.False(Smb2Header.TryRead(smb1, out _));
        var badSize = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(badSize, Smb2Header.ProtocolId);
        BinaryPrimitives.WriteUInt16LittleEndian(badSize.AsSpan(4), 65);
        Assert.False(Smb2Header.TryRead(badSize, out _));
    }

    [Fact]
    public void CreditWindowRejectsReuseAndOutOfWindowIds()
    {
        var c = new Credits();
        Assert.True(c.TryConsume(0, 1));
        Assert.False(c.TryConsume(0, 1));               // reused
        Assert.False(c.TryConsume(1, 1));               // not granted yet
        Assert.Equal(10, c.Grant(10));
        Assert.True(c.TryConsume(5, 1));                // out of order is fine
        Assert.True(c.TryConsume(1, 4));                // multi-credit 1..4
        Assert.False(c.TryConsume(4, 1));
        Assert.False(c.TryConsume(9, 4));               // runs past the window (ids 1..10)
        Assert.True(c.TryConsume(6, 5));
        Assert.Equal(0, c.Outstanding);
        Assert.Equal(1, c.Grant(0));                    // never leave the client without a credit
        Assert.Equal(Credits.MaxOutstanding - 1, c.Grant(ushort.MaxValue));
        Assert.Equal(Credits.MaxOutstanding, c.Outstanding);
    }

    [Theory]
    [InlineData("", 0u)]
    [InlineData("a\\b\\c.txt", 0u)]
    [InlineData("dir\\", 0u)]
    [InlineData("f::$DATA", 0u)]
    [InlineData("..\\x", NtStatus.ObjectNameInvalid)]
    [InlineData("a\\.\\b", NtStatus.ObjectNameInvalid)]
    [InlineData("a\\\\b", NtStatus.ObjectNameInvalid)]
    [InlineData("a/b", NtStatus.ObjectNameInvalid)]
    [InlineData("f:stream", NtStatus.ObjectNameInvalid)]
    [InlineData("d:x\\f", NtStatus.ObjectNameInvalid)]
    [InlineData("wild*", NtStatus.ObjectNameInvalid)]
    [InlineData("\\lead", NtStatus.ObjectNameInvalid)]
    public void PathNamesFollowWindowsRules(string path, uint expected)
    {
        Assert.Equal(expected, PathName.TrySplit(path, out var parts));
        if (expected == 0 && path == "a\\b\\c.txt")
            Assert.Equal(["a", "b", "c.txt"], parts);
        if (expected == 0 && path == "f::$DATA")
            Assert.Equal(["f"], parts);
    }

    [Fact]
    public void CreateContextsAreParsedAndBoundsChecked()
    {
        var chain = new byte[24 + 32];
        // MxAc with no data, then QFid
        WriteContext(chain, 0, "MxAc", next: 24);
        WriteContext(chain, 24, "QFid", next: 0);
        Assert.True(CreateContexts.TryParse(chain, out var c));
        Assert.True(c.MaximalAccess);
        Assert.True(c.QueryOnDiskId);
        Assert.False(c.DurableReconnect);

        var bad = (byte[])chain.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(bad, 20); // not 8-aligned
        Assert.False(CreateContexts.TryParse(bad, out _));
        bad = (byte[])chain.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(bad.AsSpan(24 + 10), 200); // data offset outside
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(24 + 12), 8);
        Assert.False(CreateContexts.TryParse(bad, out _));
        Assert.False(CreateContexts.TryParse(new byte[10], out _));
        Assert.True(CreateContexts.TryParse([], out _));
    }

    private static void WriteContext(byte[] b, int at, string name, uint next)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), next);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at + 4), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at + 6), 4);
        Encoding.ASCII.GetBytes(name).CopyTo(b, at + 16);
    }

    [Fact]
    public void StatusMapCoversEveryVfsStatus()
    {
        foreach (var s in Enum.GetValues<VfsStatus>())
        {
            var nt = StatusMap.ToNtStatus(s);
            Assert.NotEqual(NtStatus.InternalError, nt);
            Assert.Equal(s == VfsStatus.Ok, nt == NtStatus.Success);
        }
        Assert.Equal(NtStatus.ObjectNameNotFound, StatusMap.ToNtStatus(VfsStatus.NotFound));
        Assert.Equal(NtStatus.ObjectPathNotFound, StatusMap.ForIntermediate(VfsStatus.NotFound));
        Assert.Equal(NtStatus.SharingViolation, StatusMap.ToNtStatus(VfsStatus.ShareConflict));
        Assert.Equal(NtStatus.LockNotGranted, StatusMap.ToNtStatus(VfsStatus.LockConflict));
        Assert.Equal(NtStatus.DirectoryNotEmpty, StatusMap.ToNtStatus(VfsStatus.NotEmpty));
        Assert.Equal(NtStatus.ObjectNameCollision, StatusMap.ToNtStatus(VfsStatus.Exists));
    }

    [Fact]
    public void GenericRightsMapToFileRights()
    {
        Assert.Equal(AccessRights.FileGenericRead, AccessRights.MapGeneric(AccessRights.GenericRead));
        Assert.Equal(AccessRights.FileAllAccess, AccessRights.MapGeneric(AccessRights.GenericAll));
        Assert.Equal(AccessRights.FileGenericRead | AccessRights.FileGenericWrite | AccessRights.Delete,
            AccessRights.MapGeneric(AccessRights.GenericRead | AccessRights.GenericWrite | AccessRights.Delete));
    }
}
