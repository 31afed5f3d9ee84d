using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.13, RMDIR3res NFSPROC3_RMDIR(RMDIR3args) = 13;
//
//   struct RMDIR3args { diropargs3 object; };
//   struct RMDIR3resok   { wcc_data dir_wcc; };
//   struct RMDIR3resfail { wcc_data dir_wcc; };
//
// A directory with entries is NOTEMPTY; "." and ".." are refused by the Vfs (INVAL).
internal static class RmDir
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results) =>
        Unlink.Handle(nfs, call, arguments, results, static (dir, name) => dir.Vfs.Rmdir(dir.Caller, dir.Node, name));
}
