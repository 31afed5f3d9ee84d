namespace Gateway.Smb.Protocol;

/// <summary>File access rights (MS-SMB2 2.2.13.1) and the generic-right mapping for files (MS-FSA 2.1.5.1.2.1).</summary>
internal static class AccessRights
{
    public const uint ReadData = 0x1, WriteData = 0x2, AppendData = 0x4, ReadEa = 0x8, WriteEa = 0x10,
        Execute = 0x20, DeleteChild = 0x40, ReadAttributes = 0x80, WriteAttributes = 0x100,
        Delete = 0x10000, ReadControl = 0x20000, WriteDac = 0x40000, WriteOwner = 0x80000, Synchronize = 0x100000,
        AccessSystemSecurity = 0x1000000, MaximumAllowed = 0x2000000,
        GenericAll = 0x10000000, GenericExecute = 0x20000000, GenericWrite = 0x40000000, GenericRead = 0x80000000;

    public const uint FileGenericRead = 0x00120089, FileGenericWrite = 0x00120116, FileGenericExecute = 0x001200A0,
        FileAllAccess = 0x001F01FF;

    public const uint AnyWrite = WriteData | AppendData | WriteEa | WriteAttributes | Delete | WriteDac | WriteOwner | DeleteChild;

    public static uint MapGeneric(uint desired)
    {
        var mapped = desired & ~(GenericAll | GenericExecute | GenericWrite | GenericRead);
        if ((desired & GenericRead) != 0) mapped |= FileGenericRead;
        if ((desired & GenericWrite) != 0) mapped |= FileGenericWrite;
        if ((desired & GenericExecute) != 0) mapped |= FileGenericExecute;
        if ((desired & GenericAll) != 0) mapped |= FileAllAccess;
        return mapped;
    }
}
