using System.Globalization;
using System.Text;
using Confluent.Kafka;
using GanStream.Cli.Hosting;
using GanStream.Edge.Replies;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Logging;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GanStream.Cli.Tail;

/// <summary>
/// Reads the results topic without joining a consumer group, prints one line per result and saves each synthesized
/// image. It assigns every partition the topic has when it starts; partitions added later are not read.
/// </summary>
internal sealed class ResultTail
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly ResultTailOptions options;
    private readonly KafkaOptions kafkaOptions;
    private readonly string bootstrapServers;
    private readonly TextWriter output;
    private readonly ILogger logger;
    private readonly LogThrottle throttle = new(TimeSpan.FromSeconds(10));
    private readonly RecentCorrelationIds seen = new(8192);
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResultTail(
        ResultTailOptions options,
        KafkaOptions kafkaOptions,
        string bootstrapServers,
        TextWriter output,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options;
        this.kafkaOptions = kafkaOptions;
        this.bootstrapServers = bootstrapServers;
        this.output = output;
        this.logger = logger;
    }

    /// <summary>Completes once every partition is assigned at its starting offset.</summary>
    public Task Started => started.Task;

    /// <summary>
    /// Reads until <paramref name="cancellationToken"/> fires or <see cref="ResultTailOptions.MaxMessages"/> results
    /// are read, on a thread of its own.
    /// </summary>
    /// <returns>Number of results read.</returns>
    /// <exception cref="CliException">The topic does not exist or no broker responds.</exception>
    public Task<long> RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => Run(cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private long Run(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            GroupId = $"ganstream-tail-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            ClientId = "ganstream-tail",
            FetchWaitMaxMs = 100,
        };
        KafkaClientConfigFactory.Apply(config, kafkaOptions, bootstrapServers);
        using IConsumer<string, byte[]> consumer = new ConsumerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, _) => { })
            .Build();

        long count = 0;
        using (TailLog.BeginTail(logger, options.Topic))
        {
            try
            {
                Assign(consumer);
                while (!cancellationToken.IsCancellationRequested &&
                    (options.MaxMessages == 0 || count < options.MaxMessages))
                {
                    ConsumeResult<string, byte[]>? record = consumer.Consume(PollTimeout);
                    if (record is null || record.IsPartitionEOF)
                    {
                        continue;
                    }

                    Handle(record);
                    count++;
                }
            }
            catch (Exception exception)
            {
                started.TrySetException(exception);
                throw;
            }
            finally
            {
                consumer.Close();
            }

            TailLog.Stopped(logger, count);
        }

        return count;
    }

    private void Assign(IConsumer<string, byte[]> consumer)
    {
        var adminConfig = KafkaClientConfigFactory.Apply(new AdminClientConfig(), kafkaOptions, bootstrapServers);
        using IAdminClient admin = new AdminClientBuilder(adminConfig).SetLogHandler((_, _) => { }).Build();
        TopicMetadata? topic;
        try
        {
            topic = admin.GetMetadata(options.Topic, options.MetadataTimeout)
                .Topics
                .FirstOrDefault(t => t.Topic == options.Topic);
        }
        catch (KafkaException exception)
        {
            throw new CliException(
                $"No Kafka broker at '{bootstrapServers}' answered within {options.MetadataTimeout.TotalSeconds:F0} s " +
                $"({exception.Error.Reason}). Check --bootstrap-servers.",
                exception);
        }

        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
        {
            string reason = topic?.Error.Reason ?? "not in the metadata";
            throw new CliException(
                $"--topic: topic '{options.Topic}' cannot be read ({reason}). Check the name, or start a worker.");
        }

        var assignment = new List<TopicPartitionOffset>();
        foreach (PartitionMetadata partition in topic.Partitions.OrderBy(p => p.PartitionId))
        {
            var topicPartition = new TopicPartition(options.Topic, partition.PartitionId);
            WatermarkOffsets watermarks = consumer.QueryWatermarkOffsets(topicPartition, options.MetadataTimeout);
            Offset start = options.FromBeginning ? watermarks.Low : watermarks.High;
            assignment.Add(new TopicPartitionOffset(topicPartition, start));
        }

        consumer.Assign(assignment);
        TailLog.Started(logger, options.Topic, assignment.Count, options.FromBeginning ? "beginning" : "end");
        started.TrySetResult();
    }

    private void Handle(ConsumeResult<string, byte[]> record)
    {
        int partition = record.Partition.Value;
        long offset = record.Offset.Value;
        string? correlationId = record.Message.Headers.GetString(MessageHeaders.CorrelationId);
        SynthesisResult result;
        try
        {
            result = SynthesisResult.Parser.ParseFrom(record.Message.Value ?? []);
        }
        catch (InvalidProtocolBufferException exception)
        {
            TailLog.ResultUnreadable(logger, partition, offset, exception.Message);
            output.WriteLine(
                string.Create(CultureInfo.InvariantCulture, $"status=invalid partition={partition} offset={offset}"));
            return;
        }

        bool duplicate = CorrelationIds.IsValid(correlationId) && seen.Contains(correlationId!);
        if (CorrelationIds.IsValid(correlationId))
        {
            seen.Add(correlationId!);
        }

        string? saved = result.Status == ResultStatus.Ok && !duplicate
            ? Save(result, correlationId, partition, offset)
            : null;
        output.WriteLine(Describe(result, correlationId, partition, offset, duplicate, saved));
    }

    private string? Save(SynthesisResult result, string? correlationId, int partition, long offset)
    {
        if (options.OutputDirectory is null || result.Payload.IsEmpty)
        {
            return null;
        }

        string relativePath = ResultFiles.RelativePath(result, correlationId, partition, offset);
        string path = Path.Combine(options.OutputDirectory, relativePath);
        string temporary = path + ".part";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);

            // Written under another name first, so that a program watching the folder never reads half an image.
            File.WriteAllBytes(temporary, result.Payload.ToByteArray());
            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TailLog.ImageNotSaved(logger, path, exception.Message);
            return null;
        }
    }

    private static string Describe(
        SynthesisResult result,
        string? correlationId,
        int partition,
        long offset,
        bool duplicate,
        string? saved)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var line = new StringBuilder();
        string status = result.Status switch
        {
            ResultStatus.Ok => "ok",
            ResultStatus.Rejected => "rejected",
            _ => "unspecified",
        };
        line.Append(c, $"camera={Printable(result.CameraId)} sequence={result.FrameSequence} status={status}");
        if (result.Status == ResultStatus.Ok)
        {
            line.Append(c, $" model={Printable(result.ModelName)}:{Printable(result.ModelVersion)}");
            line.Append(c, $" provider={Printable(result.ExecutionProvider)} size={result.Width}x{result.Height}");
            line.Append(c, $" encoding={ResultFiles.Extension(result.Encoding)} bytes={result.Payload.Length}");
        }
        else
        {
            line.Append(c, $" reason={Printable(result.ErrorReason)}");
        }

        if (result.CaptureTime is { } captured)
        {
            // Capture time comes from the edge's clock, so across machines the age includes clock skew.
            double ageMs = (DateTime.UtcNow - captured.ToDateTime()).TotalMilliseconds;
            line.Append(c, $" age_ms={ageMs:F0}");
        }

        line.Append(c, $" correlation_id={Printable(correlationId)} partition={partition} offset={offset}");
        if (duplicate)
        {
            line.Append(" duplicate=true");
        }

        if (saved is not null)
        {
            line.Append(c, $" file={saved}");
        }

        return line.ToString();
    }

    /// <summary>Makes a value from the network safe for one line of output: no spaces or control characters.</summary>
    private static string Printable(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var text = new StringBuilder(Math.Min(value.Length, 128));
        foreach (char ch in value.AsSpan(0, Math.Min(value.Length, 128)))
        {
            text.Append(char.IsControl(ch) || char.IsWhiteSpace(ch) ? '_' : ch);
        }

        return text.ToString();
    }

    /// <summary>Logs a client error at most once per 10 s for each error code, with the count held back.</summary>
    private void OnError(Error error)
    {
        if (throttle.TryAcquire(error.Code.ToString(), out long suppressed))
        {
            TailLog.KafkaError(logger, error.Reason, error.IsFatal, suppressed);
        }
    }
}
