using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs.V3.Xdr;

// RFC 1813 §2.6: typedef string filename3<>; typedef string nfspath3<>;
// Opaque bytes on the wire, unbounded (the record size bounds them). A name over 255 bytes is
// NAMETOOLONG. The bytes map to Vfs strings with NameEncoding, the same mapping the Vfs uses for
// names on disk, so a client sees and can use the exact on-disk bytes of a name that is not UTF-8.
// The Vfs itself refuses '/', NUL, "." and "..".
internal readonly record struct WireName(string? Value, Nfs3Status Error)
{
    public bool IsOk => Value is not null;

    public static WireName Read(ref XdrReader reader, int maxBytes = Nfs3.MaxNameBytes)
    {
        var bytes = reader.ReadOpaque(int.MaxValue);
        if (bytes.Length > maxBytes) return new WireName(null, Nfs3Status.NFS3ERR_NAMETOOLONG);
        return new WireName(NameEncoding.Decode(bytes), Nfs3Status.NFS3_OK);
    }

    /// <summary>A filename3 or nfspath3 from a Vfs string: its on-disk bytes, encoded straight into the reply.</summary>
    public static void Write(ref XdrWriter writer, string name)
    {
        var length = NameEncoding.GetByteCount(name);
        if (length < 0)
        {
            // Vfs names come from NameEncoding.Decode, so this string cannot come from the Vfs.
            writer.WriteString(name);
            return;
        }
        NameEncoding.TryEncode(name, writer.WriteOpaqueInPlace(length), out _);
    }

    /// <summary>Bytes <see cref="Write"/> puts on the wire for the name, padding excluded.</summary>
    public static int ByteCount(string name)
    {
        var length = NameEncoding.GetByteCount(name);
        return length >= 0 ? length : System.Text.Encoding.UTF8.GetByteCount(name);
    }
}
