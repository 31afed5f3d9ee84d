using System.Diagnostics;
using Gateway.Fuse.Native;

namespace Gateway.Fuse.Mounting;

/// <summary>
/// Making and removing the kernel mount: mount(2) with fd=N when we may (root), else fusermount3 the
/// way libfuse calls it (a socketpair end in _FUSE_COMMFD; it opens /dev/fuse, mounts, and passes the
/// descriptor back with SCM_RIGHTS; with auto_unmount it stays to unmount if we die).
/// </summary>
internal static unsafe class Mounter
{
    public const string FsType = "fuse.gateway";

    public static string Options(int fd, bool allowOther, bool passFd)
    {
        var o = new List<string>();
        if (passFd)
        {
            o.Add($"fd={fd}");
            o.Add("rootmode=40000");
            o.Add($"user_id={NativeIds.Geteuid()}");
            o.Add($"group_id={NativeIds.Getegid()}");
        }
        if (allowOther) o.Add("allow_other");
        o.Add("default_permissions");
        o.Add($"max_read={Session.FuseSession.MaxWrite}");
        return string.Join(',', o);
    }

    /// <summary>mount(2) as root. 0 or errno.</summary>
    public static int MountDirect(int fd, string mountPoint, string fsName, bool readOnly, bool allowOther)
    {
        var flags = FuseNative.MS_NOSUID | FuseNative.MS_NODEV | (readOnly ? FuseNative.MS_RDONLY : 0);
        var data = Options(fd, allowOther, passFd: true);
        return FuseNative.Mount(fsName, mountPoint, FsType, flags, data) == 0 ? 0 : FuseNative.LastError;
    }

    /// <summary>Runs fusermount3 and receives the /dev/fuse descriptor. Returns the fd and the socket kept for auto_unmount.</summary>
    public static (int Fd, int CommSocket, Process Helper) MountWithFusermount(string mountPoint, string fsName, bool readOnly, bool allowOther)
    {
        var sv = stackalloc int[2];
        if (FuseNative.Socketpair(FuseNative.AF_UNIX, FuseNative.SOCK_STREAM, 0, sv) != 0)
            throw new FuseMountException($"cannot create a socket for fusermount3: errno {FuseNative.LastError}");
        int ours = sv[0], theirs = sv[1];
        FuseNative.Fcntl(ours, FuseNative.F_SETFD, FuseNative.FD_CLOEXEC);
        var opts = $"{(readOnly ? "ro," : "")}nosuid,nodev,auto_unmount,fsname={fsName},subtype=gateway,{Options(0, allowOther, passFd: false)}";
        var psi = new ProcessStartInfo("fusermount3", ["-o", opts, "--", mountPoint])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.Environment["_FUSE_COMMFD"] = theirs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Process helper;
        try
        {
            helper = Process.Start(psi) ?? throw new FuseMountException("fusermount3 did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            FuseNative.Close(ours);
            FuseNative.Close(theirs);
            throw new FuseMountException("fusermount3 is not installed (Debian/Ubuntu: apt-get install fuse3)");
        }
        FuseNative.Close(theirs);
        var fd = ReceiveFd(ours);
        if (fd < 0)
        {
            helper.WaitForExit(5000);
            var err = helper.StandardError.ReadToEnd().Trim();
            FuseNative.Close(ours);
            throw new FuseMountException($"fusermount3 could not mount {mountPoint}: {(err.Length > 0 ? err.Split('\n')[0] : "no descriptor received")}");
        }
        return (fd, ours, helper);
    }

    private static int ReceiveFd(int socket)
    {
        byte data = 0;
        var iov = new IoVec { Base = &data, Len = 1 };
        var control = stackalloc byte[64];
        var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 64 };
        nint n;
        do n = FuseNative.Recvmsg(socket, &msg, 0);
        while (n < 0 && FuseNative.LastError == 4 /* EINTR */);
        if (n <= 0 || msg.ControlLen < (nuint)(sizeof(CmsgHdr) + sizeof(int))) return -1;
        var cmsg = (CmsgHdr*)control;
        if (cmsg->Level != FuseNative.SOL_SOCKET || cmsg->Type != FuseNative.SCM_RIGHTS) return -1;
        return *(int*)(control + sizeof(CmsgHdr));
    }

    public static int Unmount(string mountPoint, bool lazy) =>
        FuseNative.Umount2(mountPoint, lazy ? FuseNative.MNT_DETACH : 0) == 0 ? 0 : FuseNative.LastError;

    /// <summary>fusermount3 -u [-z]: 0 on success.</summary>
    public static int UnmountWithFusermount(string mountPoint, bool lazy)
    {
        var psi = new ProcessStartInfo("fusermount3", lazy ? ["-u", "-z", "--", mountPoint] : ["-u", "--", mountPoint])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi);
        if (p is null) return -1;
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            return -1;
        }
        return p.ExitCode;
    }

    /// <summary>The mount entry at <paramref name="mountPoint"/> in /proc/self/mountinfo (fstype), or null.</summary>
    public static string? MountedType(string mountPoint)
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options ... - fstype source superoptions
            var fields = line.Split(' ');
            if (fields.Length < 5 || Unescape(fields[4]) != mountPoint) continue;
            var dash = Array.IndexOf(fields, "-");
            string? type = dash >= 0 && dash + 1 < fields.Length ? fields[dash + 1] : "";
            return type;
        }
        return null;
    }

    private static string Unescape(string s) =>
        s.Contains('\\') ? System.Text.RegularExpressions.Regex.Replace(s, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString()) : s;
}

internal static partial class NativeIds
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint Geteuid();

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint Getegid();
}
