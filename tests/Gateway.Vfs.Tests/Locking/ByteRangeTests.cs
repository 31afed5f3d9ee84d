using Gateway.Vfs.Locking;

namespace Gateway.Vfs.Tests.Locking;

public class ByteRangeTests
{
    private const ulong Max = ulong.MaxValue;

    [Theory]
    [InlineData(0UL, 10UL, 9UL, 10UL)]
    [InlineData(5UL, 0UL, Max, Max)]                 // to EOF
    [InlineData(Max - 9, 10UL, Max, Max)]            // reaches the last byte exactly
    [InlineData(Max - 9, 9UL, Max - 1, Max)]         // stops one short: End saturates, Last does not
    [InlineData(Max - 9, 100UL, Max, Max)]           // would pass 2^64: clipped, no wrap
    [InlineData(Max, 1UL, Max, Max)]
    public void Last_and_end_never_overflow(ulong offset, ulong length, ulong last, ulong end)
    {
        var range = new ByteRange(offset, length);

        Assert.Equal(last, range.Last);
        Assert.Equal(end, range.End);
    }

    [Theory]
    [InlineData(0UL, 10UL, 10UL, 5UL, false)]        // adjacent, not overlapping
    [InlineData(0UL, 11UL, 10UL, 5UL, true)]
    [InlineData(100UL, 0UL, Max, 1UL, true)]         // to-EOF reaches the last byte
    [InlineData(0UL, 0UL, 12345UL, 1UL, true)]
    [InlineData(Max - 1, 0UL, 0UL, 5UL, false)]
    public void Overlaps_is_symmetric_and_inclusive(ulong o1, ulong l1, ulong o2, ulong l2, bool expected)
    {
        var a = new ByteRange(o1, l1);
        var b = new ByteRange(o2, l2);

        Assert.Equal(expected, a.Overlaps(b));
        Assert.Equal(expected, b.Overlaps(a));
    }

    [Fact]
    public void Contains_treats_to_eof_as_covering_everything_after_offset()
    {
        Assert.True(ByteRange.ToEof(10).Contains(new ByteRange(Max - 5, 6)));
        Assert.True(ByteRange.WholeFile.Contains(ByteRange.ToEof(7)));
        Assert.False(new ByteRange(10, 10).Contains(ByteRange.ToEof(15)));
    }

    [Fact]
    public void FromInclusive_with_last_byte_max_is_to_eof()
    {
        Assert.Equal(new ByteRange(7, 0), ByteRange.FromInclusive(7, Max));
        Assert.Equal(new ByteRange(0, 0), ByteRange.FromInclusive(0, Max));
        Assert.Equal(new ByteRange(7, 4), ByteRange.FromInclusive(7, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteRange.FromInclusive(10, 9));
    }

    [Fact]
    public void FromEnd_round_trips_through_End()
    {
        var bounded = new ByteRange(100, 50);
        var toEof = ByteRange.ToEof(100);

        Assert.Equal(bounded, ByteRange.FromEnd(bounded.Offset, bounded.End));
        Assert.Equal(toEof, ByteRange.FromEnd(toEof.Offset, toEof.End));
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteRange.FromEnd(5, 5));
    }
}
