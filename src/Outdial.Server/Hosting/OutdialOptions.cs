namespace Outdial.Server.Hosting;

/// <summary>Configuration section "Outdial" (environment: Outdial__DataDir, ...).</summary>
internal sealed class OutdialOptions
{
    public string DataDir { get; set; } = "./data";
    /// <summary>Which store (<see cref="Data.StoreFactory"/>): "sqlite" (the default, a file in <see cref="DataDir"/>).</summary>
    public string? Store { get; set; }
    /// <summary>Largest body accepted on ordinary API calls.</summary>
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>Largest body accepted by import endpoints (streamed to disk, never held in memory).</summary>
    public long MaxImportBodyBytes { get; set; } = 4L * 1024 * 1024 * 1024;
    /// <summary>Imports up to this many bytes answer inline with per-row results; larger ones run as background jobs.</summary>
    public long InlineImportMaxBytes { get; set; } = 4 * 1024 * 1024;

    public string SpoolDir => Path.Combine(DataDir, "imports");
}
