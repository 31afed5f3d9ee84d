namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    [Fact]
    public void SetAttr_changes_mode_owner_size_and_times()
    {
        var f = CreateFile("f", "0123456789");
        var r = Vfs.SetAttr(Root, f, new SetAttributes
        {
            Mode = 0x180, // 0600
            Uid = 1234,
            Gid = 4321,
            Size = 4,
            AccessTime = TimeUpdate.At(1_000_000_000_123_456_789L),
            ModifyTime = TimeUpdate.At(1_500_000_000_000_000_001L),
        });
        Assert.Equal(VfsStatus.Ok, r.Status);
        var a = r.Value.After;
        Assert.Equal(0x180u, a.Permissions);
        Assert.Equal(1234u, a.Uid);
        Assert.Equal(4321u, a.Gid);
        Assert.Equal(4UL, a.Size);
        Assert.Equal(1_000_000_000_123_456_789L, a.AccessTime);
        Assert.Equal(1_500_000_000_000_000_001L, a.ModifyTime);
        Assert.Equal(10UL, r.Value.Before.Size);
        Assert.Equal("0123", File.ReadAllText(Tree.At("f")));
    }

    [Fact]
    public void SetAttr_with_a_stale_ctime_guard_is_NotSync_and_changes_nothing()
    {
        var f = CreateFile("f", "data");
        var ctime = Vfs.GetAttr(f).Value.ChangeTime;
        Assert.Equal(VfsStatus.NotSync, Vfs.SetAttr(Root, f, new SetAttributes { Size = 0, GuardChangeTime = ctime - 1 }).Status);
        Assert.Equal(4UL, Vfs.GetAttr(f).Value.Size);
        Assert.Equal(VfsStatus.Ok, Vfs.SetAttr(Root, f, new SetAttributes { Size = 0, GuardChangeTime = ctime }).Status);
        Assert.Equal(0UL, Vfs.GetAttr(f).Value.Size);
    }

    [Fact]
    public void SetAttr_size_of_a_directory_is_IsDirectory()
    {
        var d = MakeDir("d");
        Assert.Equal(VfsStatus.IsDirectory, Vfs.SetAttr(Root, d, new SetAttributes { Size = 0 }).Status);
    }

    [Fact]
    public void SetAttr_by_a_non_owner_is_refused()
    {
        var f = CreateFile("f");
        Assert.Equal(VfsStatus.NotPermitted, Vfs.SetAttr(User, f, new SetAttributes { Mode = 0x1FF }).Status);
        Assert.Equal(VfsStatus.NotPermitted, Vfs.SetAttr(User, f, new SetAttributes { Uid = 1000 }).Status);
    }

    [Fact]
    public void Access_follows_the_mode_bits_for_a_non_owner()
    {
        var f = CreateFile("f");
        Vfs.SetAttr(Root, f, new SetAttributes { Mode = 0x1A4 }); // 0644
        Assert.Equal(AccessMask.Read, Vfs.Access(User, f, AccessMask.All).Value);
        Vfs.SetAttr(Root, f, new SetAttributes { Mode = 0x1B6 }); // 0666
        Assert.Equal(AccessMask.Read | AccessMask.Modify | AccessMask.Extend, Vfs.Access(User, f, AccessMask.All).Value);
        var d = MakeDir("d");
        Vfs.SetAttr(Root, d, new SetAttributes { Mode = 0x1ED }); // 0755
        Assert.Equal(AccessMask.Read | AccessMask.Lookup, Vfs.Access(User, d, AccessMask.All).Value);
    }

    [Fact]
    public async Task A_read_only_export_refuses_every_change()
    {
        File.WriteAllText(Tree.At("f"), "x");
        var ro = OpenExtra("ro", Tree.Root, readOnly: true);
        var f = ro.Lookup(Root, ro.Root, "f").Value.Node;
        Assert.Equal(VfsStatus.ReadOnly, ro.Create(Root, ro.Root, "g", CreateHow.Unchecked()).Status);
        Assert.Equal(VfsStatus.ReadOnly, ro.Mkdir(Root, ro.Root, "d").Status);
        Assert.Equal(VfsStatus.ReadOnly, ro.Remove(Root, ro.Root, "f").Status);
        Assert.Equal(VfsStatus.ReadOnly, ro.Rename(Root, ro.Root, "f", ro.Root, "h").Status);
        Assert.Equal(VfsStatus.ReadOnly, ro.SetAttr(Root, f, new SetAttributes { Size = 0 }).Status);
        Assert.Equal(VfsStatus.ReadOnly, (await ro.WriteAsync(Root, f, 0, new byte[1], WriteStability.Unstable)).Status);
        Assert.Equal(VfsStatus.ReadOnly, ro.SetXattr(Root, f, "k", [1]).Status);
        Assert.Equal(AccessMask.Read, ro.Access(Root, f, AccessMask.Read | AccessMask.Modify).Value);
        Assert.Equal("x", File.ReadAllText(Tree.At("f")));
    }

    [Fact]
    public void FsStat_reports_the_filesystem()
    {
        var s = Vfs.FsStat(Vfs.Root);
        Assert.Equal(VfsStatus.Ok, s.Status);
        Assert.True(s.Value.TotalBytes > 0);
        Assert.True(s.Value.TotalBytes >= s.Value.FreeBytes);
        Assert.True(s.Value.MaxNameLength >= 255);
    }

    [Fact]
    public void Windows_attributes_and_creation_time_persist_across_restart()
    {
        var f = CreateFile("f");
        var r = Vfs.SetWindowsInfo(Root, f, new WindowsInfoUpdate(DosAttributes.Hidden | DosAttributes.System, 132_000_000_000_000_000L));
        Assert.Equal(VfsStatus.Ok, r.Status);
        Restart();
        var a = Vfs.GetAttr(f).Value;
        Assert.Equal(DosAttributes.Hidden | DosAttributes.System, a.DosAttributes);
        Assert.Equal(132_000_000_000_000_000L, a.CreationTime);
    }

    [Fact]
    public void Dos_attributes_default_from_name_and_mode()
    {
        var hidden = CreateFile(".profile");
        var d = MakeDir("d");
        Assert.True(Vfs.GetAttr(hidden).Value.DosAttributes.HasFlag(DosAttributes.Hidden));
        Assert.True(Vfs.GetAttr(d).Value.DosAttributes.HasFlag(DosAttributes.Directory));
        Vfs.SetAttr(Root, hidden, new SetAttributes { Mode = 0x124 }); // 0444
        Assert.True(Vfs.GetAttr(hidden).Value.DosAttributes.HasFlag(DosAttributes.ReadOnly));
    }
}
