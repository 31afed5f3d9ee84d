namespace Gateway.Smb.Info;

/// <summary>FileInformationClass values (MS-FSCC 2.4) as QUERY_INFO/SET_INFO/QUERY_DIRECTORY carry them.</summary>
public static class FileInformationClass
{
    public const int Directory = 1;
    public const int FullDirectory = 2;
    public const int BothDirectory = 3;
    public const int Basic = 4;
    public const int Standard = 5;
    public const int Internal = 6;
    public const int Ea = 7;
    public const int Access = 8;
    public const int Name = 9;
    public const int Rename = 10;
    public const int Link = 11;
    public const int Names = 12;
    public const int Disposition = 13;
    public const int Position = 14;
    public const int FullEa = 15;
    public const int Mode = 16;
    public const int Alignment = 17;
    public const int All = 18;
    public const int Allocation = 19;
    public const int EndOfFile = 20;
    public const int AlternateName = 21;
    public const int Stream = 22;
    public const int Pipe = 23;
    public const int Compression = 28;
    public const int NetworkOpen = 34;
    public const int AttributeTag = 35;
    public const int IdBothDirectory = 37;
    public const int IdFullDirectory = 38;
    public const int ValidDataLength = 39;
    public const int ShortName = 40;
    public const int NormalizedName = 48;
    public const int Id = 59;
    public const int IdExtdDirectory = 60;
    public const int DispositionEx = 64;
    public const int RenameEx = 65;
}

/// <summary>FsInformationClass values (MS-FSCC 2.5).</summary>
public static class FsInformationClass
{
    public const int Volume = 1;
    public const int Label = 2;
    public const int Size = 3;
    public const int Device = 4;
    public const int Attribute = 5;
    public const int Control = 6;
    public const int FullSize = 7;
    public const int ObjectId = 8;
    public const int SectorSize = 11;
}
