using System.Buffers.Binary;
using Gateway.Smb.Tests.Support;
using static Gateway.Smb.Tests.Server.AsyncCommandTests;

namespace Gateway.Smb.Tests.Server;

/// <summary>CREATE and CLOSE answer with the same figures as QUERY_INFO (Info.NodeFigures).</summary>
public sealed class CreateFiguresTests
{
    [Fact]
    public async Task CreateAndCloseReportRealTimesAndSizes()
    {
        await using var h = new SmbHarness();
        File.WriteAllBytes(h.At("s.bin"), new byte[5000]);
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");

        var (_, f, created) = await c.CreateAsync(t, "s.bin", SmbTestClient.GenericRead, disposition: 1);
        var year2000 = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).ToFileTimeUtc();
        Assert.True(BinaryPrimitives.ReadInt64LittleEndian(created.Body[8..]) > year2000, "CreationTime");
        Assert.Equal(0, BinaryPrimitives.ReadInt64LittleEndian(created.Body[40..]) % 4096); // AllocationSize in 4096 units
        Assert.Equal(5000, BinaryPrimitives.ReadInt64LittleEndian(created.Body[48..]));

        var closeBody = CloseBody(f);
        closeBody[2] = 1; // SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB
        var closed = await c.RequestAsync(6, closeBody, t);
        Assert.Equal(0u, closed.Status);
        Assert.Equal(BinaryPrimitives.ReadInt64LittleEndian(created.Body[8..]), BinaryPrimitives.ReadInt64LittleEndian(closed.Body[8..]));
        Assert.Equal(5000, BinaryPrimitives.ReadInt64LittleEndian(closed.Body[48..]));
    }
}
