using Gateway.Nfs.Mount;
using Gateway.Nfs.V3;

namespace Gateway.Nfs.Tests.Support;

internal sealed record AttrReply(Nfs3Status Status, Fattr? Attributes);

internal sealed record WccReply(Nfs3Status Status, Wcc Wcc);

internal sealed record LookupReply(Nfs3Status Status, byte[]? Handle, Fattr? Attributes, Fattr? DirAttributes);

internal sealed record AccessReply(Nfs3Status Status, Fattr? Attributes, uint Access);

internal sealed record ReadLinkReply(Nfs3Status Status, Fattr? Attributes, string? Target);

internal sealed record ReadReply(Nfs3Status Status, Fattr? Attributes, uint Count, bool Eof, byte[] Data);

internal sealed record WriteReply(Nfs3Status Status, Wcc Wcc, uint Count, uint Committed, ulong Verifier);

internal sealed record CreateReply(Nfs3Status Status, byte[]? Handle, Fattr? Attributes, Wcc DirWcc);

internal sealed record RenameReply(Nfs3Status Status, Wcc From, Wcc To);

internal sealed record LinkReply(Nfs3Status Status, Fattr? Attributes, Wcc DirWcc);

internal sealed record DirEntry3(ulong FileId, string Name, ulong Cookie, Fattr? Attributes, byte[]? Handle);

internal sealed record ReadDirReply(Nfs3Status Status, Fattr? DirAttributes, ulong Verifier, List<DirEntry3> Entries, bool Eof);

internal sealed record FsStatReply(Nfs3Status Status, Fattr? Attributes, ulong TotalBytes, ulong FreeBytes, ulong AvailableBytes,
    ulong TotalFiles, ulong FreeFiles, ulong AvailableFiles, uint Invarsec);

internal sealed record FsInfoReply(Nfs3Status Status, Fattr? Attributes, uint Rtmax, uint Rtpref, uint Rtmult, uint Wtmax,
    uint Wtpref, uint Wtmult, uint Dtpref, ulong MaxFileSize, Time3? TimeDelta, uint Properties);

internal sealed record PathConfReply(Nfs3Status Status, Fattr? Attributes, uint LinkMax, uint NameMax, bool NoTrunc,
    bool ChownRestricted, bool CaseInsensitive, bool CasePreserving);

internal sealed record CommitReply(Nfs3Status Status, Wcc Wcc, ulong Verifier);

internal sealed record MntReply(MountStatus Status, byte[]? Handle, uint[] Flavors);

internal sealed record ExportNode(string Path, string[] Groups);
