using System.Text;
using System.Text.Unicode;
using Gateway.Rpc;

namespace Gateway.Nfs.V3.Xdr;

// RFC 1813 §2.6: typedef string filename3<>; typedef string nfspath3<>;
// Unbounded on the wire (the record size bounds them). A name over 255 bytes is NAMETOOLONG and a
// name that is not UTF-8 is refused (the Vfs speaks strings; a lossy decode would reach another
// file). The Vfs itself refuses '/', NUL, "." and "..".
internal readonly record struct WireName(string? Value, Nfs3Status Error)
{
    public bool IsOk => Value is not null;

    public static WireName Read(ref XdrReader reader, int maxBytes = Nfs3.MaxNameBytes,
        Nfs3Status invalid = Nfs3Status.NFS3ERR_INVAL)
    {
        var bytes = reader.ReadOpaque(int.MaxValue);
        if (bytes.Length > maxBytes) return new WireName(null, Nfs3Status.NFS3ERR_NAMETOOLONG);
        if (!Utf8.IsValid(bytes)) return new WireName(null, invalid);
        return new WireName(bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes), Nfs3Status.NFS3_OK);
    }
}
