namespace Gateway.Smb;

/// <summary>SMB2 dialect revisions as they appear on the wire (NEGOTIATE DialectRevision).</summary>
public enum SmbDialect : ushort
{
    Smb202 = 0x0202,
    Smb210 = 0x0210,
    Smb300 = 0x0300,
    Smb302 = 0x0302,
    Smb311 = 0x0311,
}
