using System.Buffers;
using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.31 IOCTL Request (StructureSize 57):
//   0 StructureSize 2 Reserved 4 CtlCode 8 FileId 24 InputOffset 28 InputCount 32 MaxInputResponse
//  36 OutputOffset 40 OutputCount 44 MaxOutputResponse 48 Flags (IS_FSCTL 1) 52 Reserved2 56 Buffer
// 2.2.32 Response (StructureSize 49):
//   0 StructureSize 2 Reserved 4 CtlCode 8 FileId 24 InputOffset 28 InputCount 32 OutputOffset
//  36 OutputCount 40 Flags 44 Reserved2 48 Buffer
internal static class IoctlCommand
{
    public const uint ValidateNegotiateInfo = 0x00140204, PipeTransceive = 0x0011C017, RequestResumeKey = 0x00140078,
        CopyChunk = 0x001440F2, CopyChunkWrite = 0x001480F2, QueryNetworkInterfaceInfo = 0x001401FC,
        GetReparsePoint = 0x000900A8, DfsGetReferrals = 0x00060194, DfsGetReferralsEx = 0x000601B0,
        CreateOrGetObjectId = 0x000900C0, GetObjectId = 0x0009009C;
    private const uint FsDriverRequired = 0xC000019C;
    private const int OutputAt = 48;

    // MS-SMB2 3.3.3: server-side copy limits.
    public const int MaxChunks = 256, MaxChunkSize = 1024 * 1024, MaxTotal = 16 * 1024 * 1024;

    public static async ValueTask<SmbResponse> HandleAsync(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 56 || Wire.U16(body, 0) != 57)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var code = Wire.U32(body, 4);
        var maxOutput = (int)Math.Min(Wire.U32(body, 44), (uint)request.Options.MaxIo);
        if ((Wire.U32(body, 48) & 1) == 0)
            return SmbResponse.Error(NtStatus.NotSupported);
        if (!Wire.TrySlice(request.Message.Span, Wire.U32(body, 24), Wire.U32(body, 28), out var input))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if (!ReadCommand.CreditChargeCovers(request, (uint)Math.Max(input.Length, maxOutput)))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var fileId = body.Slice(8, 16);
        switch (code)
        {
            case ValidateNegotiateInfo:
                return ValidateNegotiate(request, input, fileId);
            case QueryNetworkInterfaceInfo:
                return SmbResponse.Error(NtStatus.NotSupported);
            case DfsGetReferrals or DfsGetReferralsEx:
                return SmbResponse.Error(FsDriverRequired);
        }
        var open = request.FindOpen(fileId);
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        switch (code)
        {
            case PipeTransceive:
                if (open.Pipe is not { } pipe)
                    return SmbResponse.Error(NtStatus.InvalidDeviceRequest);
                return Transceive(open, pipe, input, maxOutput, code);
            case RequestResumeKey:
                if (open.Vfs is null)
                    return SmbResponse.Error(NtStatus.InvalidDeviceRequest);
                if (maxOutput < 32)
                    return SmbResponse.Error(NtStatus.InvalidParameter);
                return ResumeKey(open, code);
            case CopyChunk or CopyChunkWrite:
                return await CopyAsync(request, open, input, maxOutput, code).ConfigureAwait(false);
            case GetReparsePoint:
                return SmbResponse.Error(NtStatus.NotAReparsePoint);
            case CreateOrGetObjectId or GetObjectId:
                if (open.Vfs is null)
                    return SmbResponse.Error(NtStatus.InvalidDeviceRequest);
                if (maxOutput < ObjectIdSize)
                    return SmbResponse.Error(NtStatus.BufferTooSmall);
                return ObjectId(open, code);
            default:
                return SmbResponse.Error(open.Vfs is null ? NtStatus.NotSupported : NtStatus.InvalidDeviceRequest);
        }
    }

    private const int ObjectIdSize = 64;

    // MS-FSCC 2.1.3.1 FILE_OBJECTID_BUFFER: 0 ObjectId (16) 16 BirthVolumeId (16) 32 BirthObjectId (16)
    // 48 DomainId (16). Nothing is stored: the id is made from what already names the file for
    // good (its NodeId, which is also its IndexNumber, and the share's volume serial), so "create"
    // and "get" give the same answer every time, as Samba does.
    private static SmbResponse ObjectId(SmbOpen open, uint code)
    {
        Span<byte> output = stackalloc byte[ObjectIdSize];
        output.Clear();
        var serial = QueryInfoCommand.VolumeSerial(open.Tree.Share!.Name);
        Wire.U64(output, 0, open.Node.Value);
        Wire.U32(output, 8, serial);
        Wire.U32(output, 16, serial);
        output[..16].CopyTo(output[32..]);
        Span<byte> id = stackalloc byte[16];
        Wire.U64(id, 0, open.PersistentId);
        Wire.U64(id, 8, open.VolatileId);
        return Build(code, id, output);
    }

    private static SmbResponse Build(uint code, ReadOnlySpan<byte> fileId, ReadOnlySpan<byte> output, uint status = NtStatus.Success)
    {
        var r = SmbResponse.Ok(OutputAt + output.Length, status);
        var b = r.Body;
        Wire.U16(b, 0, 49);
        Wire.U32(b, 4, code);
        fileId.CopyTo(b[8..]);
        Wire.U32(b, 24, Smb2Header.Size + OutputAt);
        Wire.U32(b, 32, output.Length == 0 ? 0 : (uint)(Smb2Header.Size + OutputAt));
        Wire.U32(b, 36, (uint)output.Length);
        output.CopyTo(b[OutputAt..]);
        return r;
    }

    // VALIDATE_NEGOTIATE_INFO request: 0 Capabilities 4 Guid (16) 20 SecurityMode (2) 22 DialectCount (2) 24 Dialects
    // response: 0 Capabilities 4 Guid 20 SecurityMode 22 Dialect. A mismatch means someone rewrote the
    // NEGOTIATE in flight: MS-SMB2 3.3.5.15.12 says drop the connection.
    private static SmbResponse ValidateNegotiate(SmbRequest request, ReadOnlySpan<byte> input, ReadOnlySpan<byte> fileId)
    {
        var c = request.Connection;
        if (input.Length < 24)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var count = Wire.U16(input, 22);
        if (input.Length < 24 + 2 * count)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var same = Wire.U32(input, 0) == c.ClientCapabilities
            && new Guid(input.Slice(4, 16)) == c.ClientGuid
            && Wire.U16(input, 20) == c.ClientSecurityMode
            && count == c.ClientDialects.Length;
        for (var i = 0; same && i < count; i++)
            same = Wire.U16(input, 24 + 2 * i) == c.ClientDialects[i];
        if (!same)
        {
            c.Abort();
            return SmbResponse.Error(NtStatus.AccessDenied);
        }
        Span<byte> output = stackalloc byte[24];
        Wire.U32(output, 0, c.ServerCapabilities);
        request.Options.ServerGuid.TryWriteBytes(output.Slice(4, 16));
        Wire.U16(output, 20, c.ServerSecurityMode);
        Wire.U16(output, 22, (ushort)c.Dialect);
        return Build(ValidateNegotiateInfo, fileId, output);
    }

    private static SmbResponse Transceive(SmbOpen open, Gateway.Smb.DceRpc.NamedPipeEndpoint pipe, ReadOnlySpan<byte> input, int maxOutput, uint code)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(Math.Max(maxOutput, 1));
        try
        {
            int n;
            bool more;
            lock (pipe)
            {
                pipe.Write(input);
                n = pipe.Read(scratch.AsSpan(0, maxOutput), out more);
            }
            Span<byte> id = stackalloc byte[16];
            Wire.U64(id, 0, open.PersistentId);
            Wire.U64(id, 8, open.VolatileId);
            return Build(code, id, scratch.AsSpan(0, n), more ? NtStatus.BufferOverflow : NtStatus.Success);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    // SRV_REQUEST_RESUME_KEY response: ResumeKey (24) ContextLength (4) Context (pad 4). The key names
    // the source open for a later COPYCHUNK: its volatile id (random, so not guessable) + persistent id.
    private static SmbResponse ResumeKey(SmbOpen open, uint code)
    {
        Span<byte> output = stackalloc byte[32];
        output.Clear();
        Wire.U64(output, 0, open.VolatileId);
        Wire.U64(output, 8, open.PersistentId);
        Span<byte> id = stackalloc byte[16];
        Wire.U64(id, 0, open.PersistentId);
        Wire.U64(id, 8, open.VolatileId);
        return Build(code, id, output);
    }

    // SRV_COPYCHUNK_COPY: SourceKey (24) ChunkCount (4) Reserved (4) Chunks: SourceOffset (8) TargetOffset (8) Length (4) Reserved (4)
    // SRV_COPYCHUNK_RESPONSE: ChunksWritten (4) ChunkBytesWritten (4) TotalBytesWritten (4)
    private static ValueTask<SmbResponse> CopyAsync(SmbRequest request, SmbOpen target, ReadOnlySpan<byte> input, int maxOutput, uint code)
    {
        Span<byte> id = stackalloc byte[16];
        Wire.U64(id, 0, target.PersistentId);
        Wire.U64(id, 8, target.VolatileId);
        var fileId = id.ToArray();
        if (input.Length < 32 || maxOutput < 12)
            return new(SmbResponse.Error(NtStatus.InvalidParameter));
        var count = Wire.U32(input, 24);
        if (input.Length < 32 + 24L * count)
            return new(SmbResponse.Error(NtStatus.InvalidParameter));
        var chunks = new (ulong Source, ulong Target, uint Length)[count];
        long total = 0;
        var tooMuch = count > MaxChunks;
        for (var i = 0; i < count && !tooMuch; i++)
        {
            var c = input.Slice(32 + 24 * i, 24);
            chunks[i] = (Wire.U64(c, 0), Wire.U64(c, 8), Wire.U32(c, 16));
            total += chunks[i].Length;
            tooMuch = chunks[i].Length > MaxChunkSize || chunks[i].Length == 0 || total > MaxTotal;
        }
        if (tooMuch)
        {
            // The response tells the client our limits (MS-SMB2 3.3.5.15.6).
            Span<byte> limits = stackalloc byte[12];
            Wire.U32(limits, 0, MaxChunks);
            Wire.U32(limits, 4, MaxChunkSize);
            Wire.U32(limits, 8, MaxTotal);
            return new(Build(code, fileId, limits, NtStatus.InvalidParameter));
        }
        var sourceVolatile = Wire.U64(input, 0);
        var sourcePersistent = Wire.U64(input, 8);
        if (!target.Session.Opens.TryGetValue(sourceVolatile, out var source) || source.PersistentId != sourcePersistent
            || source.Vfs is null || source.IsClosed)
            return new(SmbResponse.Error(NtStatus.ObjectNameNotFound));
        if (target.Vfs is null || target.IsDirectory || source.IsDirectory)
            return new(SmbResponse.Error(NtStatus.InvalidDeviceRequest));
        if (source.Vfs != target.Vfs)
            return new(SmbResponse.Error(NtStatus.NotSameDevice));
        if (!source.Has(AccessRights.ReadData) || !target.Has(AccessRights.WriteData)
            || (code == CopyChunk && !target.Has(AccessRights.ReadData)))
            return new(SmbResponse.Error(NtStatus.AccessDenied));
        return CopyChunksAsync(request, source, target, chunks, fileId, code);
    }

    private static async ValueTask<SmbResponse> CopyChunksAsync(SmbRequest request, SmbOpen source, SmbOpen target,
        (ulong Source, ulong Target, uint Length)[] chunks, byte[] fileId, uint code)
    {
        var vfs = target.Vfs!;
        var buffer = ArrayPool<byte>.Shared.Rent(MaxChunkSize);
        uint written = 0, totalWritten = 0;
        uint status = NtStatus.Success;
        try
        {
            foreach (var (from, to, length) in chunks)
            {
                if (from > long.MaxValue || to > long.MaxValue)
                {
                    status = NtStatus.InvalidParameter;
                    break;
                }
                if (vfs.Locks.CheckIo(source.Node, source.Owner, new ByteRange(from, length), write: false) is not null
                    || vfs.Locks.CheckIo(target.Node, target.Owner, new ByteRange(to, length), write: true) is not null)
                {
                    status = NtStatus.FileLockConflict;
                    break;
                }
                var read = await vfs.ReadAsync(source.Session.Principal, source.Node, (long)from, buffer.AsMemory(0, (int)length),
                    request.CancellationToken).ConfigureAwait(false);
                if (!read.IsOk)
                {
                    status = StatusMap.ToNtStatus(read.Status);
                    break;
                }
                if (read.Value.Count < length)
                {
                    // Copying past the source's end: Windows fails the chunk with END_OF_FILE.
                    status = NtStatus.EndOfFile;
                    break;
                }
                var put = await vfs.WriteAsync(target.Session.Principal, target.Node, (long)to, buffer.AsMemory(0, (int)length),
                    WriteStability.Unstable, request.CancellationToken).ConfigureAwait(false);
                if (!put.IsOk)
                {
                    status = StatusMap.ToNtStatus(put.Status);
                    break;
                }
                written++;
                totalWritten += (uint)put.Value.Count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var output = new byte[12];
        Wire.U32(output, 0, written);
        Wire.U32(output, 4, 0);
        Wire.U32(output, 8, totalWritten);
        if (status != NtStatus.Success && written == 0)
            return SmbResponse.Error(status);
        return Build(code, fileId, output, status == NtStatus.Success ? NtStatus.Success : status);
    }
}
