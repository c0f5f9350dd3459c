namespace AnalyticsHub.Storage.Wal.Internal;

/// <summary>The log's identity file (<c>log-id</c>: a GUID as text), written once, atomically.</summary>
internal static class LogIdentity
{
    internal const string FileName = "log-id";

    internal static Guid LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Guid.TryParse(File.ReadAllText(path).Trim(), out var id)
                ? id
                : throw new InvalidDataException($"WAL identity file '{path}' is damaged.");
        }

        var created = Guid.NewGuid();
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(created.ToString("D")));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        CheckpointFile.FsyncDirectory(Path.GetDirectoryName(path)!);
        return created;
    }
}
