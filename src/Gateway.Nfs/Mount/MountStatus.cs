namespace Gateway.Nfs.Mount;

// RFC 1813 §5.1.5, enum mountstat3. Wire spelling. The values are Unix errnos, which is also
// what MOUNT v1's fhstatus carries, so both versions use this enum.
#pragma warning disable CA1707 // wire names
public enum MountStatus : uint
{
    MNT3_OK = 0,
    MNT3ERR_PERM = 1,
    MNT3ERR_NOENT = 2,
    MNT3ERR_IO = 5,
    MNT3ERR_ACCES = 13,
    MNT3ERR_NOTDIR = 20,
    MNT3ERR_INVAL = 22,
    MNT3ERR_NAMETOOLONG = 63,
    MNT3ERR_NOTSUPP = 10004,
    MNT3ERR_SERVERFAULT = 10006,
}
#pragma warning restore CA1707
