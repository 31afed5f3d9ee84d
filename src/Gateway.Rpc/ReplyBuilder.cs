namespace Gateway.Rpc;

// Builds whole reply records in pooled buffers: the 4-byte record mark is reserved at
// offset 0 and patched once the length is known (Kestrel's "header reserved then patched").
internal static class ReplyBuilder
{
    public static PooledBufferWriter StartSuccess(uint xid)
    {
        PooledBufferWriter buffer = StartRecord();
        var writer = new XdrWriter(buffer);
        RpcReply.WriteAccepted(ref writer, xid, AcceptStat.SUCCESS);
        return buffer;
    }

    public static PooledBufferWriter Accepted(uint xid, AcceptStat stat)
    {
        PooledBufferWriter buffer = StartRecord();
        var writer = new XdrWriter(buffer);
        RpcReply.WriteAccepted(ref writer, xid, stat);
        return Finish(buffer);
    }

    public static PooledBufferWriter ProgMismatch(uint xid, uint low, uint high)
    {
        PooledBufferWriter buffer = StartRecord();
        var writer = new XdrWriter(buffer);
        RpcReply.WriteProgMismatch(ref writer, xid, low, high);
        return Finish(buffer);
    }

    public static PooledBufferWriter RpcMismatch(uint xid)
    {
        PooledBufferWriter buffer = StartRecord();
        var writer = new XdrWriter(buffer);
        RpcReply.WriteRpcMismatch(ref writer, xid);
        return Finish(buffer);
    }

    public static PooledBufferWriter AuthError(uint xid, AuthStat stat)
    {
        PooledBufferWriter buffer = StartRecord();
        var writer = new XdrWriter(buffer);
        RpcReply.WriteAuthError(ref writer, xid, stat);
        return Finish(buffer);
    }

    public static PooledBufferWriter Finish(PooledBufferWriter buffer)
    {
        RecordMarking.WriteHeader(buffer.WrittenSpan, buffer.WrittenCount - RecordMarking.HeaderLength);
        return buffer;
    }

    private static PooledBufferWriter StartRecord()
    {
        var buffer = new PooledBufferWriter();
        buffer.GetSpan(RecordMarking.HeaderLength);
        buffer.Advance(RecordMarking.HeaderLength);
        return buffer;
    }
}
