using System.Buffers;
using System.Buffers.Binary;

namespace Gateway.Rpc.Tests.Support;

// Builds call messages and records the way a client would.
internal static class Calls
{
    public static byte[] Message(uint xid, uint program, uint version, uint procedure, byte[]? arguments = null,
        AuthSysParams? credential = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new XdrWriter(buffer);
        RpcCall.WriteHeader(ref writer, xid, program, version, procedure, credential);
        writer.WriteOpaqueFixed(arguments ?? []);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Record(byte[] message)
    {
        var record = new byte[4 + message.Length];
        RecordMarking.WriteHeader(record, message.Length);
        message.CopyTo(record, 4);
        return record;
    }

    public static byte[] Record(uint xid, uint program, uint version, uint procedure, byte[]? arguments = null,
        AuthSysParams? credential = null) =>
        Record(Message(xid, program, version, procedure, arguments, credential));

    public static byte[] Words(params uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static AuthSysParams Sys(uint uid = 1000, uint gid = 1000) => new(0x5eed, "client", uid, gid, [gid, 4, 27]);
}
