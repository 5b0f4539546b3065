using System.Globalization;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Kafka.Embedded;

namespace GanStream.Cli.Bench;

/// <summary>
/// Runs one mode at one load point. It starts the cloud worker (unless the mode has none) and waits until it is
/// ready, then starts the edge on the clip and samples CPU and GPU while the edge runs. When the edge has finished,
/// it stops the worker and reads the edge's frame log and the broker's features topic.
/// </summary>
internal sealed class LoadPointRunner
{
    private const string CameraId = "bench";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Shortest time without a new result after which the edge is stopped: an edge whose results never come (a mode
    /// this build does not run, or a failed worker) would otherwise wait out the result timeout for every frame.
    /// Once results come, the limit grows to 10 times the longest gap seen, so a slow, busy machine is not cut off.
    /// </summary>
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    private readonly BenchSettings settings;
    private readonly ClipInfo clip;
    private readonly int scaleFactor;
    private readonly EmbeddedKafkaCluster? cluster;
    private readonly GpuSampler gpu;
    private readonly BenchProgress progress;

    public LoadPointRunner(
        BenchSettings settings,
        ClipInfo clip,
        int scaleFactor,
        EmbeddedKafkaCluster? cluster,
        GpuSampler gpu,
        BenchProgress progress)
    {
        this.settings = settings;
        this.clip = clip;
        this.scaleFactor = scaleFactor;
        this.cluster = cluster;
        this.gpu = gpu;
        this.progress = progress;
    }

    /// <exception cref="CliException">A service could not start.</exception>
    public async Task<LoadPointOutcome> RunAsync(string mode, LoadPointSpec spec, CancellationToken cancellationToken)
    {
        string runName = $"{mode}-{spec.Name}";
        string folder = Path.Combine(settings.OutputDirectory, "runs", runName);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        string frameLog = Path.Combine(folder, "frames.jsonl");
        string? imageFolder = spec.SaveImages ? Path.Combine(folder, "images") : null;
        // Workers only reply to topics under "ganstream.", so the run's topics are named below it.
        var topics = new BenchTopics($"ganstream.bench.{runName}");
        bool usesCloud = BenchModes.UsesCloud(mode);
        if (usesCloud)
        {
            if (cluster is null)
            {
                throw new InvalidOperationException($"Mode {mode} needs the embedded broker.");
            }

            topics.Create(cluster);
        }

        var notes = new List<string>();
        var exitCodes = new Dictionary<string, int?>(StringComparer.Ordinal);
        var logs = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var sampler = new ProcessCpuSampler(settings.SampleInterval);
        CpuTimeline bench = sampler.Track("bench", Environment.ProcessId);
        DateTimeOffset started = DateTimeOffset.UtcNow;

        ChildProcess? cloud = null;
        CpuTimeline? cloudCpu = null;
        try
        {
            if (usesCloud)
            {
                (cloud, cloudCpu) = await StartCloudAsync(mode, runName, spec, folder, topics, sampler, cancellationToken);
                logs["cloud"] = Relative(cloud.LogPath);
            }

            using ChildProcess edge = StartEdge(mode, runName, spec, folder, topics, frameLog, imageFolder);
            logs["edge"] = Relative(edge.LogPath);
            CpuTimeline edgeCpu = sampler.Track("edge", edge.Id);
            (exitCodes["edge"], string? stopReason) = await WaitForEdgeAsync(edge, runName, spec, frameLog, cancellationToken);
            sampler.Untrack(edgeCpu);
            if (stopReason is not null)
            {
                notes.Add(stopReason);
            }

            if (exitCodes["edge"] is not 0)
            {
                notes.Add($"the edge exited with code {exitCodes["edge"]?.ToString(CultureInfo.InvariantCulture) ?? "none (killed)"}; " +
                    $"see {logs["edge"]}");
            }

            if (cloud is not null)
            {
                sampler.Untrack(cloudCpu!);
                exitCodes["cloud"] = await cloud.StopAsync(StopGrace, cancellationToken);
            }

            sampler.Untrack(bench);
            var timelines = new List<CpuTimeline> { edgeCpu };
            if (cloudCpu is not null)
            {
                timelines.Add(cloudCpu);
            }

            timelines.Add(bench);
            var inputs = new LoadPointInputs(
                mode,
                spec,
                frameLog,
                imageFolder,
                timelines,
                started,
                exitCodes,
                logs,
                notes,
                usesCloud && cluster is not null ? () => BrokerView.Read(cluster.BootstrapServers, topics.Features, BenchTopics.Partitions, null) : null);
            return LoadPointAnalysis.Analyze(inputs, gpu, settings.Link);
        }
        finally
        {
            cloud?.Dispose();
        }
    }

    private async Task<(ChildProcess Process, CpuTimeline Cpu)> StartCloudAsync(
        string mode,
        string runName,
        LoadPointSpec spec,
        string folder,
        BenchTopics topics,
        ProcessCpuSampler sampler,
        CancellationToken cancellationToken)
    {
        int port = ServiceReadiness.FreeLoopbackPort();
        var arguments = new List<string>
        {
            "cloud",
            "--bootstrap-servers", cluster!.BootstrapServers,
            "--metrics-url", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--model", settings.Model,
            "--model-repository", settings.ModelRepository,
            "--max-batch", settings.MaxBatch.ToString(CultureInfo.InvariantCulture),
            "--execution-provider", settings.ExecutionProvider.ToString(),
            "--threads", settings.Threads.ToString(CultureInfo.InvariantCulture),
            "--group-id", $"ganstream-bench-{runName}",
        };

        Dictionary<string, string> environment = CommonEnvironment(mode, topics);
        environment[EnvironmentName("Inference:WarmUpWidth")] = (clip.Width / scaleFactor).ToString(CultureInfo.InvariantCulture);
        environment[EnvironmentName("Inference:WarmUpHeight")] = (clip.Height / scaleFactor).ToString(CultureInfo.InvariantCulture);

        // In cloud-only mode the worker, not the edge, applies the rate cap of the load point.
        environment[EnvironmentName("Cloud:Filters:MaxFramesPerSecond")] = (spec.RateCap ?? 0).ToString(CultureInfo.InvariantCulture);

        ChildProcess cloud = ChildProcess.Start(settings.Program, arguments, environment, Path.Combine(folder, "cloud.log"));
        CpuTimeline cpu = sampler.Track("cloud", cloud.Id);
        using (progress.Waiting($"{runName}: starting the cloud worker"))
        {
            if (!await ServiceReadiness.WaitUntilReadyAsync(port, cloud, ReadyTimeout, cancellationToken))
            {
                string tail = cloud.Tail(20);
                cloud.Dispose();
                throw new CliException(
                    $"The cloud worker of {runName} did not become ready within {ReadyTimeout.TotalMinutes:F0} minutes " +
                    $"(exited: {cloud.HasExited}). Last lines of {cloud.LogPath}:\n{tail}");
            }
        }

        return (cloud, cpu);
    }

    private ChildProcess StartEdge(
        string mode,
        string runName,
        LoadPointSpec spec,
        string folder,
        BenchTopics topics,
        string frameLog,
        string? imageFolder)
    {
        var arguments = new List<string>
        {
            "edge",
            "--camera", $"{CameraId}={clip.Path}",
            "--metrics-url", "http://127.0.0.1:0",
            "--model-repository", settings.ModelRepository,
            "--execution-provider", settings.ExecutionProvider.ToString(),
            "--threads", settings.Threads.ToString(CultureInfo.InvariantCulture),
        };
        if (BenchModes.UsesCloud(mode))
        {
            arguments.AddRange(["--bootstrap-servers", cluster!.BootstrapServers, "--model", settings.Model]);
        }

        Dictionary<string, string> environment = CommonEnvironment(mode, topics);
        if (!BenchModes.UsesCloud(mode) && settings.EdgeModel is not null)
        {
            environment[EnvironmentName("Edge:Features:LocalModel")] = settings.EdgeModel;
        }

        environment[EnvironmentName("Edge:EdgeId")] = $"bench-{runName}";
        environment[EnvironmentName("Edge:Cameras:0:MaxFrames")] = spec.MaxFrames.ToString(CultureInfo.InvariantCulture);
        environment[EnvironmentName("Edge:Cameras:0:RealTime")] = spec.RealTime ? "true" : "false";
        environment[EnvironmentName("Edge:Cameras:0:Loop")] = spec.Loop ? "true" : "false";
        environment[EnvironmentName("Edge:Filters:MaxFramesPerSecond")] = (spec.RateCap ?? 0).ToString(CultureInfo.InvariantCulture);
        environment[EnvironmentName("Edge:FrameLog:Path")] = frameLog;
        if (imageFolder is not null)
        {
            environment[EnvironmentName("Edge:FrameLog:ImageDirectory")] = imageFolder;
        }

        return ChildProcess.Start(settings.Program, arguments, environment, Path.Combine(folder, "edge.log"));
    }

    /// <returns>The edge's exit code, or null when it had to be killed, and why the bench stopped it, if it did.</returns>
    private async Task<(int? ExitCode, string? StopReason)> WaitForEdgeAsync(
        ChildProcess edge,
        string runName,
        LoadPointSpec spec,
        string frameLog,
        CancellationToken cancellationToken)
    {
        // NOTE: an estimate. 10 s per frame read is several times the slowest batch seen on a busy 2-core CPU, and
        // 300 s covers start-up and the result timeout.
        TimeSpan limit = TimeSpan.FromSeconds(300 + (10 * spec.MaxFrames));
        using PhaseProgress phase = progress.Phase($"{runName}", spec.ExpectedFrames);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var sinceProgress = System.Diagnostics.Stopwatch.StartNew();
        int frames = 0;
        TimeSpan longestGap = TimeSpan.Zero;
        string? stopReason = null;
        while (!await edge.WaitForExitAsync(TimeSpan.FromSeconds(1), cancellationToken))
        {
            int count = FrameLogReader.CountFrames(frameLog);
            phase.Report(count);
            if (count > frames)
            {
                if (frames > 0 && sinceProgress.Elapsed > longestGap)
                {
                    longestGap = sinceProgress.Elapsed;
                }

                frames = count;
                sinceProgress.Restart();
            }

            TimeSpan stallLimit = StallTimeout > longestGap * 10 ? StallTimeout : longestGap * 10;
            if (waited.Elapsed > limit)
            {
                stopReason = $"the bench stopped the edge after {limit.TotalSeconds:F0} s, the limit for {spec.MaxFrames} frames";
            }
            else if (sinceProgress.Elapsed > stallLimit)
            {
                stopReason = $"the bench stopped the edge because no result arrived for {stallLimit.TotalSeconds:F0} s " +
                    $"after {frames} results";
            }

            if (stopReason is not null)
            {
                edge.Terminate();
                if (!await edge.WaitForExitAsync(StopGrace, cancellationToken))
                {
                    edge.Dispose();
                    return (null, stopReason);
                }

                break;
            }
        }

        phase.Report(FrameLogReader.CountFrames(frameLog));
        return (edge.ExitCode, stopReason);
    }

    private Dictionary<string, string> CommonEnvironment(string mode, BenchTopics topics)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EnvironmentName("Pipeline:Mode")] = mode,
            [EnvironmentName("Topics:Features")] = topics.Features,
            [EnvironmentName("Topics:Results")] = topics.Results,
            [EnvironmentName("Topics:DeadLetter")] = topics.DeadLetter,
            [EnvironmentName("Link:UplinkMbps")] = settings.Link.UplinkMbps.ToString(CultureInfo.InvariantCulture),
            [EnvironmentName("Link:DownlinkMbps")] = settings.Link.DownlinkMbps.ToString(CultureInfo.InvariantCulture),
            [EnvironmentName("Link:RoundTripMs")] = settings.Link.RoundTripMs.ToString(CultureInfo.InvariantCulture),
            [EnvironmentName("Link:JitterMs")] = settings.Link.JitterMs.ToString(CultureInfo.InvariantCulture),
        };
        return environment;
    }

    /// <summary>Turns a configuration key into the environment variable the services read, e.g. GANSTREAM_Edge__Id.</summary>
    public static string EnvironmentName(string key) => ServiceHost.EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal);

    private string Relative(string path) => Path.GetRelativePath(settings.OutputDirectory, path);
}
