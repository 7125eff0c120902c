using Outdial.Server.Cli;

return await OutdialCli.RunAsync(args);

/// <summary>Entry point marker for the test host.</summary>
public partial class Program;
