using System.Security.Cryptography;
using System.Text;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;

namespace Outdial.Server.Dialects.Conpeek;

/// <summary>
/// Conpeek's ids. A voice campaign id is 24 hex digits (as <c>5b7c389fe8df7b60af688989</c>): the first 24 of the campaign's
/// id32, in lower case. Outdial's ids are version-7 GUIDs, so those digits are the creation millisecond and 26 random
/// bits: stable, and unique among a tenant's campaigns in practice (when two do share them, the full id32 addresses each).
/// A tenant user id is an integer: 31 bits of a hash of the agent's id32, stable for as long as the agent exists.
/// </summary>
internal static class ConpeekIds
{
    public const int CampaignLength = 24;

    public static string Campaign(string id32) => id32[..CampaignLength].ToLowerInvariant();

    /// <summary>The campaign a path's id names: 24 hex digits, or (leniently) Outdial's own id32 or id36.</summary>
    public static async Task<Campaign> ResolveCampaignAsync(CampaignOperations campaigns, long tenant, string id, CancellationToken ct)
    {
        if (Id32.TryNormalize(id, out var full)) return await campaigns.FindAsync(tenant, full, ct);
        if (id.Length != CampaignLength || !id.All(char.IsAsciiHexDigit))
            throw new ValidationException($"voice_campaign_id must be 24 hex digits, got '{id}'", "voice_campaign_id");
        return await campaigns.FindByIdPrefixAsync(tenant, id, ct);
    }

    public static int? User(string? agentId)
    {
        if (agentId is null) return null;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(agentId), hash);
        return (int)(BitConverter.ToUInt32(hash) & 0x7FFF_FFFF);
    }
}
