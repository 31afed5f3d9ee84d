using System.Text;
using Gateway.Rpc;
using Gateway.Vfs.Locking;

namespace Gateway.Nfs.Nlm.Xdr;

// XNFS 10.x (NLM v4), the lock description every lock procedure carries:
//
//   struct nlm4_lock {
//       string   caller_name<LM_MAXSTRLEN>;
//       netobj   fh;
//       netobj   oh;
//       int32    svid;
//       uint64   l_offset;
//       uint64   l_len;
//   };
//
// caller_name names the client host (its NLM client identity), oh the lock owner on it (Linux:
// "pid@host"), svid the process id. l_len 0 means "to end of file" (ByteRange reads it the same way).
internal sealed record Nlm4Lock(string CallerName, byte[] Fh, byte[] Oh, uint Svid, ulong Offset, ulong Length)
{
    public ByteRange Range => new(Offset, Length);

    public static Nlm4Lock Read(ref XdrReader reader) => new(
        ReadName(ref reader),
        reader.ReadOpaque(Nlm4.MaxNetobjLength).ToArray(),
        reader.ReadOpaque(Nlm4.MaxNetobjLength).ToArray(),
        reader.ReadUInt32(),
        reader.ReadUInt64(),
        reader.ReadUInt64());

    public void Write(ref XdrWriter writer)
    {
        writer.WriteString(CallerName);
        writer.WriteOpaque(Fh);
        writer.WriteOpaque(Oh);
        writer.WriteUInt32(Svid);
        writer.WriteUInt64(Offset);
        writer.WriteUInt64(Length);
    }

    /// <summary>
    /// A host name as the client sent it. Decoded as UTF-8 (invalid bytes become U+FFFD): the name
    /// is only ever hashed and logged, and every path that hashes it decodes it the same way.
    /// </summary>
    public static string ReadName(ref XdrReader reader)
    {
        var bytes = reader.ReadOpaque(Nlm4.MaxNameLength);
        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }
}

//   struct nlm4_share {
//       string      caller_name<LM_MAXSTRLEN>;
//       netobj      fh;
//       netobj      oh;
//       fsh4_mode   mode;      enum fsh4_mode { fsm_DN = 0, fsm_DR = 1, fsm_DW = 2, fsm_DRW = 3 };
//       fsh4_access access;    enum fsh4_access { fsa_NONE = 0, fsa_R = 1, fsa_W = 2, fsa_RW = 3 };
//   };
//
// Both enums are bit-encoded (bit 0 read, bit 1 write), which is how they map onto ShareAccess.
internal sealed record Nlm4Share(string CallerName, byte[] Fh, byte[] Oh, ShareAccess Deny, ShareAccess Access)
{
    public static Nlm4Share Read(ref XdrReader reader) => new(
        Nlm4Lock.ReadName(ref reader),
        reader.ReadOpaque(Nlm4.MaxNetobjLength).ToArray(),
        reader.ReadOpaque(Nlm4.MaxNetobjLength).ToArray(),
        ReadBits(ref reader, "fsh4_mode"),
        ReadBits(ref reader, "fsh4_access"));

    public void Write(ref XdrWriter writer)
    {
        writer.WriteString(CallerName);
        writer.WriteOpaque(Fh);
        writer.WriteOpaque(Oh);
        writer.WriteUInt32((uint)Deny);
        writer.WriteUInt32((uint)Access);
    }

    private static ShareAccess ReadBits(ref XdrReader reader, string what)
    {
        var value = reader.ReadUInt32();
        if (value > 3) throw new XdrException($"{what} {value} is not 0..3");
        // bit 0 = read, bit 1 = write in both the wire enums and ShareAccess.
        return (ShareAccess)value;
    }
}
