using Gateway.Smb.Info;

namespace Gateway.Smb.Tests.Info;

public class FileTimeTests
{
    [Fact]
    public void UnixEpochIsTheMsDtypConstant()
    {
        Assert.Equal(116_444_736_000_000_000, FileTime.FromUnixNanoseconds(0));
        Assert.Equal(new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).ToFileTimeUtc(), FileTime.FromUnixNanoseconds(0));
        Assert.Equal(0, FileTime.ToUnixNanoseconds(116_444_736_000_000_000));
    }

    [Theory]
    [InlineData(2024, 1, 1)]
    [InlineData(1999, 12, 31)]
    [InlineData(2038, 1, 19)]
    [InlineData(1700, 1, 2)]
    public void MatchesDateTimeFileTime(int year, int month, int day)
    {
        var when = new DateTime(year, month, day, 13, 45, 7, DateTimeKind.Utc).AddTicks(1234567);
        long ns = (when - DateTime.UnixEpoch).Ticks * 100;
        Assert.Equal(when.ToFileTimeUtc(), FileTime.FromUnixNanoseconds(ns));
        Assert.Equal(ns, FileTime.ToUnixNanoseconds(when.ToFileTimeUtc()));
    }

    [Fact]
    public void SubTickNanosecondsRoundTowardThePast()
    {
        Assert.Equal(TestNodes.AccessFt, FileTime.FromUnixNanoseconds(TestNodes.AccessNs));
        Assert.Equal(116_444_735_999_999_999, FileTime.FromUnixNanoseconds(-1));
        Assert.Equal(116_444_735_999_999_999, FileTime.FromUnixNanoseconds(-100));
        Assert.Equal(116_444_736_000_000_000, FileTime.FromUnixNanoseconds(99));
    }

    [Fact]
    public void ExtremesSaturateInsteadOfWrapping()
    {
        Assert.Equal(long.MaxValue, FileTime.ToUnixNanoseconds(long.MaxValue));
        Assert.Equal(long.MinValue, FileTime.ToUnixNanoseconds(long.MinValue));
        Assert.True(FileTime.FromUnixNanoseconds(long.MinValue) >= 0);
        Assert.True(FileTime.FromUnixNanoseconds(long.MaxValue) > 0);
    }
}
