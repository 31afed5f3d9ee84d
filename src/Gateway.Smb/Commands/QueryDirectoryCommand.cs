using Gateway.Smb.Info;
using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.33 QUERY_DIRECTORY Request (StructureSize 33):
//   0 StructureSize 2 FileInformationClass 3 Flags 4 FileIndex 8 FileId 24 FileNameOffset 26 FileNameLength
//  28 OutputBufferLength 32 Buffer
// Flags: RESTART_SCANS 0x01, RETURN_SINGLE_ENTRY 0x02, INDEX_SPECIFIED 0x04, REOPEN 0x10.
// 2.2.34 Response (StructureSize 9): 0 StructureSize 2 OutputBufferOffset 4 OutputBufferLength 8 Buffer
// An empty first answer is STATUS_NO_SUCH_FILE; an exhausted scan is STATUS_NO_MORE_FILES (3.3.5.18).
internal static class QueryDirectoryCommand
{
    private const byte RestartScans = 0x01, SingleEntry = 0x02, IndexSpecified = 0x04, Reopen = 0x10;

    public static SmbResponse Handle(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 32 || Wire.U16(body, 0) != 33)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        int infoClass = body[2];
        var flags = body[3];
        var outputLength = Wire.U32(body, 28);
        if (!Wire.TrySlice(request.Message.Span, Wire.U16(body, 24), Wire.U16(body, 26), out var patternBytes))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var open = request.FindOpen(body.Slice(8, 16));
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        if (!open.IsDirectory || open.Vfs is null)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if (!DirectoryInfoEncoder.IsSupported(infoClass))
            return SmbResponse.Error(NtStatus.InvalidInfoClass);
        if (!open.Has(AccessRights.ReadData))
            return SmbResponse.Error(NtStatus.AccessDenied);
        if (outputLength > (uint)request.Options.MaxIo)
            outputLength = (uint)request.Options.MaxIo;
        if (!ReadCommand.CreditChargeCovers(request, outputLength))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var pattern = patternBytes.Length == 0 ? "*" : Wire.Utf16(patternBytes);

        lock (open.Gate)
        {
            var scan = open.Scan;
            var fresh = scan is null || (flags & (RestartScans | Reopen)) != 0
                || (patternBytes.Length > 0 && !string.Equals(pattern, scan.Pattern, StringComparison.Ordinal));
            if (fresh)
            {
                var status = DirectoryScan.Load(open.Vfs, open.Session.Principal, open, pattern, out scan);
                if (status != VfsStatus.Ok)
                    return SmbResponse.Error(StatusMap.ToNtStatus(status));
                open.Scan = scan;
            }
            else if ((flags & IndexSpecified) != 0)
            {
                var index = Wire.U32(body, 4);
                if (index <= (uint)scan!.Entries.Count)
                    scan.Next = (int)index;
            }
            return Fill(scan!, infoClass, (int)outputLength, (flags & SingleEntry) != 0);
        }
    }

    private static SmbResponse Fill(DirectoryScan scan, int infoClass, int outputLength, bool single)
    {
        var r = SmbResponse.Create(8 + outputLength);
        var output = r.Body.Slice(8, outputLength);
        var used = 0;
        var previous = -1;
        var count = 0;
        var hasWildcards = Wildcard.HasWildcards(scan.Pattern);
        while (scan.Next < scan.Entries.Count)
        {
            var (name, attrs) = scan.Entries[scan.Next];
            var match = hasWildcards ? Wildcard.IsMatch(scan.Pattern, name) : string.Equals(scan.Pattern, name, StringComparison.OrdinalIgnoreCase);
            if (!match)
            {
                scan.Next++;
                continue;
            }
            var start = (used + 7) & ~7;
            if (start > output.Length)
                break;
            var written = DirectoryInfoEncoder.Encode(infoClass, name, attrs, (uint)scan.Next, output[start..]);
            if (written < 0)
            {
                if (count == 0)
                {
                    r.Dispose();
                    return SmbResponse.Error(NtStatus.InfoLengthMismatch);
                }
                break;
            }
            if (previous >= 0)
                DirectoryInfoEncoder.Link(output[previous..], start - previous);
            previous = start;
            used = start + written;
            count++;
            scan.Next++;
            if (single)
                break;
        }
        if (count == 0)
        {
            r.Dispose();
            var status = scan.MatchedAny ? NtStatus.NoMoreFiles : NtStatus.NoSuchFile;
            return SmbResponse.Error(status);
        }
        scan.MatchedAny = true;
        var b = r.Body;
        Wire.U16(b, 0, 9);
        Wire.U16(b, 2, Smb2Header.Size + 8);
        Wire.U32(b, 4, (uint)used);
        r.BodyLength = 8 + used;
        return r;
    }
}
