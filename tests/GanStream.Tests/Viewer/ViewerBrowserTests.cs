using GanStream.Tests.Support;
using Microsoft.Playwright;
using OpenCvSharp;

namespace GanStream.Tests.Viewer;

/// <summary>The live viewer of a running pipeline, opened in headless Chromium.</summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
[Trait(TestCategories.Name, TestCategories.Ops)]
public sealed class ViewerBrowserTests(RunningPipeline pipeline, ITestOutputHelper output) : IClassFixture<RunningPipeline>
{
    private const float WaitMilliseconds = 90_000;

    [Fact]
    public async Task Viewer_RunningPipeline_ShowsSynthesizedImage()
    {
        await using HeadlessChromium chromium = await HeadlessChromium.LaunchAsync();
        await using IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
            DeviceScaleFactor = 1,
        });
        IPage page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, response) =>
        {
            lock (responses)
            {
                responses.Add(response);
            }
        };

        await page.GotoAsync(new Uri(pipeline.BaseAddress, "/viewer").ToString());
        string camera = $"section[data-camera='{RunningPipeline.CameraId}']";
        ILocator synthesized = page.Locator($"{camera} img.output");
        ILocator input = page.Locator($"{camera} img.input");
        await page.WaitForFunctionAsync(
            "selector => { const img = document.querySelector(selector); return img && img.complete && img.naturalWidth > 0; }",
            $"{camera} img.output",
            new PageWaitForFunctionOptions { Timeout = WaitMilliseconds });

        // Pausing stops the page from replacing the images, so the screenshot and the checks see one frame.
        await page.Locator("#pause").CheckAsync();
        await page.WaitForFunctionAsync(
            "selector => [...document.querySelectorAll(selector)].every(img => img.complete && img.naturalWidth > 0)",
            $"{camera} img",
            new PageWaitForFunctionOptions { Timeout = WaitMilliseconds });

        int outputWidth = await synthesized.EvaluateAsync<int>("img => img.naturalWidth");
        int outputHeight = await synthesized.EvaluateAsync<int>("img => img.naturalHeight");
        int inputWidth = await input.EvaluateAsync<int>("img => img.naturalWidth");
        int inputHeight = await input.EvaluateAsync<int>("img => img.naturalHeight");
        string source = await synthesized.EvaluateAsync<string>("img => img.currentSrc");
        IReadOnlyList<string> captionTexts = await page.Locator($"{camera} figcaption").AllInnerTextsAsync();
        string captions = string.Join(" | ", captionTexts);
        output.WriteLine($"input {inputWidth}x{inputHeight}, synthesized {outputWidth}x{outputHeight} from {source}");
        output.WriteLine(captions);

        Assert.Equal(768, outputWidth);
        Assert.Equal(576, outputHeight);
        Assert.Equal(4 * inputWidth, outputWidth);
        Assert.Equal(4 * inputHeight, outputHeight);
        Assert.Contains("sent to the cloud: feature 192x144 JPEG", captions, StringComparison.Ordinal);
        Assert.Contains("synthesized by esrgan-slim-x4:1", captions, StringComparison.Ordinal);
        Assert.Contains("end-to-end latency", await page.Locator($"{camera} .stats").InnerTextAsync(), StringComparison.Ordinal);

        string artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts", "viewer");
        Directory.CreateDirectory(artifacts);
        string screenshotPath = Path.Combine(artifacts, "synthesized.png");
        byte[] screenshot = await synthesized.ScreenshotAsync(new LocatorScreenshotOptions { Path = screenshotPath });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "page.png"), FullPage = true });
        output.WriteLine($"Screenshots in {artifacts}");

        using Mat screenshotImage = Cv2.ImDecode(screenshot, ImreadModes.Color);
        Assert.False(screenshotImage.Empty(), "The screenshot could not be decoded.");
        Cv2.MeanStdDev(screenshotImage, out Scalar _, out Scalar deviation);
        output.WriteLine($"Screenshot {screenshotImage.Width}x{screenshotImage.Height}, standard deviation per channel {deviation}");
        Assert.True(deviation.Val0 > 10, $"The synthesized image looks blank in its blue channel: {deviation}");
        Assert.True(deviation.Val1 > 10, $"The synthesized image looks blank in its green channel: {deviation}");
        Assert.True(deviation.Val2 > 10, $"The synthesized image looks blank in its red channel: {deviation}");

        byte[] served = await BodyOfAsync(responses, source);
        using Mat result = Cv2.ImDecode(served, ImreadModes.Color);
        Assert.Equal(outputWidth, result.Width);
        using var scaled = new Mat();
        Cv2.Resize(result, scaled, screenshotImage.Size(), 0, 0, InterpolationFlags.Area);
        using var difference = new Mat();
        Cv2.Absdiff(scaled, screenshotImage, difference);
        Scalar meanDifference = Cv2.Mean(difference);
        output.WriteLine($"Mean absolute difference to the served result: {meanDifference}");

        // Scaling in the browser and in OpenCV differ by a few levels; a different or missing image differs by tens.
        Assert.True(meanDifference.Val0 < 8, $"The screenshot does not show the served result: {meanDifference}");
        Assert.True(meanDifference.Val1 < 8, $"The screenshot does not show the served result: {meanDifference}");
        Assert.True(meanDifference.Val2 < 8, $"The screenshot does not show the served result: {meanDifference}");
    }

    /// <summary>Returns the body of the response the page received for <paramref name="url"/>.</summary>
    private static async Task<byte[]> BodyOfAsync(List<IResponse> responses, string url)
    {
        IResponse? response;
        lock (responses)
        {
            response = responses.LastOrDefault(r => r.Url == url);
        }

        Assert.True(response is not null, $"The page did not load {url}.");
        return await response.BodyAsync();
    }
}
