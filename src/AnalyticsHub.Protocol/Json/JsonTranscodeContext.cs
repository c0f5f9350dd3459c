using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AnalyticsHub.Protocol.Json;

/// <summary>
/// State of one transcode call: the output, the errors found so far, where the reader is (for
/// error paths) and the keys of the map being written. Error paths and messages are built only
/// when an error is reported, so the success path allocates nothing here but this object.
/// </summary>
internal sealed class JsonTranscodeContext : IDisposable
{
    private List<JsonFieldError>? _errors;

    // Key ranges (offset, length in Output) of the map being written, to reject repeated keys.
    private readonly List<(int Offset, int Length)> _mapKeys = [];

    // Renamed payload keys waiting to be promoted to their canonical field when it stays unset.
    private readonly List<(int Index, int Offset, int Length)> _renames = [];

    public JsonTranscodeContext(JsonTranscodeOptions options, ReadOnlySequence<byte> source)
    {
        Options = options;
        Source = source;
        Output = new ProtoMessageBuffer((int)Math.Min(source.Length + 64, 1 << 20));
    }

    public JsonTranscodeOptions Options { get; }

    /// <summary>The whole body; values copied verbatim (custom JSON) are sliced from it.</summary>
    public ReadOnlySequence<byte> Source { get; }

    public ProtoMessageBuffer Output { get; }

    /// <summary>The event being read, -1 outside the events.</summary>
    public int EventIndex { get; set; } = -1;

    public int EventCount { get; set; }

    public bool TooManyEvents { get; set; }

    /// <summary>Reading must end: the error cap was reached, or a value nests too deep to step over.</summary>
    public bool Stopped { get; private set; }

    public bool ErrorsTruncated { get; private set; }

    public string? ProducerId { get; set; }

    public ulong Sequence { get; set; }

    public IReadOnlyList<JsonFieldError> Errors => _errors ?? (IReadOnlyList<JsonFieldError>)[];

    public bool HasErrors => _errors is { Count: > 0 };

    public IReadOnlyList<(int Index, int Offset, int Length)> Renames => _renames;

    /// <summary>An error in the current event at <paramref name="relativePath"/> (empty: the event itself).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Fail(string relativePath, string message)
    {
        if (EventIndex < 0)
        {
            AddError(-1, relativePath.Length == 0 ? "$" : relativePath, message);
            return;
        }

        var eventPath = $"events[{EventIndex}]";
        AddError(EventIndex, relativePath.Length == 0 ? eventPath : $"{eventPath}.{relativePath}", message);
    }

    /// <summary>An error about the body as a whole (EventIndex -1), whatever is being read.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void FailBody(string path, string message) => AddError(-1, path, message);

    /// <summary>Malformed JSON: replaces the field errors found so far, which the rest of the body can no longer be matched to.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void FailSyntax(JsonException exception)
    {
        _errors?.Clear();
        ErrorsTruncated = false;
        var line = exception.LineNumber ?? 0;
        var column = exception.BytePositionInLine ?? 0;
        var position = LineStart(line) + column;
        var message = exception.Message;
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        message = suffix > 0 ? message[..suffix] : message;
        AddError(-1, "$", $"malformed JSON at byte {position} (line {line + 1}, byte {column + 1} of the line): {message}");
        Stopped = true;
    }

    /// <summary>
    /// Steps over the value the reader is on, checking depth (the reader's own limit is one
    /// deeper, so this check reports the path instead of a bare exception). False when too deep;
    /// the error is then reported at <paramref name="relativePath"/> and reading stops.
    /// </summary>
    public bool TrySkip(ref Utf8JsonReader reader, string relativePath)
    {
        if (TrySkipQuietly(ref reader))
        {
            return true;
        }

        FailTooDeep(relativePath);
        return false;
    }

    /// <summary><see cref="TrySkip"/> leaving the report to the caller, which builds its path only then.</summary>
    public bool TrySkipQuietly(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return true;
        }

        var depth = reader.CurrentDepth;
        if (depth >= Options.MaxDepth)
        {
            return false;
        }

        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= Options.MaxDepth)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A value nests deeper than allowed: reported, and reading stops (the reader could not step over it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void FailTooDeep(string relativePath)
    {
        Fail(relativePath, $"JSON nests deeper than {Options.MaxDepth} levels");
        Stopped = true;
    }

    /// <summary>False (with the error reported) when the container the reader is on nests deeper than allowed.</summary>
    public bool CheckDepth(ref Utf8JsonReader reader, string relativePath)
    {
        if (reader.CurrentDepth < Options.MaxDepth)
        {
            return true;
        }

        FailTooDeep(relativePath);
        return false;
    }

    public void BeginMap() => _mapKeys.Clear();

    /// <summary>True when the map being written already has the key at (offset, length) of the output.</summary>
    public bool HasMapKey(int offset, int length)
    {
        var key = Output.Slice(offset, length);
        foreach (var (otherOffset, otherLength) in _mapKeys)
        {
            if (Output.Slice(otherOffset, otherLength).SequenceEqual(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Records a written key (its final place: after the entry's length was fixed).</summary>
    public void AddMapKey(int offset, int length) => _mapKeys.Add((offset, length));

    public void ClearRenames() => _renames.Clear();

    /// <summary>A map entry whose key FieldMappings renames to the payload field at <paramref name="index"/>.</summary>
    public void AddRename(int index, int valueOffset, int valueLength) => _renames.Add((index, valueOffset, valueLength));

    public void Dispose() => Output.Dispose();

    private void AddError(int eventIndex, string path, string message)
    {
        _errors ??= [];
        if (_errors.Count >= Options.MaxErrors)
        {
            ErrorsTruncated = true;
            Stopped = true;
            return;
        }

        _errors.Add(new JsonFieldError(eventIndex, path, message));
    }

    /// <summary>The byte offset where 0-based line <paramref name="line"/> starts (error path only).</summary>
    private long LineStart(long line)
    {
        if (line == 0)
        {
            return 0;
        }

        long offset = 0;
        foreach (var segment in Source)
        {
            var span = segment.Span;
            for (var i = 0; i < span.Length; i++)
            {
                if (span[i] == (byte)'\n' && --line == 0)
                {
                    return offset + i + 1;
                }
            }

            offset += span.Length;
        }

        return offset;
    }
}
