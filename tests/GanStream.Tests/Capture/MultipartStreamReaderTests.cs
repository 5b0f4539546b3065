using System.Text;
using GanStream.Edge.Capture;
using GanStream.Tests.Support;

namespace GanStream.Tests.Capture;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class MultipartStreamReaderTests
{
    [Fact]
    public async Task ReadPart_WithContentLength_ReturnsEachBody()
    {
        var reader = Reader("--b\r\nContent-Type: image/jpeg\r\nContent-Length: 5\r\n\r\nfirst\r\n--b\r\nContent-Length: 6\r\n\r\nsecond\r\n");

        Assert.Equal("first", await ReadText(reader));
        Assert.Equal("second", await ReadText(reader));
        Assert.Null(await reader.ReadPartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadPart_WithoutContentLength_EndsAtNextBoundary()
    {
        var reader = Reader("preamble line\r\n--b\r\nContent-Type: image/jpeg\r\n\r\nline one\r\nline two\r\n--b\r\n\r\nlast\r\n--b--\r\n");

        Assert.Equal("line one\r\nline two", await ReadText(reader));
        Assert.Equal("last", await ReadText(reader));
        Assert.Null(await reader.ReadPartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadPart_BodyCutShort_ReturnsNull()
    {
        var reader = Reader("--b\r\nContent-Length: 100\r\n\r\nonly a little");

        Assert.Null(await reader.ReadPartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadPart_DeclaredLengthOverLimit_IsRejected()
    {
        var reader = Reader("--b\r\nContent-Length: 1000001\r\n\r\n", maxPartBytes: 1_000_000);

        var exception = await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadPartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("1000001", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPart_UndelimitedPartOverLimit_IsRejected()
    {
        var reader = Reader("--b\r\n\r\n" + new string('x', 5000) + "\r\n--b\r\n", maxPartBytes: 1024);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadPartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadPart_EndlessHeaderLine_IsRejected()
    {
        var reader = Reader("--b\r\nX-Long: " + new string('y', 10_000) + "\r\n\r\n");

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadPartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadPart_NotMultipart_IsRejected()
    {
        string lines = string.Concat(Enumerable.Repeat("<html>no camera here</html>\r\n", 100));
        var reader = Reader(lines);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadPartAsync(TestContext.Current.CancellationToken));
    }

    private static MultipartStreamReader Reader(string body, int maxPartBytes = 1 << 20) =>
        new(new MemoryStream(Encoding.ASCII.GetBytes(body)), "b", maxPartBytes);

    private static async Task<string?> ReadText(MultipartStreamReader reader)
    {
        byte[]? part = await reader.ReadPartAsync(TestContext.Current.CancellationToken);
        return part is null ? null : Encoding.ASCII.GetString(part);
    }
}
