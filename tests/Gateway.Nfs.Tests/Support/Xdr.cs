using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Tests.Support;

internal delegate void XdrBuild(ref XdrWriter writer);

internal delegate T XdrParse<T>(ref XdrReader reader);

/// <summary>Builds call arguments and parses results the way a client does.</summary>
internal static class Xdr
{
    public static byte[] Build(XdrBuild build)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new XdrWriter(buffer);
        build(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static T Parse<T>(byte[] bytes, XdrParse<T> parse, bool whole = true)
    {
        var reader = new XdrReader(bytes);
        var value = parse(ref reader);
        if (whole) reader.EnsureFullyConsumed();
        return value;
    }
}
