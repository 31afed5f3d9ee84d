using Gateway.Nfs.Mount;
using Gateway.Nfs.V3;
using Gateway.Vfs;
using Xunit.Abstractions;

namespace Gateway.Nfs.Tests;

public sealed class StatusMapTests(ITestOutputHelper output)
{
    public static TheoryData<VfsStatus> AllStatuses()
    {
        var data = new TheoryData<VfsStatus>();
        foreach (var s in Enum.GetValues<VfsStatus>()) data.Add(s);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Every_vfs_status_maps_to_a_defined_nfs3_status(VfsStatus status)
    {
        var mapped = Nfs3StatusMap.Map(status);
        Assert.True(Enum.IsDefined(mapped), $"{status} → {mapped}");
        Assert.Equal(status == VfsStatus.Ok, mapped == Nfs3Status.NFS3_OK);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Every_vfs_status_maps_to_a_defined_mount_status(VfsStatus status)
    {
        var mapped = MountStatusMap.Map(status);
        Assert.True(Enum.IsDefined(mapped), $"{status} → {mapped}");
        Assert.Equal(status == VfsStatus.Ok, mapped == MountStatus.MNT3_OK);
    }

    [Fact]
    public void The_whole_matrix_prints_and_keeps_the_documented_rows()
    {
        output.WriteLine($"{"VfsStatus",-14} {"NFSv3",-22} {"NFSv3 LOOKUP",-22} MOUNT v3");
        foreach (var s in Enum.GetValues<VfsStatus>())
        {
            output.WriteLine($"{s,-14} {Nfs3StatusMap.Map(s),-22} {Nfs3StatusMap.Map(s, Nfs3Status.NFS3ERR_NOENT),-22} {MountStatusMap.Map(s)}");
        }

        // The DESIGN.md table, checked against RFC 1813 §2.6.
        Assert.Equal(Nfs3Status.NFS3ERR_NOENT, Nfs3StatusMap.Map(VfsStatus.NotFound));
        Assert.Equal(Nfs3Status.NFS3ERR_EXIST, Nfs3StatusMap.Map(VfsStatus.Exists));
        Assert.Equal(Nfs3Status.NFS3ERR_NOTDIR, Nfs3StatusMap.Map(VfsStatus.NotDirectory));
        Assert.Equal(Nfs3Status.NFS3ERR_ISDIR, Nfs3StatusMap.Map(VfsStatus.IsDirectory));
        Assert.Equal(Nfs3Status.NFS3ERR_NOTEMPTY, Nfs3StatusMap.Map(VfsStatus.NotEmpty));
        Assert.Equal(Nfs3Status.NFS3ERR_ACCES, Nfs3StatusMap.Map(VfsStatus.AccessDenied));
        Assert.Equal(Nfs3Status.NFS3ERR_PERM, Nfs3StatusMap.Map(VfsStatus.NotPermitted));
        Assert.Equal(Nfs3Status.NFS3ERR_NOSPC, Nfs3StatusMap.Map(VfsStatus.NoSpace));
        Assert.Equal(Nfs3Status.NFS3ERR_DQUOT, Nfs3StatusMap.Map(VfsStatus.QuotaExceeded));
        Assert.Equal(Nfs3Status.NFS3ERR_NAMETOOLONG, Nfs3StatusMap.Map(VfsStatus.NameTooLong));
        Assert.Equal(Nfs3Status.NFS3ERR_ROFS, Nfs3StatusMap.Map(VfsStatus.ReadOnly));
        Assert.Equal(Nfs3Status.NFS3ERR_XDEV, Nfs3StatusMap.Map(VfsStatus.CrossDevice));
        Assert.Equal(Nfs3Status.NFS3ERR_STALE, Nfs3StatusMap.Map(VfsStatus.Stale));
        Assert.Equal(Nfs3Status.NFS3ERR_BADHANDLE, Nfs3StatusMap.Map(VfsStatus.BadHandle));
        Assert.Equal(Nfs3Status.NFS3ERR_NOT_SYNC, Nfs3StatusMap.Map(VfsStatus.NotSync));
        Assert.Equal(Nfs3Status.NFS3ERR_NOTSUPP, Nfs3StatusMap.Map(VfsStatus.NotSupported));
        Assert.Equal(Nfs3Status.NFS3ERR_INVAL, Nfs3StatusMap.Map(VfsStatus.Invalid));
        Assert.Equal(Nfs3Status.NFS3ERR_IO, Nfs3StatusMap.Map(VfsStatus.Io));
    }

    [Fact]
    public void An_unusable_name_is_inval_unless_the_operation_says_otherwise()
    {
        Assert.Equal(Nfs3Status.NFS3ERR_INVAL, Nfs3StatusMap.Map(VfsStatus.InvalidName));
        Assert.Equal(Nfs3Status.NFS3ERR_NOENT, Nfs3StatusMap.Map(VfsStatus.InvalidName, invalidName: Nfs3Status.NFS3ERR_NOENT));
    }

    [Fact]
    public void Nfs3_status_values_are_the_rfc_1813_numbers()
    {
        Assert.Equal(70u, (uint)Nfs3Status.NFS3ERR_STALE);
        Assert.Equal(10001u, (uint)Nfs3Status.NFS3ERR_BADHANDLE);
        Assert.Equal(10002u, (uint)Nfs3Status.NFS3ERR_NOT_SYNC);
        Assert.Equal(10005u, (uint)Nfs3Status.NFS3ERR_TOOSMALL);
        Assert.Equal(10007u, (uint)Nfs3Status.NFS3ERR_BADTYPE);
        Assert.Equal(10008u, (uint)Nfs3Status.NFS3ERR_JUKEBOX);
        Assert.Equal(63u, (uint)Nfs3Status.NFS3ERR_NAMETOOLONG);
        Assert.Equal(66u, (uint)Nfs3Status.NFS3ERR_NOTEMPTY);
    }
}
