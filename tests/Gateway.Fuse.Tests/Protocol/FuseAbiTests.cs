using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gateway.Fuse.Abi;
using Gateway.Fuse.Native;

namespace Gateway.Fuse.Tests.Protocol;

/// <summary>
/// Builds native/abi-check's fuse target (fuse_abi_check.c) into a temporary directory, runs it, and
/// holds its "name=value" lines. No compiler is a failure, not a skip: an unchecked layout is the bug.
/// </summary>
public sealed class FuseAbiOutput : IDisposable
{
    private readonly string _buildDir = Path.Combine(Path.GetTempPath(), "gateway-fuse-abi-" + Guid.NewGuid().ToString("N")[..12]);

    public FuseAbiOutput()
    {
        var source = Path.Combine(RepositoryRoot(), "native", "abi-check");
        Run("make", ["-C", source, $"BUILD_DIR={_buildDir}", "fuse"], out _);
        Run(Path.Combine(_buildDir, "fuse-abi-check"), [], out var output);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = line.IndexOf('=');
            if (eq <= 0 || !long.TryParse(line[(eq + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
                throw new InvalidOperationException($"fuse-abi-check printed a line that is not name=number: '{line}'");
            if (!values.TryAdd(line[..eq], v)) throw new InvalidOperationException($"fuse-abi-check printed {line[..eq]} twice");
        }
        Values = values;
    }

    public IReadOnlyDictionary<string, long> Values { get; }

    public long this[string name] => Values.TryGetValue(name, out var v)
        ? v
        : throw new Xunit.Sdk.XunitException($"native/abi-check/fuse_abi_check.c prints no '{name}=' line: add it there");

    private static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln"))) return dir.FullName;
        throw new InvalidOperationException("no Gateway.sln above the test");
    }

    private static void Run(string program, string[] args, out string stdout)
    {
        var psi = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"'{program}' is not installed: native/abi-check needs cc and make (apt-get install build-essential)");
        }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync();
            stdout = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(TimeSpan.FromSeconds(60))) throw new InvalidOperationException($"{program} did not finish in 60 s");
            if (p.ExitCode != 0) throw new InvalidOperationException($"{program} exited {p.ExitCode}:\n{stdout}{err.Result}");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_buildDir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Every linux/fuse.h struct, libc struct and constant Gateway.Fuse declares by hand, against C.</summary>
public sealed class FuseAbiTests(FuseAbiOutput c) : IClassFixture<FuseAbiOutput>
{
    /// <summary>C struct → C# mirror, field by field. Size: null = compare sizeof; a number = C# size plus that many unmirrored tail bytes.</summary>
    private static readonly Dictionary<string, (Type Mirror, int? Tail, (string C, string CSharp)[] Fields)> Structs = new()
    {
        ["fuse_in_header"] = (typeof(FuseInHeader), null, [("len", "Len"), ("opcode", "Opcode"), ("unique", "Unique"), ("nodeid", "NodeId"), ("uid", "Uid"), ("gid", "Gid"), ("pid", "Pid"), ("total_extlen", "TotalExtLen"), ("padding", "Padding")]),
        ["fuse_out_header"] = (typeof(FuseOutHeader), null, [("len", "Len"), ("error", "Error"), ("unique", "Unique")]),
        ["fuse_attr"] = (typeof(FuseAttr), null, [("ino", "Ino"), ("size", "Size"), ("blocks", "Blocks"), ("atime", "Atime"), ("mtime", "Mtime"), ("ctime", "Ctime"), ("atimensec", "AtimeNsec"), ("mtimensec", "MtimeNsec"), ("ctimensec", "CtimeNsec"), ("mode", "Mode"), ("nlink", "Nlink"), ("uid", "Uid"), ("gid", "Gid"), ("rdev", "Rdev"), ("blksize", "BlkSize"), ("flags", "Flags")]),
        ["fuse_entry_out"] = (typeof(FuseEntryOut), null, [("nodeid", "NodeId"), ("generation", "Generation"), ("entry_valid", "EntryValid"), ("attr_valid", "AttrValid"), ("entry_valid_nsec", "EntryValidNsec"), ("attr_valid_nsec", "AttrValidNsec"), ("attr", "Attr")]),
        ["fuse_attr_out"] = (typeof(FuseAttrOut), null, [("attr_valid", "AttrValid"), ("attr_valid_nsec", "AttrValidNsec"), ("dummy", "Dummy"), ("attr", "Attr")]),
        ["fuse_init_in"] = (typeof(FuseInitIn), -1, [("major", "Major"), ("minor", "Minor"), ("max_readahead", "MaxReadahead"), ("flags", "Flags"), ("flags2", "Flags2")]),
        ["fuse_init_out"] = (typeof(FuseInitOut), null, [("major", "Major"), ("minor", "Minor"), ("max_readahead", "MaxReadahead"), ("flags", "Flags"), ("max_background", "MaxBackground"), ("congestion_threshold", "CongestionThreshold"), ("max_write", "MaxWrite"), ("time_gran", "TimeGran"), ("max_pages", "MaxPages"), ("map_alignment", "MapAlignment"), ("flags2", "Flags2"), ("max_stack_depth", "MaxStackDepth")]),
        ["fuse_forget_in"] = (typeof(FuseForgetIn), null, [("nlookup", "Nlookup")]),
        ["fuse_forget_one"] = (typeof(FuseForgetOne), null, [("nodeid", "NodeId"), ("nlookup", "Nlookup")]),
        ["fuse_batch_forget_in"] = (typeof(FuseBatchForgetIn), null, [("count", "Count"), ("dummy", "Dummy")]),
        ["fuse_getattr_in"] = (typeof(FuseGetattrIn), null, [("getattr_flags", "GetattrFlags"), ("dummy", "Dummy"), ("fh", "Fh")]),
        ["fuse_setattr_in"] = (typeof(FuseSetattrIn), null, [("valid", "Valid"), ("padding", "Padding"), ("fh", "Fh"), ("size", "Size"), ("lock_owner", "LockOwner"), ("atime", "Atime"), ("mtime", "Mtime"), ("ctime", "Ctime"), ("atimensec", "AtimeNsec"), ("mtimensec", "MtimeNsec"), ("ctimensec", "CtimeNsec"), ("mode", "Mode"), ("unused4", "Unused4"), ("uid", "Uid"), ("gid", "Gid"), ("unused5", "Unused5")]),
        ["fuse_mknod_in"] = (typeof(FuseMknodIn), null, [("mode", "Mode"), ("rdev", "Rdev"), ("umask", "Umask"), ("padding", "Padding")]),
        ["fuse_mkdir_in"] = (typeof(FuseMkdirIn), null, [("mode", "Mode"), ("umask", "Umask")]),
        ["fuse_rename_in"] = (typeof(FuseRenameIn), null, [("newdir", "NewDir")]),
        ["fuse_rename2_in"] = (typeof(FuseRename2In), null, [("newdir", "NewDir"), ("flags", "Flags"), ("padding", "Padding")]),
        ["fuse_link_in"] = (typeof(FuseLinkIn), null, [("oldnodeid", "OldNodeId")]),
        ["fuse_open_in"] = (typeof(FuseOpenIn), null, [("flags", "Flags"), ("open_flags", "OpenFlags")]),
        ["fuse_create_in"] = (typeof(FuseCreateIn), null, [("flags", "Flags"), ("mode", "Mode"), ("umask", "Umask"), ("open_flags", "OpenFlags")]),
        ["fuse_open_out"] = (typeof(FuseOpenOut), null, [("fh", "Fh"), ("open_flags", "OpenFlags"), ("backing_id", "BackingId")]),
        ["fuse_release_in"] = (typeof(FuseReleaseIn), null, [("fh", "Fh"), ("flags", "Flags"), ("release_flags", "ReleaseFlags"), ("lock_owner", "LockOwner")]),
        ["fuse_flush_in"] = (typeof(FuseFlushIn), null, [("fh", "Fh"), ("unused", "Unused"), ("padding", "Padding"), ("lock_owner", "LockOwner")]),
        ["fuse_read_in"] = (typeof(FuseReadIn), null, [("fh", "Fh"), ("offset", "Offset"), ("size", "Size"), ("read_flags", "ReadFlags"), ("lock_owner", "LockOwner"), ("flags", "Flags"), ("padding", "Padding")]),
        ["fuse_write_in"] = (typeof(FuseWriteIn), null, [("fh", "Fh"), ("offset", "Offset"), ("size", "Size"), ("write_flags", "WriteFlags"), ("lock_owner", "LockOwner"), ("flags", "Flags"), ("padding", "Padding")]),
        ["fuse_write_out"] = (typeof(FuseWriteOut), null, [("size", "Size"), ("padding", "Padding")]),
        // spare[6] (24 bytes) is written as zeros after the struct (FuseSession.StatFs).
        ["fuse_kstatfs"] = (typeof(FuseKstatfs), 24, [("blocks", "Blocks"), ("bfree", "Bfree"), ("bavail", "Bavail"), ("files", "Files"), ("ffree", "Ffree"), ("bsize", "Bsize"), ("namelen", "Namelen"), ("frsize", "Frsize"), ("padding", "Padding")]),
        ["fuse_fsync_in"] = (typeof(FuseFsyncIn), null, [("fh", "Fh"), ("fsync_flags", "FsyncFlags"), ("padding", "Padding")]),
        ["fuse_setxattr_in"] = (typeof(FuseSetxattrIn), -1, [("size", "Size"), ("flags", "Flags")]),
        ["fuse_getxattr_in"] = (typeof(FuseGetxattrIn), null, [("size", "Size"), ("padding", "Padding")]),
        ["fuse_getxattr_out"] = (typeof(FuseGetxattrOut), null, [("size", "Size"), ("padding", "Padding")]),
        ["fuse_file_lock"] = (typeof(FuseFileLock), null, [("start", "Start"), ("end", "End"), ("type", "Type"), ("pid", "Pid")]),
        ["fuse_lk_in"] = (typeof(FuseLkIn), null, [("fh", "Fh"), ("owner", "Owner"), ("lk", "Lk"), ("lk_flags", "LkFlags"), ("padding", "Padding")]),
        ["fuse_access_in"] = (typeof(FuseAccessIn), null, [("mask", "Mask"), ("padding", "Padding")]),
        ["fuse_interrupt_in"] = (typeof(FuseInterruptIn), null, [("unique", "Unique")]),
        ["fuse_fallocate_in"] = (typeof(FuseFallocateIn), null, [("fh", "Fh"), ("offset", "Offset"), ("length", "Length"), ("mode", "Mode"), ("padding", "Padding")]),
        ["fuse_lseek_in"] = (typeof(FuseLseekIn), null, [("fh", "Fh"), ("offset", "Offset"), ("whence", "Whence"), ("padding", "Padding")]),
        ["fuse_lseek_out"] = (typeof(FuseLseekOut), null, [("offset", "Offset")]),
        ["fuse_copy_file_range_in"] = (typeof(FuseCopyFileRangeIn), null, [("fh_in", "FhIn"), ("off_in", "OffIn"), ("nodeid_out", "NodeIdOut"), ("fh_out", "FhOut"), ("off_out", "OffOut"), ("len", "Len"), ("flags", "Flags")]),
        ["fuse_dirent"] = (typeof(FuseDirent), -1, [("ino", "Ino"), ("off", "Off"), ("namelen", "NameLen"), ("type", "Type")]),
        ["fuse_notify_inval_inode_out"] = (typeof(FuseNotifyInvalInodeOut), null, [("ino", "Ino"), ("off", "Off"), ("len", "Len")]),
        ["fuse_notify_inval_entry_out"] = (typeof(FuseNotifyInvalEntryOut), null, [("parent", "Parent"), ("namelen", "NameLen"), ("flags", "Flags")]),
        ["fuse_notify_delete_out"] = (typeof(FuseNotifyDeleteOut), null, [("parent", "Parent"), ("child", "Child"), ("namelen", "NameLen"), ("padding", "Padding")]),
        ["fuse_backing_map"] = (typeof(FuseBackingMap), null, [("fd", "Fd"), ("flags", "Flags"), ("padding", "Padding")]),
        ["fuse_statx"] = (typeof(FuseStatx), null, [("mask", "Mask"), ("blksize", "BlkSize"), ("attributes", "Attributes"), ("nlink", "Nlink"), ("uid", "Uid"), ("gid", "Gid"), ("mode", "Mode"), ("__spare0", "Spare0"), ("ino", "Ino"), ("size", "Size"), ("blocks", "Blocks"), ("attributes_mask", "AttributesMask"), ("atime", "Atime"), ("btime", "Btime"), ("ctime", "Ctime"), ("mtime", "Mtime"), ("rdev_major", "RdevMajor"), ("rdev_minor", "RdevMinor"), ("dev_major", "DevMajor"), ("dev_minor", "DevMinor")]),
        ["fuse_sx_time"] = (typeof(FuseSxTime), null, [("tv_sec", "Sec"), ("tv_nsec", "Nsec"), ("__reserved", "Reserved")]),
        ["fuse_statx_in"] = (typeof(FuseStatxIn), null, [("getattr_flags", "GetattrFlags"), ("reserved", "Reserved"), ("fh", "Fh"), ("sx_flags", "SxFlags"), ("sx_mask", "SxMask")]),
        ["fuse_statx_out"] = (typeof(FuseStatxOut), null, [("attr_valid", "AttrValid"), ("attr_valid_nsec", "AttrValidNsec"), ("flags", "Flags"), ("stat", "Stat")]),
        ["iovec"] = (typeof(IoVec), null, [("iov_base", "Base"), ("iov_len", "Len")]),
        ["pollfd"] = (typeof(PollFd), null, [("fd", "Fd"), ("events", "Events"), ("revents", "Revents")]),
        ["msghdr"] = (typeof(MsgHdr), null, [("msg_name", "Name"), ("msg_namelen", "NameLen"), ("msg_iov", "Iov"), ("msg_iovlen", "IovLen"), ("msg_control", "Control"), ("msg_controllen", "ControlLen"), ("msg_flags", "Flags")]),
        ["cmsghdr"] = (typeof(CmsgHdr), null, [("cmsg_len", "Len"), ("cmsg_level", "Level"), ("cmsg_type", "Type")]),
    };

    /// <summary>C# fields with no C counterpart in the installed header, and why.</summary>
    private static readonly Dictionary<string, string> UncheckedFields = new()
    {
        ["FuseStatxOut.Spare0"] = "spare[2] in C: checked as one 16-byte field (offsetof/sizeof.fuse_statx_out.spare) in Compat_sizes_match_C",
        ["FuseStatxOut.Spare1"] = "second half of spare[2]",
        ["FuseInitOut.RequestTimeout"] = "7.43 field; older headers have unused[] there and the gateway always sends 0",
    };

    /// <summary>Lines fuse-abi-check prints that are compared some other way, and how.</summary>
    private static readonly Dictionary<string, string> ComparedElsewhere = new()
    {
        ["header.minor"] = "informational: which fuse.h the check was built against",
        ["FUSE_COMPAT_SETXATTR_IN_SIZE"] = "compared with sizeof(FuseSetxattrIn) in Compat_sizes_match_C",
        ["offsetof.fuse_dirent.name"] = "compared with sizeof(FuseDirent) in Compat_sizes_match_C",
        ["offsetof.fuse_direntplus.dirent"] = "compared with sizeof(FuseEntryOut) in Compat_sizes_match_C",
        ["CMSG_DATA_OFFSET"] = "compared with sizeof(CmsgHdr) in Compat_sizes_match_C",
        ["offsetof.fuse_statx_out.spare"] = "compared with FuseStatxOut.Spare0 in Compat_sizes_match_C",
        ["sizeof.fuse_statx_out.spare"] = "compared with FuseStatxOut.Spare0 + Spare1 in Compat_sizes_match_C",
    };

    private static IEnumerable<(Type Type, FieldInfo Field)> Constants() =>
        new[] { typeof(FuseConst), typeof(FuseNative), typeof(EpollNative) }.SelectMany(t => t
            .GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.IsLiteral && f.FieldType.IsPrimitive && f.Name != nameof(FuseConst.OurMinor))
            .Select(f => (t, f)));

    public static TheoryData<string> StructNames => new(Structs.Keys);

    private static int FieldSize(Type t) => t.IsPointer || t == typeof(nuint) || t == typeof(nint) ? IntPtr.Size : Marshal.SizeOf(t);

    [Theory]
    [MemberData(nameof(StructNames))]
    public void Struct_layout_matches_C(string cStruct)
    {
        var (mirror, tail, fields) = Structs[cStruct];
        if (tail is not -1)
        {
            var size = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(mirror).Invoke(null, null)!;
            Assert.True(c[$"sizeof.{cStruct}"] == size + (tail ?? 0),
                $"sizeof(struct {cStruct}) is {c[$"sizeof.{cStruct}"]} in C, but {mirror.Name} is {size}{(tail is > 0 ? $" + {tail} tail bytes" : "")}");
        }
        foreach (var (cf, cs) in fields)
        {
            var field = mirror.GetField(cs, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                ?? throw new Xunit.Sdk.XunitException($"{mirror.Name} has no field {cs}");
            var offset = (long)Marshal.OffsetOf(mirror, cs);
            Assert.True(offset == c[$"offsetof.{cStruct}.{cf}"], $"{cStruct}.{cf} is at {c[$"offsetof.{cStruct}.{cf}"]} in C, but {mirror.Name}.{cs} is at {offset}");
            Assert.True(FieldSize(field.FieldType) == c[$"sizeof.{cStruct}.{cf}"], $"{cStruct}.{cf} is {c[$"sizeof.{cStruct}.{cf}"]} bytes in C, but {mirror.Name}.{cs} is {FieldSize(field.FieldType)}");
        }
    }

    [Fact]
    public void Every_field_of_every_mirror_is_checked()
    {
        foreach (var (_, (mirror, _, fields)) in Structs)
        {
            var declared = mirror.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name);
            var uncovered = declared.Except(fields.Select(f => f.CSharp)).Where(n => !UncheckedFields.ContainsKey($"{mirror.Name}.{n}")).ToList();
            Assert.True(uncovered.Count == 0, $"{mirror.Name} has fields no check covers: {string.Join(", ", uncovered)}");
        }
    }

    [Fact]
    public void Compat_sizes_match_C()
    {
        Assert.Equal(c["FUSE_COMPAT_SETXATTR_IN_SIZE"], Unsafe.SizeOf<FuseSetxattrIn>());
        Assert.Equal(c["offsetof.fuse_dirent.name"], Unsafe.SizeOf<FuseDirent>());
        Assert.Equal(c["offsetof.fuse_direntplus.dirent"], Unsafe.SizeOf<FuseEntryOut>());
        Assert.Equal(c["CMSG_DATA_OFFSET"], Unsafe.SizeOf<CmsgHdr>());
        Assert.Equal(c["offsetof.fuse_statx_out.spare"], (long)Marshal.OffsetOf<FuseStatxOut>(nameof(FuseStatxOut.Spare0)));
        Assert.Equal(16, c["sizeof.fuse_statx_out.spare"]);
        Assert.Equal((long)Marshal.OffsetOf<FuseStatxOut>(nameof(FuseStatxOut.Spare1)), (long)Marshal.OffsetOf<FuseStatxOut>(nameof(FuseStatxOut.Spare0)) + 8);
    }

    [Fact]
    public void Every_constant_matches_C()
    {
        var wrong = new List<string>();
        foreach (var (type, f) in Constants())
        {
            var value = Convert.ToInt64(f.GetRawConstantValue() is ulong u ? unchecked((long)u) : f.GetRawConstantValue(), CultureInfo.InvariantCulture);
            if (!c.Values.TryGetValue(f.Name, out var expected)) wrong.Add($"{type.Name}.{f.Name}: fuse_abi_check.c prints no line for it");
            else if (expected != value) wrong.Add($"{type.Name}.{f.Name} is {value} (0x{value:X}) but C says {expected} (0x{expected:X})");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_line_fuse_abi_check_prints_is_compared()
    {
        var compared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (cs, (_, tail, fields)) in Structs)
        {
            if (tail is not -1) compared.Add($"sizeof.{cs}");
            foreach (var (cf, _) in fields)
            {
                compared.Add($"offsetof.{cs}.{cf}");
                compared.Add($"sizeof.{cs}.{cf}");
            }
        }
        foreach (var (_, f) in Constants()) compared.Add(f.Name);
        var orphans = c.Values.Keys.Where(k => !compared.Contains(k) && !ComparedElsewhere.ContainsKey(k)).Order().ToList();
        Assert.True(orphans.Count == 0, $"fuse-abi-check prints lines nothing compares: {string.Join(", ", orphans)}");
    }
}
