using System.Text.Json;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// The query bodies of <c>--query</c>, read once, handed out in rotation over all clients
/// (one interlocked increment per query).
/// </summary>
internal sealed class QueryBodies
{
    private readonly byte[][] _bodies;
    private long _next = -1;

    private QueryBodies(IReadOnlyList<string> files, byte[][] bodies)
    {
        Files = files;
        _bodies = bodies;
    }

    public IReadOnlyList<string> Files { get; }

    public int Count => _bodies.Length;

    /// <summary>The size of the first body (what the report quotes).</summary>
    public int FirstLength => _bodies[0].Length;

    /// <summary>Reads every file; each must hold one JSON object.</summary>
    public static bool TryLoad(IReadOnlyList<string> files, out QueryBodies bodies, out string? error)
    {
        ArgumentNullException.ThrowIfNull(files);
        bodies = null!;
        error = null;
        if (files.Count == 0)
        {
            error = "no query file";
            return false;
        }

        var read = new byte[files.Count][];
        for (var i = 0; i < files.Count; i++)
        {
            try
            {
                read[i] = File.ReadAllBytes(files[i]);
                using var document = JsonDocument.Parse(read[i]);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    error = $"'{files[i]}' must hold one JSON object (a query body)";
                    return false;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                error = $"'{files[i]}': {e.Message}";
                return false;
            }
        }

        bodies = new QueryBodies(files, read);
        return true;
    }

    /// <summary>The next body in rotation. Thread-safe.</summary>
    public byte[] Next() => _bodies[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)_bodies.Length)];
}
