using System.Diagnostics.CodeAnalysis;

namespace Outdial.Engine.Domain;

/// <summary>Public object IDs: 32 upper-case hex digits (a GUID without dashes); "id36" (with dashes) is accepted on input.</summary>
/// <remarks>New IDs are version-7 GUIDs: time-ordered, so unique indexes on them grow at the end (fast bulk inserts).</remarks>
public static class Id32
{
    public static string New() => Guid.CreateVersion7().ToString("N").ToUpperInvariant();

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? id32)
    {
        id32 = null;
        if (input is null || (input.Length != 32 && input.Length != 36)) return false;
        if (!Guid.TryParseExact(input, input.Length == 32 ? "N" : "D", out var guid)) return false;
        id32 = guid.ToString("N").ToUpperInvariant();
        return true;
    }
}
