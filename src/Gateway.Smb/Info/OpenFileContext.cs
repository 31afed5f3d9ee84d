namespace Gateway.Smb.Info;

/// <summary>What a file-information answer needs besides the attributes: the state of the open it is asked on.</summary>
/// <param name="FileId">IndexNumber (FileInternalInformation) and FileId (FileIdInformation): the NodeId value.</param>
/// <param name="Position">Current byte offset of the open (FilePositionInformation).</param>
/// <param name="Mode">FILE_*_MODE bits of the open (FileModeInformation).</param>
/// <param name="AccessMask">Access granted to the open (FileAccessInformation).</param>
/// <param name="DeletePending">Delete-on-close or disposition set (FileStandardInformation).</param>
/// <param name="FileName">Path from the share root with '\' separators, written as given (Windows and Samba lead with '\').</param>
/// <param name="EaSize">Size of the extended attributes (FileEaInformation).</param>
public readonly record struct OpenFileContext(
    ulong FileId, long Position, uint Mode,
    uint AccessMask, bool DeletePending, string FileName,
    uint EaSize);
