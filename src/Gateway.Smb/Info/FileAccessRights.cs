namespace Gateway.Smb.Info;

/// <summary>ACCESS_MASK bits for files and directories (MS-DTYP 2.4.3, MS-SMB2 2.2.13.1.1).</summary>
public static class FileAccessRights
{
    public const uint ReadData = 0x1;          // FILE_LIST_DIRECTORY on a directory
    public const uint WriteData = 0x2;         // FILE_ADD_FILE
    public const uint AppendData = 0x4;        // FILE_ADD_SUBDIRECTORY
    public const uint ReadEa = 0x8;
    public const uint WriteEa = 0x10;
    public const uint Execute = 0x20;          // FILE_TRAVERSE
    public const uint DeleteChild = 0x40;
    public const uint ReadAttributes = 0x80;
    public const uint WriteAttributes = 0x100;
    public const uint Delete = 0x10000;
    public const uint ReadControl = 0x20000;
    public const uint WriteDac = 0x40000;
    public const uint WriteOwner = 0x80000;
    public const uint Synchronize = 0x100000;
    public const uint MaximumAllowed = 0x2000000;
    public const uint GenericAll = 0x10000000;
    public const uint GenericExecute = 0x20000000;
    public const uint GenericWrite = 0x40000000;
    public const uint GenericRead = 0x80000000;

    public const uint FileGenericRead = ReadControl | ReadData | ReadAttributes | ReadEa | Synchronize;                       // 0x120089
    public const uint FileGenericWrite = ReadControl | WriteData | WriteAttributes | WriteEa | AppendData | Synchronize;     // 0x120116
    public const uint FileGenericExecute = ReadControl | ReadAttributes | Execute | Synchronize;                              // 0x1200A0
    public const uint FileAllAccess = 0x1F01FF;
}
