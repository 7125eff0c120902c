namespace Outdial.Server.Cli;

/// <summary><c>outdial import FILE</c>: posts a file to a running server and shows the job's progress.</summary>
internal static class ImportCommand
{
    public static System.CommandLine.Command Create() => new("import", "Import a CSV or JSON file of records into a list or campaign");
}
