using System.Buffers;
using Gateway.Smb.Info;
using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.37 QUERY_INFO Request (StructureSize 41):
//   0 StructureSize 2 InfoType 3 FileInfoClass 4 OutputBufferLength 8 InputBufferOffset 10 Reserved
//  12 InputBufferLength 16 AdditionalInformation 20 Flags 24 FileId 40 Buffer
// 2.2.38 Response (StructureSize 9): 0 StructureSize 2 OutputBufferOffset 4 OutputBufferLength 8 Buffer
// Too small an output buffer (3.3.5.20): variable-length classes answer STATUS_BUFFER_OVERFLOW with
// as much as fits; fixed-size ones STATUS_INFO_LENGTH_MISMATCH; security descriptors
// STATUS_BUFFER_TOO_SMALL with the size needed.
internal static class QueryInfoCommand
{
    public const byte InfoFile = 1, InfoFileSystem = 2, InfoSecurity = 3, InfoQuota = 4;
    private const int Scratch = 64 * 1024;

    public static SmbResponse Handle(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 40 || Wire.U16(body, 0) != 41)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var infoType = body[2];
        int infoClass = body[3];
        var outputLength = (int)Math.Min(Wire.U32(body, 4), (uint)request.Options.MaxIo);
        var additional = Wire.U32(body, 16);
        var open = request.FindOpen(body.Slice(24, 16));
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        if (open.Vfs is not { } vfs)
            return QueryPipe(infoType, infoClass, outputLength);
        var attrs = vfs.GetAttr(open.Node);
        if (!attrs.IsOk)
            return SmbResponse.Error(StatusMap.ToNtStatus(attrs.Status));
        var a = attrs.Value;
        var scratch = ArrayPool<byte>.Shared.Rent(Scratch);
        try
        {
            int n;
            bool variable;
            switch (infoType)
            {
                case InfoFile:
                {
                    // MS-SMB2 3.3.5.20.1: FileNormalizedNameInformation only from 3.1.1 on.
                    if (infoClass == 48 && request.Connection.Dialect < SmbDialect.Smb311)
                        return SmbResponse.Error(NtStatus.NotSupported);
                    var context = new OpenFileContext(open.Node.Value, open.Position, open.Mode, open.Access,
                        open.NodeState?.DeletePending ?? false, "\\" + open.Path, 0);
                    n = FileInfoEncoder.Encode(infoClass, a, context, scratch.AsSpan(0, Scratch));
                    variable = infoClass is 9 or 15 or 18 or 21 or 22 or 48;
                    break;
                }
                case InfoFileSystem:
                {
                    var stats = vfs.FsStat(open.Node);
                    if (!stats.IsOk)
                        return SmbResponse.Error(StatusMap.ToNtStatus(stats.Status));
                    var share = open.Tree.Share!;
                    n = FsInfoEncoder.Encode(infoClass, stats.Value, share.Name, VolumeSerial(share.Name),
                        request.Server.StartTime, scratch.AsSpan(0, Scratch));
                    if (n == int.MinValue && infoClass == FsControl)
                        n = WriteFsControl(scratch);
                    variable = infoClass is 1 or 5;
                    break;
                }
                case InfoSecurity:
                {
                    n = SecurityDescriptorEncoder.Encode(additional, a, scratch.AsSpan(0, Scratch));
                    if (n < 0)
                        return SmbResponse.Error(NtStatus.InvalidParameter);
                    if (n > outputLength)
                        return SmbResponse.ErrorWithSize(NtStatus.BufferTooSmall, (uint)n);
                    return Output(scratch.AsSpan(0, n), NtStatus.Success);
                }
                case InfoQuota:
                    return SmbResponse.Error(NtStatus.NotSupported);
                default:
                    return SmbResponse.Error(NtStatus.InvalidParameter);
            }
            if (n == int.MinValue)
            {
                // No 8.3 names here; smbclient allinfo and smbtorture go on after NOT_IMPLEMENTED.
                if (infoType == InfoFile && infoClass == 21)
                    return SmbResponse.Error(NtStatus.NotImplemented);
                return SmbResponse.Error(NtStatus.InvalidInfoClass);
            }
            if (n < 0)
                return SmbResponse.Error(NtStatus.InfoLengthMismatch);
            if (n > outputLength)
            {
                // Below the class's fixed part: INFO_LENGTH_MISMATCH; only the variable tail may be cut.
                if (!variable || outputLength < FixedPart(infoType, infoClass))
                    return SmbResponse.Error(NtStatus.InfoLengthMismatch);
                return Output(scratch.AsSpan(0, outputLength), NtStatus.BufferOverflow);
            }
            return Output(scratch.AsSpan(0, n), NtStatus.Success);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static SmbResponse QueryPipe(byte infoType, int infoClass, int outputLength)
    {
        // FileStandardInformation on a pipe: what rpcclient-style clients ask before reading.
        if (infoType == InfoFile && infoClass == 5 && outputLength >= 24)
        {
            Span<byte> b = stackalloc byte[24];
            b.Clear();
            Wire.U64(b, 0, 4096);
            Wire.U32(b, 16, 1);
            b[20] = 1; // DeletePending as Windows shows for pipes
            return Output(b, NtStatus.Success);
        }
        return SmbResponse.Error(NtStatus.NotSupported);
    }

    private const int FsControl = 6;

    // FILE_FS_CONTROL_INFORMATION (MS-FSCC 2.5.2): no quotas here; thresholds and limits "none".
    private static int WriteFsControl(Span<byte> b)
    {
        b[..48].Clear();
        Wire.U64(b, 24, ulong.MaxValue);
        Wire.U64(b, 32, ulong.MaxValue);
        return 48;
    }

    // The fixed part of the variable-length classes, 8-aligned as Windows counts it (what
    // smbtorture's getinfo buffercheck expects): below it, INFO_LENGTH_MISMATCH.
    private static int FixedPart(byte infoType, int infoClass) => (infoType, infoClass) switch
    {
        (InfoFile, 18) => 104,     // FileAllInformation
        (InfoFile, 22) => 32,      // FileStreamInformation
        (InfoFile, _) => 8,        // Name, AlternateName, NormalizedName, FullEa
        (InfoFileSystem, 1) => 24, // FileFsVolumeInformation
        (InfoFileSystem, 5) => 16, // FileFsAttributeInformation
        _ => 0,
    };

    public static SmbResponse Output(ReadOnlySpan<byte> data, uint status)
    {
        var r = SmbResponse.Ok(8 + data.Length, status);
        var b = r.Body;
        Wire.U16(b, 0, 9);
        Wire.U16(b, 2, Smb2Header.Size + 8);
        Wire.U32(b, 4, (uint)data.Length);
        data.CopyTo(b[8..]);
        return r;
    }

    internal static uint VolumeSerial(string name)
    {
        uint h = 2166136261;
        foreach (var ch in name.ToUpperInvariant())
            h = (h ^ ch) * 16777619;
        return h;
    }
}
