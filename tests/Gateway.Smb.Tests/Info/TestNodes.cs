using Gateway.Vfs;

namespace Gateway.Smb.Tests.Info;

internal static class TestNodes
{
    // 2023-11-14T22:13:20.123456789Z and neighbours: the FILETIMEs below are worked out by hand.
    public const long AccessNs = 1_700_000_000_123_456_789;
    public const long ModifyNs = 1_700_000_100_000_000_000;
    public const long ChangeNs = 1_700_000_200_000_000_050;
    public const long CreateNs = 1_600_000_000_000_000_000;
    public const long AccessFt = 133_444_736_001_234_567;
    public const long ModifyFt = 133_444_737_000_000_000;
    public const long ChangeFt = 133_444_738_000_000_000;
    public const long CreateFt = 132_444_736_000_000_000;

    public static VfsAttributes File(uint mode = 0x1A4 /* 0644 */, ulong size = 5000, ulong used = 8192, uint nlink = 2,
        DosAttributes dos = DosAttributes.None, ulong node = 42) =>
        new(new NodeId(node), FileType.Regular, mode, nlink, 1000, 100, size, used, 0, 0, 0xABCDEF,
            AccessNs, ModifyNs, ChangeNs, CreateNs, dos);

    public static VfsAttributes Directory(uint mode = 0x1ED /* 0755 */, DosAttributes dos = DosAttributes.None, ulong node = 7) =>
        new(new NodeId(node), FileType.Directory, mode, 5, 1000, 100, 4096, 4096, 0, 0, 0xABCDEF,
            AccessNs, ModifyNs, ChangeNs, CreateNs, dos);

    public static VfsAttributes Symlink(ulong node = 9) =>
        new(new NodeId(node), FileType.Symlink, 0x1FF, 1, 1000, 100, 11, 0, 0, 0, 0xABCDEF,
            AccessNs, ModifyNs, ChangeNs, CreateNs, DosAttributes.None);

    public static ulong U64(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));

    public static long I64(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(at));

    public static uint U32(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));

    public static ushort U16(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));

    public static string Utf16(byte[] b, int at, int bytes) => System.Text.Encoding.Unicode.GetString(b, at, bytes);
}
