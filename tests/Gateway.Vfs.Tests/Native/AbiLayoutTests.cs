using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gateway.Vfs.Local;
using Gateway.Vfs.Native;

namespace Gateway.Vfs.Tests.Native;

/// <summary>
/// Every struct, offset and constant the Vfs declares by hand, compared with what the C compiler says
/// (native/abi-check). A wrong offset here does not crash: it reads a neighbouring field, quietly.
/// </summary>
public sealed class AbiLayoutTests(AbiCheckOutput c) : IClassFixture<AbiCheckOutput>
{
    /// <summary>C struct → its C# mirror, field by field (C name, C# field name).</summary>
    private static readonly Dictionary<string, (Type Mirror, (string C, string CSharp)[] Fields)> Structs = new()
    {
        ["statx"] = (typeof(StatxBuffer),
        [
            ("stx_mask", "Mask"), ("stx_blksize", "BlockSize"), ("stx_attributes", "Attributes"), ("stx_nlink", "Nlink"),
            ("stx_uid", "Uid"), ("stx_gid", "Gid"), ("stx_mode", "Mode"), ("stx_ino", "Ino"), ("stx_size", "Size"),
            ("stx_blocks", "Blocks"), ("stx_attributes_mask", "AttributesMask"), ("stx_atime", "Atime"), ("stx_btime", "Btime"),
            ("stx_ctime", "Ctime"), ("stx_mtime", "Mtime"), ("stx_rdev_major", "RdevMajor"), ("stx_rdev_minor", "RdevMinor"),
            ("stx_dev_major", "DevMajor"), ("stx_dev_minor", "DevMinor"),
        ]),
        ["statx_timestamp"] = (typeof(StatxTimestamp), [("tv_sec", "Seconds"), ("tv_nsec", "Nanoseconds"), ("__reserved", "_reserved")]),
        ["statfs"] = (typeof(StatfsBuffer),
        [
            ("f_type", "Type"), ("f_bsize", "BlockSize"), ("f_blocks", "Blocks"), ("f_bfree", "BlocksFree"),
            ("f_bavail", "BlocksAvailable"), ("f_files", "Files"), ("f_ffree", "FilesFree"), ("f_fsid", "FsId"),
            ("f_namelen", "NameLength"), ("f_frsize", "FragmentSize"), ("f_flags", "Flags"),
        ]),
        ["open_how"] = (typeof(OpenHow), [("flags", "Flags"), ("mode", "Mode"), ("resolve", "Resolve")]),
        ["timespec"] = (typeof(Timespec), [("tv_sec", "Seconds"), ("tv_nsec", "Nanoseconds")]),
        ["pollfd"] = (typeof(PollFd), [("fd", "Fd"), ("events", "Events"), ("revents", "Revents")]),
    };

    /// <summary>DirectoryReader parses getdents64 records with these (private) constants.</summary>
    private static readonly (string Constant, string CField)[] DirentOffsets =
        [("InoOffset", "d_ino"), ("ReclenOffset", "d_reclen"), ("TypeOffset", "d_type"), ("NameOffset", "d_name")];

    /// <summary>
    /// ExternalChangeWatcher.Process reads struct inotify_event with literal offsets (wd +0, mask +4,
    /// cookie +8, len +12, name at +16, header 16), and Loop polls with a literal POLLIN = 1. Copied here
    /// until the watcher names them as constants this test can read.
    /// </summary>
    private static readonly (string Line, long WatcherValue)[] WatcherLiterals =
    [
        ("sizeof.inotify_event", 16), ("offsetof.inotify_event.wd", 0), ("offsetof.inotify_event.mask", 4),
        ("offsetof.inotify_event.cookie", 8), ("offsetof.inotify_event.len", 12), ("offsetof.inotify_event.name", 16),
        ("sizeof.inotify_event.wd", 4), ("sizeof.inotify_event.mask", 4), ("sizeof.inotify_event.cookie", 4),
        ("sizeof.inotify_event.len", 4), ("POLLIN", 1),
    ];

    /// <summary>Lines abi-check prints that nothing on the C# side mirrors, and why.</summary>
    private static readonly Dictionary<string, string> NotMirrored = new()
    {
        ["sizeof.linux_dirent64"] = "records are walked by d_reclen, never by sizeof",
        ["offsetof.linux_dirent64.d_off"] = "DirectoryReader does not read d_off (cookies come from names)",
        ["sizeof.linux_dirent64.d_off"] = "not read",
        ["sizeof.linux_dirent64.d_ino"] = "read as 8 bytes (ReadUInt64LittleEndian) at InoOffset",
        ["sizeof.linux_dirent64.d_reclen"] = "read as 2 bytes (ReadUInt16LittleEndian) at ReclenOffset",
        ["sizeof.linux_dirent64.d_type"] = "read as 1 byte at TypeOffset",
    };

    public static TheoryData<string> StructNames => new(Structs.Keys);

    public static TheoryData<string, string> StructFields
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (name, s) in Structs)
                foreach (var (cField, _) in s.Fields) data.Add(name, cField);
            return data;
        }
    }

    /// <summary>Every numeric constant LibC declares, and the watcher's IN_* flags: a new one fails here until abi_check.c prints it.</summary>
    public static TheoryData<string, string> Constants
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var f in NumericConstants(typeof(LibC))) data.Add(nameof(LibC), f.Name);
            foreach (var f in NumericConstants(typeof(ExternalChangeWatcher)).Where(f => f.Name.StartsWith("IN_", StringComparison.Ordinal)))
                data.Add(nameof(ExternalChangeWatcher), f.Name);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(StructNames))]
    public void Struct_size_matches_C(string cStruct)
    {
        var mirror = Structs[cStruct].Mirror;
        var expected = c[$"sizeof.{cStruct}"];
        var unsafeSize = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(mirror).Invoke(null, null)!;
        Assert.True(expected == unsafeSize && expected == Marshal.SizeOf(mirror),
            $"sizeof(struct {cStruct}) is {expected} in C, but {mirror.Name} is {unsafeSize} (Unsafe.SizeOf) / {Marshal.SizeOf(mirror)} (Marshal.SizeOf)");
    }

    [Theory]
    [MemberData(nameof(StructFields))]
    public void Field_offset_and_size_match_C(string cStruct, string cField)
    {
        var (mirror, fields) = Structs[cStruct];
        var name = fields.Single(f => f.C == cField).CSharp;
        var field = mirror.GetField(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new Xunit.Sdk.XunitException($"{mirror.Name} has no field {name} (mirror of {cStruct}.{cField}): update the table in {nameof(AbiLayoutTests)}");

        var offset = (long)Marshal.OffsetOf(mirror, name);
        var size = Marshal.SizeOf(field.FieldType);
        var cOffset = c[$"offsetof.{cStruct}.{cField}"];
        var cSize = c[$"sizeof.{cStruct}.{cField}"];
        Assert.True(offset == cOffset, $"{cStruct}.{cField} is at offset {cOffset} in C, but {mirror.Name}.{name} is at {offset}");
        Assert.True(size == cSize, $"{cStruct}.{cField} is {cSize} bytes in C, but {mirror.Name}.{name} ({field.FieldType.Name}) is {size}");
    }

    [Fact]
    public void Every_field_of_every_mirror_is_in_the_table()
    {
        foreach (var (cStruct, (mirror, fields)) in Structs)
        {
            var declared = mirror.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name);
            var uncovered = declared.Except(fields.Select(f => f.CSharp)).ToList();
            Assert.True(uncovered.Count == 0,
                $"{mirror.Name} (struct {cStruct}) has fields no check covers: {string.Join(", ", uncovered)}; add them to {nameof(AbiLayoutTests)} and abi_check.c");
        }
    }

    [Theory]
    [MemberData(nameof(Constants))]
    public void Constant_matches_C(string declaringType, string name)
    {
        var type = declaringType == nameof(LibC) ? typeof(LibC) : typeof(ExternalChangeWatcher);
        var value = ConstantValue(type, name);
        var expected = c[name];
        Assert.True(value == expected, $"{name} is {expected} (0x{expected:X}) in C, but {declaringType}.{name} is {value} (0x{value:X})");
    }

    [Fact]
    public void Dirent64_offsets_used_by_DirectoryReader_match_C()
    {
        foreach (var (constant, cField) in DirentOffsets)
        {
            var value = ConstantValue(typeof(DirectoryReader), constant);
            var expected = c[$"offsetof.linux_dirent64.{cField}"];
            Assert.True(value == expected, $"linux_dirent64.{cField} is at offset {expected} in C, but DirectoryReader.{constant} is {value}");
        }
    }

    [Fact]
    public void Inotify_event_layout_read_by_the_watcher_matches_C()
    {
        foreach (var (line, watcherValue) in WatcherLiterals)
            Assert.True(c[line] == watcherValue, $"{line} is {c[line]} in C, but ExternalChangeWatcher assumes {watcherValue}");
    }

    [Fact]
    public void Every_line_abi_check_prints_is_compared()
    {
        var compared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (cStruct, (_, fields)) in Structs)
        {
            compared.Add($"sizeof.{cStruct}");
            foreach (var (cField, _) in fields)
            {
                compared.Add($"offsetof.{cStruct}.{cField}");
                compared.Add($"sizeof.{cStruct}.{cField}");
            }
        }
        foreach (var row in Constants) compared.Add((string)row[1]);
        foreach (var (_, cField) in DirentOffsets) compared.Add($"offsetof.linux_dirent64.{cField}");
        foreach (var (line, _) in WatcherLiterals) compared.Add(line);

        var orphans = c.Values.Keys.Where(k => !compared.Contains(k) && !NotMirrored.ContainsKey(k)).Order().ToList();
        Assert.True(orphans.Count == 0,
            $"abi-check prints lines no test compares: {string.Join(", ", orphans)}; compare them or list them in {nameof(NotMirrored)} with a reason");
    }

    private static IEnumerable<FieldInfo> NumericConstants(Type type) =>
        type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.IsLiteral && f.FieldType.IsPrimitive);

    private static long ConstantValue(Type type, string name)
    {
        var field = type.GetField(name, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
        if (field is not { IsLiteral: true })
            throw new Xunit.Sdk.XunitException($"{type.Name}.{name} is not a constant any more: update {nameof(AbiLayoutTests)}");
        return Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
