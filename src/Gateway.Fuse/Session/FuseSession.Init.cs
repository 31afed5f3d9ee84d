using System.Buffers.Binary;
using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;

namespace Gateway.Fuse.Session;

internal sealed partial class FuseSession
{
    /// <summary>What we ask for when the kernel offers it (see <see cref="Init"/> for why each).</summary>
    internal const ulong WantedFlags =
        FuseConst.FUSE_ASYNC_READ            // several READs of one file in flight
        | FuseConst.FUSE_POSIX_LOCKS         // fcntl locks go to the LockManager, seen by NLM/SMB/NFSv4
        | FuseConst.FUSE_FLOCK_LOCKS         // flock too (as whole-file locks)
        | FuseConst.FUSE_ATOMIC_O_TRUNC      // O_TRUNC travels with OPEN, not as a separate SETATTR
        | FuseConst.FUSE_EXPORT_SUPPORT      // we answer LOOKUP of "." and ".."
        | FuseConst.FUSE_BIG_WRITES          // writes up to max_write
        | FuseConst.FUSE_MAX_PAGES           // ... and max_write may be 1 MiB
        // Coherence: the kernel drops cached pages when it sees mtime/size change (AUTO_INVAL_DATA), and
        // we also invalidate explicitly when another door changes a file, so neither alone must be perfect.
        | FuseConst.FUSE_AUTO_INVAL_DATA
        | FuseConst.FUSE_DO_READDIRPLUS
        | FuseConst.FUSE_READDIRPLUS_AUTO
        | FuseConst.FUSE_PARALLEL_DIROPS     // lookups and readdirs in one directory run in parallel
        | FuseConst.FUSE_INIT_EXT;           // flags2 (needed for PASSTHROUGH)

    /// <summary>Protocol minor both sides use (0 until INIT).</summary>
    public uint Minor { get; private set; }

    public ulong NegotiatedFlags { get; private set; }

    public bool PassthroughEnabled { get; private set; }

    /// <summary>What the kernel offered in INIT (flags | flags2 &lt;&lt; 32).</summary>
    public ulong KernelFlags { get; private set; }

    public uint KernelMinor { get; private set; }

    /// <summary>INIT has been answered: requests other than INIT are served from then on.</summary>
    private volatile bool _serving;

    private void Init(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        if (_serving || _initialized.Task.IsCompleted)
        {
            Error(h.Unique, FuseErrno.EIO); // a second INIT is a protocol error
            return;
        }
        if (body.Length < 16)
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var major = BinaryPrimitives.ReadUInt32LittleEndian(body);
        var minor = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        var maxReadahead = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
        ulong flags = BinaryPrimitives.ReadUInt32LittleEndian(body[12..]);
        if ((flags & FuseConst.FUSE_INIT_EXT) != 0 && body.Length >= 20)
            flags |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(body[16..]) << 32;

        if (major > FuseConst.FUSE_KERNEL_VERSION)
        {
            // A newer major: answer with ours only, and the kernel sends INIT again in our version.
            var minimal = new FuseInitOut { Major = FuseConst.FUSE_KERNEL_VERSION, Minor = FuseConst.OurMinor };
            reply.Append(minimal);
            Send(h.Unique, reply);
            return;
        }
        // 7.23 is where fuse_init_out reached its full size; older kernels (before Linux 3.15) are not served.
        if (major < FuseConst.FUSE_KERNEL_VERSION || minor < 23)
        {
            Error(h.Unique, 71 /* EPROTO */);
            _initialized.TrySetException(new FuseMountException($"the kernel speaks FUSE {major}.{minor}; the gateway needs 7.23 or newer"));
            return;
        }

        KernelFlags = flags;
        KernelMinor = minor;
        var out_ = BuildInitReply(minor, maxReadahead, flags, _options.Passthrough);
        Minor = out_.Minor;
        NegotiatedFlags = (ulong)out_.Flags | ((ulong)out_.Flags2 << 32);
        PassthroughEnabled = (NegotiatedFlags & FuseConst.FUSE_PASSTHROUGH) != 0;
        reply.Append(out_);
        // Before the reply: the kernel sends the next requests as soon as it has it, and another reader
        // may take one before this thread gets to complete _initialized below.
        _serving = true;
        Send(h.Unique, reply);
        _options.Log($"fuse: kernel FUSE {major}.{minor}, speaking 7.{Minor}; passthrough {(PassthroughEnabled ? "on" : (flags & FuseConst.FUSE_PASSTHROUGH) != 0 ? "offered, off" : "not offered")}");
        _initialized.TrySetResult();
    }

    /// <summary>The INIT answer for what the kernel offered (pure: the codec tests call it).</summary>
    internal static FuseInitOut BuildInitReply(uint kernelMinor, uint maxReadahead, ulong kernelFlags, bool passthrough)
    {
        var wanted = WantedFlags | (passthrough ? FuseConst.FUSE_PASSTHROUGH : 0);
        var granted = kernelFlags & wanted;
        return new FuseInitOut
        {
            Major = FuseConst.FUSE_KERNEL_VERSION,
            Minor = Math.Min(kernelMinor, FuseConst.OurMinor),
            MaxReadahead = maxReadahead,
            Flags = (uint)granted,
            Flags2 = (uint)(granted >> 32),
            MaxBackground = 64,
            CongestionThreshold = 48,
            MaxWrite = MaxWrite,
            TimeGran = 1,
            MaxPages = MaxPages,
            // Passthrough stacks the FUSE superblock on the backing one; 2 (FILESYSTEM_MAX_STACK_DEPTH) lets
            // the export live on an overlay (containers) as well as on a plain filesystem.
            MaxStackDepth = (granted & FuseConst.FUSE_PASSTHROUGH) != 0 ? 2u : 0u,
        };
    }
}
