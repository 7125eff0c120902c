using System.Diagnostics.CodeAnalysis;

namespace Outdial.Engine.Domain;

/// <summary>Public object IDs: 32 upper-case hex digits (a GUID without dashes); "id36" (with dashes) is accepted on input.</summary>
/// <remarks>New IDs are version-7 GUIDs: time-ordered, so unique indexes on them grow at the end (fast bulk inserts).</remarks>
public static class Id32
{
    public static string New() => Format(NewVersion7());

    [ThreadStatic] private static byte[]? t_random;
    [ThreadStatic] private static int t_used;

    /// <summary>
    /// A version-7 GUID (RFC 9562: 48-bit Unix milliseconds, then random bits) like <see cref="Guid.CreateVersion7()"/>, but
    /// with its random bits drawn from a per-thread buffer filled 4 KB at a time: the framework asks the kernel for 16
    /// bytes per GUID, a system call per imported row.
    /// </summary>
    public static Guid NewVersion7()
    {
        var random = t_random ??= new byte[4096];
        if (t_used == 0 || t_used + 10 > random.Length)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(random);
            t_used = 0;
        }
        var r = random.AsSpan(t_used, 10);
        t_used += 10;
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new Guid(
            (int)(ms >> 16),
            (short)ms,
            (short)(0x7000 | ((r[0] << 8 | r[1]) & 0x0FFF)),
            (byte)(0x80 | (r[2] & 0x3F)), r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
    }

    /// <summary>Upper-case "N" form in one allocation (a new record's id is made for every imported row).</summary>
    public static string Format(Guid guid) => string.Create(32, guid, static (span, g) =>
    {
        g.TryFormat(span, out _, "N");
        for (var i = 0; i < span.Length; i++)
            if (span[i] is >= 'a' and <= 'f') span[i] = (char)(span[i] - 32);
    });

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? id32)
    {
        id32 = null;
        if (input is null || (input.Length != 32 && input.Length != 36)) return false;
        if (!Guid.TryParseExact(input, input.Length == 32 ? "N" : "D", out var guid)) return false;
        id32 = Format(guid);
        return true;
    }
}
