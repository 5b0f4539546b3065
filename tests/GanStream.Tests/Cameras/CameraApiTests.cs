using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GanStream.Tests.Support;

namespace GanStream.Tests.Cameras;

/// <summary>The camera API of a running edge: attach a camera, see it synthesized, remove it, and bad requests.</summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class CameraApiTests(LoopingPipeline pipeline, ITestOutputHelper output) : IClassFixture<LoopingPipeline>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AttachRemove_SecondCamera_SettledWithoutSeries()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        const string cameraId = "api-second";
        var request = new { id = cameraId, source = TestPaths.HoldoutClip, realTime = true, loop = true };

        using HttpResponseMessage attached = await pipeline.Http.PostAsJsonAsync(
            new Uri(pipeline.BaseAddress, "/cameras"),
            request,
            timeout.Token);
        output.WriteLine(await attached.Content.ReadAsStringAsync(timeout.Token));
        Assert.Equal(HttpStatusCode.Created, attached.StatusCode);
        Assert.Equal($"/cameras/{cameraId}", attached.Headers.Location?.OriginalString);

        await pipeline.WaitForSynthesizedAsync(cameraId, 3, TimeSpan.FromMinutes(2), timeout.Token);
        string before = await pipeline.ScrapeAsync(timeout.Token);
        Assert.Contains(
            Exposition.Samples(before, "ganstream_edge_results_total"),
            line => line.Contains($"camera=\"{cameraId}\",outcome=\"synthesized\"", StringComparison.Ordinal));

        using HttpResponseMessage removed = await pipeline.Http.DeleteAsync(
            new Uri(pipeline.BaseAddress, $"/cameras/{cameraId}"),
            timeout.Token);
        string removedBody = await removed.Content.ReadAsStringAsync(timeout.Token);
        output.WriteLine(removedBody);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        using JsonDocument final = JsonDocument.Parse(removedBody);
        JsonElement counts = final.RootElement.GetProperty("counts");
        Assert.True(counts.GetProperty("reconciles").GetBoolean());
        Assert.Equal(0, counts.GetProperty("inFlight").GetInt64());
        Assert.Equal(0, counts.GetProperty("queued").GetInt64());
        Assert.True(counts.GetProperty("synthesized").GetInt64() >= 3);
        Assert.True(counts.GetProperty("read").GetInt64() > 0);

        string after = await pipeline.ScrapeAsync(timeout.Token);
        string[] left = after.Split('\n').Where(line => line.Contains($"camera=\"{cameraId}\"", StringComparison.Ordinal)).ToArray();
        Assert.True(left.Length == 0, "Series of the removed camera remain:\n" + string.Join("\n", left));
        Assert.Null(await pipeline.GetCameraAsync(cameraId, timeout.Token));

        using HttpResponseMessage image = await pipeline.Http.GetAsync(
            new Uri(pipeline.BaseAddress, $"/viewer/cameras/{cameraId}/output"),
            timeout.Token);
        Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);

        // The configured camera keeps running.
        JsonElement? main = await pipeline.GetCameraAsync(LoopingPipeline.CameraId, timeout.Token);
        Assert.NotNull(main);
        Assert.Equal("Open", main.Value.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("""{"id": "bad id!", "source": "samples/vtest-20s.avi"}""", 400, "Id 'bad id!' is invalid")]
    [InlineData("""{"id": "no-source"}""", 400, "has no Source")]
    [InlineData("""{"id": "neg", "source": "samples/vtest-20s.avi", "maxFrames": -1}""", 400, "MaxFrames -1")]
    [InlineData("""{"id": "missing-file", "source": "/nonexistent/clip.avi"}""", 400, "could not be opened")]
    [InlineData("""{"id": "typo", "source": "samples/vtest-20s.avi", "lop": true}""", 400, "'lop'")]
    [InlineData("""{"id": "broken", """, 400, "not a valid camera")]
    [InlineData("", 400, "not a valid camera")]
    [InlineData("null", 400, "JSON null")]
    [InlineData("""{"id": "looping-main", "source": "samples/vtest-20s.avi"}""", 409, "already attached")]
    public async Task Attach_BadRequest_RejectedWithMessage(string body, int expectedStatus, string expectedDetail)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using HttpResponseMessage response = await pipeline.Http.PostAsync(
            new Uri(pipeline.BaseAddress, "/cameras"),
            content,
            timeout.Token);

        string text = await response.Content.ReadAsStringAsync(timeout.Token);
        output.WriteLine(text);
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.Contains(expectedDetail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_MissingFile_LeavesNoCameraOrSeries()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var request = new { id = "api-missing", source = "/nonexistent/other.avi" };

        using HttpResponseMessage response = await pipeline.Http.PostAsJsonAsync(
            new Uri(pipeline.BaseAddress, "/cameras"),
            request,
            timeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await pipeline.GetCameraAsync("api-missing", timeout.Token));
        string metrics = await pipeline.ScrapeAsync(timeout.Token);
        Assert.DoesNotContain("camera=\"api-missing\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_UnknownCamera_NotFoundWithMessage()
    {
        using var timeout = new CancellationTokenSource(Timeout);

        using HttpResponseMessage response = await pipeline.Http.DeleteAsync(
            new Uri(pipeline.BaseAddress, "/cameras/no-such-camera"),
            timeout.Token);

        string text = await response.Content.ReadAsStringAsync(timeout.Token);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.Contains("no-such-camera", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
