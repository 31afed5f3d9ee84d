using System.Text;
using Gateway.Fuse.Tests.Posix;
using static Gateway.Fuse.Tests.Posix.Libc;

namespace Gateway.Fuse.Tests.Model;

/// <summary>
/// A directory-operation model: random creates, mkdirs, renames (plain and RENAME_NOREPLACE), unlinks,
/// rmdirs and hard links over a small pool of names, so collisions, non-empty directories and moves into
/// one's own subtree come up often. Each result (success or errno) is predicted by an in-memory tree that
/// follows Linux's rules; lookups and file contents are checked as it goes, and the whole tree
/// (readdir of every directory, through the mount and in the backing directory) at the end.
/// </summary>
internal sealed unsafe class TreeModel(string root, string backing, Random rng, int seed)
{
    private static readonly string[] Names = ["a", "b", "c", "dir", "x y", "ü"];

    private sealed class Node
    {
        public bool IsDir;
        public SortedDictionary<string, Node> Children = new(StringComparer.Ordinal);
        public string Content = "";
        public int Links = 1;
    }

    private readonly Node _root = new() { IsDir = true };
    private readonly Queue<string> _recent = new();
    private int _op, _serial;

    public Dictionary<string, int> Counts { get; } = new();

    private Exception Fail(string what) => new Xunit.Sdk.XunitException(
        $"directory model: {what}\n  seed {seed} (replay: FSX_SEED={seed}), op #{_op}\n  last operations:\n    " + string.Join("\n    ", _recent));

    private void Record(string what, int errno)
    {
        var kind = what.Split('(')[0];
        Counts[kind] = Counts.GetValueOrDefault(kind) + 1;
        _recent.Enqueue($"#{_op} {what} = {(errno == 0 ? "0" : Errno.Name(errno))}");
        if (_recent.Count > 30) _recent.Dequeue();
    }

    /// <summary>A random path: mostly under existing directories, sometimes through a file or a missing name.</summary>
    private string RandomPath()
    {
        var parts = new List<string>();
        var node = _root;
        while (true)
        {
            var dirs = node.Children.Where(c => c.Value.IsDir).ToList();
            if (dirs.Count > 0 && rng.Next(3) != 0 && parts.Count < 4)
            {
                var (name, child) = dirs[rng.Next(dirs.Count)];
                parts.Add(name);
                node = child;
                continue;
            }
            if (rng.Next(12) == 0) parts.Add(Names[rng.Next(Names.Length)]); // maybe a file or a missing name as a parent
            parts.Add(Names[rng.Next(Names.Length)]);
            return string.Join('/', parts);
        }
    }

    /// <summary>Walks to the parent directory: the errno Linux gives for the walk, or 0.</summary>
    private int Parent(string path, out Node? parent, out string name)
    {
        var parts = path.Split('/');
        name = parts[^1];
        parent = _root;
        foreach (var p in parts[..^1])
        {
            if (!parent.Children.TryGetValue(p, out var next)) { parent = null; return Errno.ENOENT; }
            if (!next.IsDir) { parent = null; return Errno.ENOTDIR; }
            parent = next;
        }
        return 0;
    }

    private Node? Lookup(string path) => Parent(path, out var parent, out var name) == 0 && parent!.Children.TryGetValue(name, out var n) ? n : null;

    private static bool IsAncestor(Node ancestor, Node node)
    {
        if (!ancestor.IsDir) return false;
        foreach (var child in ancestor.Children.Values)
            if (child == node || IsAncestor(child, node)) return true;
        return false;
    }

    private byte[] P(string rel) => Paths.Z(root + "/" + rel);

    public void Step()
    {
        _op++;
        switch (rng.Next(100))
        {
            case < 22: Create(); break;
            case < 34: Mkdir(); break;
            case < 56: Rename(rng.Next(5) == 0); break;
            case < 68: Unlink(); break;
            case < 78: Rmdir(); break;
            case < 84: Link(); break;
            default: Check(RandomPath()); break;
        }
    }

    private void Expect(string call, int rc, int predicted)
    {
        var errno = rc < 0 ? Libc.LastErrno : 0;
        Record(call, errno);
        if (errno != predicted)
            throw Fail($"{call} = {(errno == 0 ? "0" : Errno.Name(errno))}, the model says {(predicted == 0 ? "0" : Errno.Name(predicted))}");
    }

    private void Create()
    {
        var path = RandomPath();
        var content = $"file {++_serial} at op {_op}";
        var predicted = Parent(path, out var parent, out var name);
        if (predicted == 0 && parent!.Children.ContainsKey(name)) predicted = Errno.EEXIST;
        int fd;
        fixed (byte* p = P(path)) fd = Libc.Open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0x1A4);
        Expect($"create({path})", fd, predicted);
        if (fd < 0) return;
        var bytes = Encoding.UTF8.GetBytes(content);
        fixed (byte* b = bytes)
            if (Libc.Write(fd, b, (nuint)bytes.Length) != bytes.Length) throw Fail($"write to {path}: {Errno.Name(Libc.LastErrno)}");
        Libc.Close(fd);
        parent!.Children[name] = new Node { Content = content };
    }

    private void Mkdir()
    {
        var path = RandomPath();
        var predicted = Parent(path, out var parent, out var name);
        if (predicted == 0 && parent!.Children.ContainsKey(name)) predicted = Errno.EEXIST;
        fixed (byte* p = P(path)) Expect($"mkdir({path})", Libc.Mkdir(p, 0x1ED), predicted);
        if (predicted == 0) parent!.Children[name] = new Node { IsDir = true };
    }

    private void Unlink()
    {
        var path = RandomPath();
        var predicted = Parent(path, out var parent, out var name);
        Node? node = null;
        if (predicted == 0) predicted = !parent!.Children.TryGetValue(name, out node) ? Errno.ENOENT : node.IsDir ? Errno.EISDIR : 0;
        fixed (byte* p = P(path)) Expect($"unlink({path})", Libc.Unlink(p), predicted);
        if (predicted == 0)
        {
            parent!.Children.Remove(name);
            node!.Links--;
        }
    }

    private void Rmdir()
    {
        var path = RandomPath();
        var predicted = Parent(path, out var parent, out var name);
        Node? node = null;
        if (predicted == 0)
            predicted = !parent!.Children.TryGetValue(name, out node) ? Errno.ENOENT
                : !node.IsDir ? Errno.ENOTDIR
                : node.Children.Count > 0 ? Errno.ENOTEMPTY : 0;
        fixed (byte* p = P(path)) Expect($"rmdir({path})", Libc.Rmdir(p), predicted);
        if (predicted == 0) parent!.Children.Remove(name);
    }

    private void Link()
    {
        var from = RandomPath();
        var to = RandomPath();
        // do_linkat: the whole source path first, then the new name's parent, then whether it exists.
        var predicted = Parent(from, out var fromParent, out var fromName);
        Node? node = null;
        if (predicted == 0 && !fromParent!.Children.TryGetValue(fromName, out node)) predicted = Errno.ENOENT;
        if (predicted == 0) predicted = Parent(to, out _, out _);
        Parent(to, out var toParent, out var toName);
        if (predicted == 0 && toParent!.Children.ContainsKey(toName)) predicted = Errno.EEXIST;
        if (predicted == 0 && node!.IsDir) predicted = Errno.EPERM;
        fixed (byte* f = P(from)) fixed (byte* t = P(to)) Expect($"link({from}, {to})", Libc.Link(f, t), predicted);
        if (predicted == 0)
        {
            toParent!.Children[toName] = node!;
            node!.Links++;
        }
    }

    /// <summary>Linux's order (do_renameat2, vfs_rename): both parents, the source, the two ancestor traps, then the target's kind.</summary>
    private void Rename(bool noReplace)
    {
        var from = RandomPath();
        var to = rng.Next(6) == 0 ? from : RandomPath();
        var predicted = Parent(from, out var fromParent, out var fromName);
        if (predicted == 0) predicted = Parent(to, out _, out _);
        Parent(to, out var toParent, out var toName);
        Node? node = null, target = null;
        if (predicted == 0 && !fromParent!.Children.TryGetValue(fromName, out node)) predicted = Errno.ENOENT;
        if (predicted == 0) toParent!.Children.TryGetValue(toName, out target);
        if (predicted == 0 && noReplace && target is not null) predicted = Errno.EEXIST;
        if (predicted == 0 && (node == toParent || IsAncestor(node!, toParent!))) predicted = Errno.EINVAL;       // into its own subtree
        if (predicted == 0 && target is not null && target != node && (target == fromParent || IsAncestor(target, fromParent!))) predicted = Errno.ENOTEMPTY; // over an ancestor
        if (predicted == 0 && target is not null && target != node)
        {
            if (node!.IsDir && !target.IsDir) predicted = Errno.ENOTDIR;
            else if (!node.IsDir && target.IsDir) predicted = Errno.EISDIR;
            else if (target.IsDir && target.Children.Count > 0) predicted = Errno.ENOTEMPTY;
        }
        fixed (byte* f = P(from)) fixed (byte* t = P(to))
        {
            var rc = noReplace ? Libc.Renameat2(AT_FDCWD, f, AT_FDCWD, t, RENAME_NOREPLACE) : Libc.Rename(f, t);
            Expect($"rename{(noReplace ? "-noreplace" : "")}({from}, {to})", rc, predicted);
        }
        if (predicted != 0 || target == node) return; // same inode (hard links, or itself): nothing changes
        fromParent!.Children.Remove(fromName);
        if (target is not null) target.Links--;
        toParent!.Children[toName] = node!;
    }

    /// <summary>lstat and (for files) the content of one path, against the model.</summary>
    private void Check(string path)
    {
        var node = Lookup(path);
        var walk = Parent(path, out _, out _);
        var predicted = walk != 0 ? walk : node is null ? Errno.ENOENT : 0;
        Statx st;
        int rc;
        fixed (byte* p = P(path)) rc = Libc.Statx(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st);
        Expect($"lstat({path})", rc, predicted);
        if (node is null) return;
        if ((st.Type == S_IFDIR) != node.IsDir) throw Fail($"lstat({path}): {PosixRun.TypeName(st.Type)}, the model has a {(node.IsDir ? "directory" : "file")}");
        if (node.IsDir) return;
        if (st.Nlink != node.Links) throw Fail($"lstat({path}): nlink {st.Nlink}, the model says {node.Links}");
        var content = File.ReadAllText(root + "/" + path);
        if (content != node.Content) throw Fail($"{path} holds '{content}', the model says '{node.Content}'");
    }

    /// <summary>Every directory listed (through the mount and in the backing directory) and every file read.</summary>
    public void CheckAll()
    {
        var expected = new List<string>();
        Flatten(_root, "", expected);
        expected.Sort(StringComparer.Ordinal);
        foreach (var (what, dir) in new[] { ("the mount", root), ("the backing directory", backing) })
        {
            var actual = new List<string>();
            Read(dir, "", actual);
            actual.Sort(StringComparer.Ordinal);
            if (!expected.SequenceEqual(actual))
                throw Fail($"final tree in {what} differs from the model:\n  model:  {string.Join(" | ", expected)}\n  actual: {string.Join(" | ", actual)}");
        }
    }

    private static void Flatten(Node dir, string prefix, List<string> into)
    {
        foreach (var (name, node) in dir.Children)
        {
            into.Add(node.IsDir ? $"{prefix}{name}/" : $"{prefix}{name} = {node.Content} ({node.Links})");
            if (node.IsDir) Flatten(node, $"{prefix}{name}/", into);
        }
    }

    private static void Read(string dir, string prefix, List<string> into)
    {
        var entries = PosixRun.ReadDir(Paths.Z(dir), out var errno) ?? throw new InvalidOperationException($"readdir {dir}: {Errno.Name(errno)}");
        foreach (var (raw, type) in entries)
        {
            var name = Encoding.UTF8.GetString(raw);
            var path = dir + "/" + name;
            if (type == 'd')
            {
                into.Add($"{prefix}{name}/");
                Read(path, $"{prefix}{name}/", into);
            }
            else
            {
                Statx st;
                fixed (byte* p = Paths.Z(path)) Libc.Statx(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st);
                into.Add($"{prefix}{name} = {File.ReadAllText(path)} ({st.Nlink})");
            }
        }
    }
}
