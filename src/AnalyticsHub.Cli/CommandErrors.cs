using System.CommandLine;

namespace AnalyticsHub.Cli;

/// <summary>Runs a command's body and turns <see cref="InputException"/> into one line on the invocation's error
/// writer and exit code 2.</summary>
internal static class CommandErrors
{
    public static int Run(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputException e)
        {
            parse.InvocationConfiguration.Error.WriteLine("error: " + e.Message);
            return InputException.ExitCode;
        }
    }
}
