namespace AnalyticsHub.Cli;

/// <summary>Bad input from the user (missing file, malformed cell, impossible option): the command prints the
/// message as one line on stderr and exits with <see cref="ExitCode"/>.</summary>
internal sealed class InputException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
