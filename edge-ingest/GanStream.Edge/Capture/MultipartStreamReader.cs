using System.Globalization;
using System.Text;

namespace GanStream.Edge.Capture;

/// <summary>
/// Reads the parts of a <c>multipart/x-mixed-replace</c> body as MJPEG cameras send it: a boundary line, header lines,
/// a blank line, then the part's bytes, sized by <c>Content-Length</c> or ended by the next boundary. Line lengths,
/// header counts and part sizes are bounded, so a misbehaving server cannot make the reader buffer without limit.
/// </summary>
internal sealed class MultipartStreamReader
{
    /// <summary>Longest boundary or header line accepted, in bytes.</summary>
    public const int MaxLineBytes = 1024;

    /// <summary>Most header lines accepted in one part.</summary>
    public const int MaxHeaderLines = 32;

    /// <summary>Most lines skipped while looking for a boundary, for example a preamble.</summary>
    public const int MaxLinesBeforeBoundary = 64;

    private readonly Stream stream;
    private readonly string boundary;
    private readonly byte[] delimiter;
    private readonly int maxPartBytes;
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    /// <param name="stream">The response body.</param>
    /// <param name="boundary">The <c>boundary</c> parameter of the response's content type.</param>
    /// <param name="maxPartBytes">Largest part accepted, in bytes.</param>
    public MultipartStreamReader(Stream stream, string boundary, int maxPartBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(boundary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPartBytes, 1);

        this.stream = stream;
        this.boundary = boundary.StartsWith("--", StringComparison.Ordinal) ? boundary[2..] : boundary;
        delimiter = Encoding.ASCII.GetBytes("\r\n--" + this.boundary);
        this.maxPartBytes = maxPartBytes;
    }

    /// <summary>Reads the body of the next part.</summary>
    /// <returns>The part's bytes, or null when the stream ended (cleanly or in the middle of a part).</returns>
    /// <exception cref="InvalidDataException">The stream is not a multipart stream, or a limit was exceeded.</exception>
    public async ValueTask<byte[]?> ReadPartAsync(CancellationToken cancellationToken)
    {
        if (!await SkipToBoundaryAsync(cancellationToken))
        {
            return null;
        }

        (bool complete, int? contentLength) = await ReadHeadersAsync(cancellationToken);
        if (!complete)
        {
            return null;
        }

        return contentLength is { } length
            ? await ReadExactAsync(length, cancellationToken)
            : await ReadUntilDelimiterAsync(cancellationToken);
    }

    private async ValueTask<bool> SkipToBoundaryAsync(CancellationToken cancellationToken)
    {
        for (int skipped = 0; skipped <= MaxLinesBeforeBoundary; skipped++)
        {
            string? line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return false;
            }

            string trimmed = line.Trim();
            if (trimmed == "--" + boundary || trimmed == boundary)
            {
                return true;
            }

            if (trimmed == "--" + boundary + "--")
            {
                return false;
            }
        }

        throw new InvalidDataException(
            $"No multipart boundary within {MaxLinesBeforeBoundary} lines; the stream is not multipart/x-mixed-replace.");
    }

    private async ValueTask<(bool Complete, int? ContentLength)> ReadHeadersAsync(CancellationToken cancellationToken)
    {
        int? contentLength = null;
        for (int count = 0; ; count++)
        {
            string? line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return (false, null);
            }

            if (line.Length == 0)
            {
                return (true, contentLength);
            }

            if (count >= MaxHeaderLines)
            {
                throw new InvalidDataException($"A multipart part has more than {MaxHeaderLines} header lines.");
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = ParseContentLength(line[(colon + 1)..].Trim());
            }
        }
    }

    private int ParseContentLength(string value)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long length))
        {
            throw new InvalidDataException($"A multipart part has an invalid Content-Length '{value}'.");
        }

        if (length > maxPartBytes)
        {
            throw new InvalidDataException(
                $"A multipart part declares {length} bytes, over the limit of {maxPartBytes}.");
        }

        return (int)length;
    }

    /// <summary>Reads one line without its CR LF; null at the end of the stream.</summary>
    private async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = Array.IndexOf(buffer, (byte)'\n', start, Math.Min(end - start, MaxLineBytes + 1));
            if (newline >= 0)
            {
                int length = newline - start;
                if (length > 0 && buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                string line = Encoding.ASCII.GetString(buffer, start, length);
                start = newline + 1;
                return line;
            }

            if (end - start > MaxLineBytes)
            {
                throw new InvalidDataException(
                    $"A multipart boundary or header line is longer than {MaxLineBytes} bytes.");
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async ValueTask<byte[]?> ReadExactAsync(int length, CancellationToken cancellationToken)
    {
        var part = new byte[length];
        int copied = Math.Min(length, end - start);
        Array.Copy(buffer, start, part, 0, copied);
        start += copied;

        while (copied < length)
        {
            int read = await stream.ReadAsync(part.AsMemory(copied, length - copied), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            copied += read;
        }

        return part;
    }

    private async ValueTask<byte[]?> ReadUntilDelimiterAsync(CancellationToken cancellationToken)
    {
        using var part = new MemoryStream();
        while (true)
        {
            int found = buffer.AsSpan(start, end - start).IndexOf(delimiter);
            if (found >= 0)
            {
                Append(part, found);

                // Leave the boundary line for the next part; only the CR LF before it belongs to this one.
                start += 2;
                return part.ToArray();
            }

            // Keep the last bytes, which may be the start of a delimiter that the next read completes.
            Append(part, Math.Max(0, end - start - (delimiter.Length - 1)));
            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private void Append(MemoryStream part, int count)
    {
        if (part.Length + count > maxPartBytes)
        {
            throw new InvalidDataException($"A multipart part is larger than the limit of {maxPartBytes} bytes.");
        }

        part.Write(buffer, start, count);
        start += count;
    }

    /// <summary>Reads more bytes into the buffer; false at the end of the stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (start > 0)
        {
            Array.Copy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        int read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
        end += read;
        return read > 0;
    }
}
