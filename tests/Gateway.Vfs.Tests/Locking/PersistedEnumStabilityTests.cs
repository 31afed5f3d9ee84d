using Gateway.Vfs.Locking;

namespace Gateway.Vfs.Tests.Locking;

/// <summary>
/// These numbers are in the lock store. Changing one silently reinterprets every persisted lock
/// and share after an upgrade; add new members with new numbers instead.
/// </summary>
public class PersistedEnumStabilityTests
{
    [Fact]
    public void LockProtocol_values_are_frozen()
    {
        Assert.Equal(
            [("Nlm", 1), ("Nfs4", 2), ("Smb", 3), ("Fuse", 4), ("Local", 5)],
            Values<LockProtocol>());
    }

    [Fact]
    public void LockKind_values_are_frozen()
    {
        Assert.Equal([("Shared", 1), ("Exclusive", 2)], Values<LockKind>());
    }

    [Fact]
    public void LockFlavor_values_are_frozen()
    {
        Assert.Equal([("Posix", 1), ("Windows", 2)], Values<LockFlavor>());
    }

    [Fact]
    public void ShareAccess_values_are_frozen()
    {
        Assert.Equal([("None", 0), ("Read", 1), ("Write", 2), ("Delete", 4)], Values<ShareAccess>());
    }

    [Fact]
    public void Persisted_enums_are_one_byte()
    {
        Assert.Equal(typeof(byte), Enum.GetUnderlyingType(typeof(LockProtocol)));
        Assert.Equal(typeof(byte), Enum.GetUnderlyingType(typeof(LockKind)));
        Assert.Equal(typeof(byte), Enum.GetUnderlyingType(typeof(LockFlavor)));
        Assert.Equal(typeof(byte), Enum.GetUnderlyingType(typeof(ShareAccess)));
    }

    private static (string Name, int Value)[] Values<T>() where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        var result = new (string, int)[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = (values[i].ToString(), Convert.ToInt32(values[i], System.Globalization.CultureInfo.InvariantCulture));
        return result;
    }
}
