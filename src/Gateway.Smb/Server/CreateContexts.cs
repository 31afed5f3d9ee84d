using System.Text;
using Gateway.Smb.Protocol;

namespace Gateway.Smb.Server;

// MS-SMB2 2.2.13.2 SMB2_CREATE_CONTEXT: 0 Next (4)  4 NameOffset (2)  6 NameLength (2)  8 Reserved (2)
// 10 DataOffset (2)  12 DataLength (4); offsets count from the context's own start; Next is 8-aligned.
/// <summary>The create contexts this server acts on; every other one is ignored, as MS-SMB2 allows.</summary>
internal sealed class CreateContexts
{
    public bool MaximalAccess { get; private set; }
    public bool QueryOnDiskId { get; private set; }
    public bool DurableReconnect { get; private set; }

    public static bool TryParse(ReadOnlySpan<byte> chain, out CreateContexts contexts)
    {
        contexts = new CreateContexts();
        var at = 0;
        for (var guard = 0; guard < 64 && chain.Length > 0; guard++)
        {
            if (at + 16 > chain.Length)
                return false;
            var c = chain[at..];
            var next = Wire.U32(c, 0);
            var nameOffset = Wire.U16(c, 4);
            var nameLength = Wire.U16(c, 6);
            var dataOffset = Wire.U16(c, 10);
            var dataLength = Wire.U32(c, 12);
            var limit = next == 0 ? (uint)c.Length : next;
            if (next % 8 != 0 || limit > (uint)c.Length || nameOffset + nameLength > limit
                || (dataLength != 0 && (dataOffset > limit || dataLength > limit - dataOffset)))
                return false;
            if (nameLength == 4)
            {
                switch (Encoding.ASCII.GetString(c.Slice(nameOffset, 4)))
                {
                    case "MxAc": contexts.MaximalAccess = true; break;
                    case "QFid": contexts.QueryOnDiskId = true; break;
                    case "DHnC" or "DH2C": contexts.DurableReconnect = true; break;
                }
            }
            if (next == 0)
                return true;
            at += (int)next;
        }
        return chain.Length == 0;
    }
}
