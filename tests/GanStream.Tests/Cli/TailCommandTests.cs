using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using GanStream.Cli.Tail;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using GanStream.Tests.Support;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace GanStream.Tests.Cli;

/// <summary><c>ganstream tail</c> against the test broker, in process and as a child process.</summary>
[Trait(TestCategories.Name, TestCategories.Broker)]
public sealed class TailCommandTests(KafkaTestBroker broker, ITestOutputHelper output)
{
    private const string Camera = "gate";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Tail_FromBeginning_PrintsAndSavesEach()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        string topic = await CreateTopicAsync(timeout.Token);
        string folder = TestPaths.CreateTemporaryFolder();
        string first = CorrelationIds.Create();
        await ProduceAsync(topic, first, OkResult(1), timeout.Token);
        await ProduceAsync(topic, CorrelationIds.Create(), RejectedResult(2, "undecodable-payload"), timeout.Token);
        await ProduceAsync(topic, first, OkResult(1), timeout.Token);
        var printed = new StringWriter();

        var tail = new ResultTail(
            new ResultTailOptions { Topic = topic, FromBeginning = true, OutputDirectory = folder, MaxMessages = 3 },
            new KafkaOptions(),
            broker.BootstrapServers,
            printed,
            NullLogger.Instance);
        long count = await tail.RunAsync(timeout.Token).WaitAsync(timeout.Token);

        string[] lines = printed.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        output.WriteLine(printed.ToString());
        Assert.Equal(3, count);
        Assert.Equal(3, lines.Length);
        Assert.Contains($"camera={Camera} sequence=1 status=ok", lines[0], StringComparison.Ordinal);
        Assert.Contains("size=64x48 encoding=jpg", lines[0], StringComparison.Ordinal);
        Assert.Contains($"correlation_id={first}", lines[0], StringComparison.Ordinal);
        Assert.Contains("status=rejected reason=undecodable-payload", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("file=", lines[1], StringComparison.Ordinal);
        Assert.Contains("duplicate=true", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("file=", lines[2], StringComparison.Ordinal);

        string saved = Path.Combine(folder, Camera, $"00000001-{first}.jpg");
        Assert.Contains($"file={saved}", lines[0], StringComparison.Ordinal);
        using Mat image = Cv2.ImDecode(await File.ReadAllBytesAsync(saved, timeout.Token), ImreadModes.Color);
        Assert.Equal(64, image.Width);
        Assert.Equal(48, image.Height);
        Assert.Single(Directory.GetFiles(Path.Combine(folder, Camera)));
    }

    [Fact]
    public async Task Tail_FromEnd_SkipsEarlierResults()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        string topic = await CreateTopicAsync(timeout.Token);
        await ProduceAsync(topic, CorrelationIds.Create(), OkResult(7), timeout.Token);
        var printed = new StringWriter();
        var tail = new ResultTail(
            new ResultTailOptions { Topic = topic, MaxMessages = 1 },
            new KafkaOptions(),
            broker.BootstrapServers,
            printed,
            NullLogger.Instance);

        Task<long> running = tail.RunAsync(timeout.Token);
        await tail.Started.WaitAsync(timeout.Token);
        await ProduceAsync(topic, CorrelationIds.Create(), OkResult(8), timeout.Token);
        await running.WaitAsync(timeout.Token);

        string line = Assert.Single(printed.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("sequence=8 status=ok", line, StringComparison.Ordinal);
        Assert.DoesNotContain("file=", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TailCommand_JsonLogs_HaveEventIdsAndScopes()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        string topic = await CreateTopicAsync(timeout.Token);
        await ProduceAsync(topic, CorrelationIds.Create(), OkResult(3), timeout.Token);

        (int exitCode, string stdout, string stderr) = await RunGanstreamAsync(
            [
                "tail", "--bootstrap-servers", broker.BootstrapServers, "--topic", topic, "--from-beginning",
                "--max-messages", "1", "--no-images", "--log-format", "json",
            ],
            timeout.Token);

        output.WriteLine(stdout);
        output.WriteLine(stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains($"camera={Camera} sequence=3 status=ok", stdout, StringComparison.Ordinal);
        JsonElement started = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(entry => entry.GetProperty("EventId").GetInt32() == 5030);
        Assert.Equal("GanStream.Tail", started.GetProperty("Category").GetString());
        JsonElement scope = Assert.Single(started.GetProperty("Scopes").EnumerateArray());
        Assert.Equal(topic, scope.GetProperty("Topic").GetString());
    }

    [Fact]
    public async Task TailCommand_NoBrokers_ExitsWithCode2()
    {
        using var timeout = new CancellationTokenSource(Timeout);

        (int exitCode, _, string stderr) = await RunGanstreamAsync(["tail", "--no-images"], timeout.Token);

        Assert.Equal(2, exitCode);
        Assert.Contains("--bootstrap-servers is required", stderr, StringComparison.Ordinal);
    }

    private async Task<string> CreateTopicAsync(CancellationToken cancellationToken)
    {
        string topic = KafkaTestBroker.UniqueTopics().Results;
        using KafkaBootstrap bootstrap = broker.CreateBootstrap();
        var options = new KafkaOptions { TopicPartitions = 2 };
        await TopicProvisioner.EnsureTopicsAsync(bootstrap, options, [topic], NullLogger.Instance, cancellationToken);
        return topic;
    }

    private async Task ProduceAsync(string topic, string correlationId, SynthesisResult result, CancellationToken cancellationToken)
    {
        using IProducer<string, byte[]> producer = new ProducerBuilder<string, byte[]>(
            new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var headers = new Headers();
        headers.AddString(MessageHeaders.CorrelationId, correlationId);
        headers.AddString(MessageHeaders.ContentType, MessageHeaders.SynthesisResultContentType);
        await producer.ProduceAsync(
            topic,
            new Message<string, byte[]> { Key = result.CameraId, Value = result.ToByteArray(), Headers = headers },
            cancellationToken);
    }

    private static SynthesisResult OkResult(ulong sequence)
    {
        using Mat frame = TestImages.SampleFrame();
        using var small = new Mat();
        Cv2.Resize(frame, small, new Size(64, 48), 0, 0, InterpolationFlags.Area);
        return new SynthesisResult
        {
            SchemaVersion = SchemaVersions.SynthesisResult,
            Status = ResultStatus.Ok,
            CameraId = Camera,
            FrameSequence = sequence,
            CaptureTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
            ModelName = "esrgan-slim-x4",
            ModelVersion = "1",
            ExecutionProvider = "CPUExecutionProvider",
            Encoding = ImageEncoding.Jpeg,
            Width = 64,
            Height = 48,
            Payload = ByteString.CopyFrom(ImageCodec.Encode(small, ImageEncoding.Jpeg, 80)),
            WorkerId = "test",
        };
    }

    private static SynthesisResult RejectedResult(ulong sequence, string reason) => new()
    {
        SchemaVersion = SchemaVersions.SynthesisResult,
        Status = ResultStatus.Rejected,
        CameraId = Camera,
        FrameSequence = sequence,
        ErrorReason = reason,
        WorkerId = "test",
    };

    /// <summary>Runs the built <c>ganstream</c> program next to the tests, with its own environment and console.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunGanstreamAsync(
        IEnumerable<string> arguments,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ganstream.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
