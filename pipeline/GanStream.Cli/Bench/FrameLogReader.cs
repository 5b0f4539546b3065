using System.Text.Json;
using GanStream.Edge.Output;

namespace GanStream.Cli.Bench;

/// <summary>Reads a frame log written by <see cref="FrameLogWriter"/>.</summary>
internal static class FrameLogReader
{
    /// <summary>Reads every frame record and camera total of a log; a missing file reads as empty.</summary>
    /// <exception cref="InvalidDataException">A line is not a valid record.</exception>
    public static (IReadOnlyList<FrameRecord> Frames, IReadOnlyList<CameraTotals> Cameras) Read(string path)
    {
        var frames = new List<FrameRecord>();
        var cameras = new List<CameraTotals>();
        if (!File.Exists(path))
        {
            return (frames, cameras);
        }

        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                string record = root.GetProperty(FrameLogFields.Record).GetString() ?? string.Empty;
                if (record == FrameLogFields.FrameRecord)
                {
                    frames.Add(ParseFrame(root));
                }
                else if (record == FrameLogFields.CameraRecord)
                {
                    cameras.Add(ParseCamera(root));
                }
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"Frame log '{path}' line {number} is not a valid record: {exception.Message}", exception);
            }
        }

        return (frames, cameras);
    }

    /// <summary>Counts the frame records written so far, for progress; tolerates a file being written.</summary>
    public static int CountFrames(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            int count = 0;
            while (reader.ReadLine() is { } line)
            {
                if (line.Contains("\"record\":\"frame\"", StringComparison.Ordinal))
                {
                    count++;
                }
            }

            return count;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static FrameRecord ParseFrame(JsonElement root) => new(
        root.GetProperty(FrameLogFields.Camera).GetString()!,
        root.GetProperty(FrameLogFields.Sequence).GetUInt64(),
        root.GetProperty(FrameLogFields.CompletedAt).GetDateTimeOffset(),
        root.GetProperty(FrameLogFields.LatencyMs).GetDouble(),
        root.GetProperty(FrameLogFields.InferenceMs).GetDouble(),
        root.GetProperty(FrameLogFields.BatchSize).GetInt32(),
        root.GetProperty(FrameLogFields.QueueMs).GetDouble(),
        root.GetProperty(FrameLogFields.DecodeMs).GetDouble(),
        root.GetProperty(FrameLogFields.BatchWaitMs).GetDouble(),
        root.GetProperty(FrameLogFields.EncodeMs).GetDouble(),
        root.GetProperty(FrameLogFields.ResultBytes).GetInt64(),
        root.GetProperty(FrameLogFields.Model).GetString() ?? string.Empty,
        root.GetProperty(FrameLogFields.ExecutionProvider).GetString() ?? string.Empty,
        root.TryGetProperty(FrameLogFields.Image, out JsonElement image) ? image.GetString() : null);

    private static CameraTotals ParseCamera(JsonElement root) => new(
        root.GetProperty(FrameLogFields.Camera).GetString()!,
        root.GetProperty(FrameLogFields.FramesRead).GetInt64(),
        root.GetProperty(FrameLogFields.FramesFiltered).GetInt64(),
        root.GetProperty(FrameLogFields.FramesDropped).GetInt64(),
        root.GetProperty(FrameLogFields.FramesSent).GetInt64(),
        root.GetProperty(FrameLogFields.FeatureBytesSent).GetInt64(),
        root.GetProperty(FrameLogFields.FramesSynthesized).GetInt64(),
        root.GetProperty(FrameLogFields.FramesRejected).GetInt64(),
        root.GetProperty(FrameLogFields.FramesExpired).GetInt64(),
        root.GetProperty(FrameLogFields.RecordsDropped).GetInt64());
}
