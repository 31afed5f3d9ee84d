using System.Buffers.Binary;
using Gateway.Vfs;

namespace Gateway.Smb.Info;

/// <summary>
/// QUERY_INFO (SMB2_0_INFO_FILESYSTEM) answers, byte-exact per MS-FSCC 2.5. Returns the bytes written,
/// -1 when the destination is too small, <see cref="FileInfoEncoder.NotSupported"/> for other classes.
/// </summary>
public static class FsInfoEncoder
{
    // 512-byte sectors, 8 to a cluster: the 4096-byte unit AllocationSize is rounded to.
    public const uint BytesPerSector = 512;
    public const uint SectorsPerAllocationUnit = 8;
    public const uint PhysicalSectorSize = 4096;
    private const ulong AllocationUnit = BytesPerSector * SectorsPerAllocationUnit;

    public const uint FileDeviceDisk = 0x7;
    /// <summary>FILE_DEVICE_IS_MOUNTED (MS-FSCC 2.5.10), what Windows and Samba report for a share's volume.</summary>
    public const uint DeviceIsMounted = 0x20;

    public const uint CaseSensitiveSearch = 0x1;
    public const uint CasePreservedNames = 0x2;
    public const uint UnicodeOnDisk = 0x4;
    public const uint PersistentAcls = 0x8;
    public const uint SupportsSparseFiles = 0x40;
    public const uint SupportsHardLinks = 0x400000;

    /// <summary>
    /// What the exported tree does: names are case-sensitive on disk and kept as given, UTF-16 round-trips,
    /// security descriptors map to the mode bits, sparse files and hard links are the host's.
    /// </summary>
    public const uint FileSystemAttributes =
        CaseSensitiveSearch | CasePreservedNames | UnicodeOnDisk | PersistentAcls | SupportsSparseFiles | SupportsHardLinks;

    /// <summary>Clients (Office, Explorer's "free space", robocopy) behave best when the name is NTFS.</summary>
    public const string FileSystemName = "NTFS";
    public const int MaximumComponentNameLength = 255;

    private const uint SsinfoFlagsAlignedDevice = 0x1;
    private const uint SsinfoFlagsPartitionAlignedOnDevice = 0x2;

    /// <summary>
    /// Smallest buffer a class is answered in, -1 when unsupported: Windows's sizeof() of each structure,
    /// as smbtorture's smb2.getinfo.qfs_buffercheck expects (see <see cref="FileInfoEncoder.MinimumSize"/>).
    /// </summary>
    public static int MinimumSize(int infoClass) => infoClass switch
    {
        FsInformationClass.Volume => 24,
        FsInformationClass.Size => 24,
        FsInformationClass.Device => 8,
        FsInformationClass.Attribute => 16,
        FsInformationClass.FullSize => 32,
        FsInformationClass.ObjectId => 64,
        FsInformationClass.SectorSize => 28,
        _ => -1,
    };

    public static int Encode(int infoClass, in FsStats stats, string volumeLabel, uint volumeSerial, long volumeCreationFileTime, Span<byte> destination) => infoClass switch
    {
        FsInformationClass.Volume => Volume(volumeLabel, volumeSerial, volumeCreationFileTime, destination),
        FsInformationClass.Size => Size(stats, destination),
        FsInformationClass.Device => Device(destination),
        FsInformationClass.Attribute => Attribute(destination),
        FsInformationClass.FullSize => FullSize(stats, destination),
        FsInformationClass.ObjectId => ObjectId(stats, volumeSerial, destination),
        FsInformationClass.SectorSize => SectorSize(destination),
        _ => FileInfoEncoder.NotSupported,
    };

    // 2.5.9 FileFsVolumeInformation
    //  0 VolumeCreationTime  8 VolumeSerialNumber  12 VolumeLabelLength  16 SupportsObjects  17 Reserved  18 VolumeLabel
    private static int Volume(string label, uint serial, long created, Span<byte> b)
    {
        int labelBytes = WireText.ByteCount(label);
        if (b.Length < 18 + labelBytes) return -1;
        BinaryPrimitives.WriteInt64LittleEndian(b, created);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(8), serial);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(12), (uint)labelBytes);
        b[16] = 0; // no object ids
        b[17] = 0;
        WireText.Write(b.Slice(18), label);
        return 18 + labelBytes;
    }

    // 2.5.8 FileFsSizeInformation
    //  0 TotalAllocationUnits  8 AvailableAllocationUnits  16 SectorsPerAllocationUnit  20 BytesPerSector
    private static int Size(in FsStats s, Span<byte> b)
    {
        if (b.Length < 24) return -1;
        BinaryPrimitives.WriteUInt64LittleEndian(b, s.TotalBytes / AllocationUnit);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), s.AvailableBytes / AllocationUnit);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(16), SectorsPerAllocationUnit);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(20), BytesPerSector);
        return 24;
    }

    // 2.5.10 FileFsDeviceInformation: 0 DeviceType  4 Characteristics
    private static int Device(Span<byte> b)
    {
        if (b.Length < 8) return -1;
        BinaryPrimitives.WriteUInt32LittleEndian(b, FileDeviceDisk);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(4), DeviceIsMounted);
        return 8;
    }

    // 2.5.1 FileFsAttributeInformation
    //  0 FileSystemAttributes  4 MaximumComponentNameLength  8 FileSystemNameLength  12 FileSystemName
    private static int Attribute(Span<byte> b)
    {
        int nameBytes = WireText.ByteCount(FileSystemName);
        if (b.Length < 12 + nameBytes) return -1;
        BinaryPrimitives.WriteUInt32LittleEndian(b, FileSystemAttributes);
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(4), MaximumComponentNameLength);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(8), (uint)nameBytes);
        WireText.Write(b.Slice(12), FileSystemName);
        return 12 + nameBytes;
    }

    // 2.5.4 FileFsFullSizeInformation
    //  0 TotalAllocationUnits  8 CallerAvailableAllocationUnits  16 ActualAvailableAllocationUnits
    // 24 SectorsPerAllocationUnit  28 BytesPerSector
    private static int FullSize(in FsStats s, Span<byte> b)
    {
        if (b.Length < 32) return -1;
        BinaryPrimitives.WriteUInt64LittleEndian(b, s.TotalBytes / AllocationUnit);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), s.AvailableBytes / AllocationUnit);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), s.FreeBytes / AllocationUnit);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(24), SectorsPerAllocationUnit);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(28), BytesPerSector);
        return 32;
    }

    // 2.5.6 FileFsObjectIdInformation: 0 ObjectId(16)  16 ExtendedInfo(48). The id only has to be
    // stable per volume: the filesystem id and the serial the share reports.
    private static int ObjectId(in FsStats s, uint serial, Span<byte> b)
    {
        if (b.Length < 64) return -1;
        b.Slice(0, 64).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(b, s.FsId);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(8), serial);
        return 64;
    }

    // 2.5.7 FileFsSectorSizeInformation
    //  0 LogicalBytesPerSector  4 PhysicalBytesPerSectorForAtomicity  8 PhysicalBytesPerSectorForPerformance
    // 12 FileSystemEffectivePhysicalBytesPerSectorForAtomicity  16 Flags  20 ByteOffsetForSectorAlignment
    // 24 ByteOffsetForPartitionAlignment
    // Logical matches FileFsSizeInformation.BytesPerSector (512); the physical figures say 4096 like a
    // 512e disk, so clients align their I/O to the page size.
    private static int SectorSize(Span<byte> b)
    {
        if (b.Length < 28) return -1;
        BinaryPrimitives.WriteUInt32LittleEndian(b, BytesPerSector);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(4), PhysicalSectorSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(8), PhysicalSectorSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(12), PhysicalSectorSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(16), SsinfoFlagsAlignedDevice | SsinfoFlagsPartitionAlignedOnDevice);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(20), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(24), 0);
        return 28;
    }
}
