using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Records;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Server.Dialects.Jtel;

/// <summary>Finding contacts by jtel's handles (DiallerContactsID, UserData, DiallerCampaignsID/Name) and answering them.</summary>
internal sealed class JtelContacts(long tenant, RecordOperations records, IReadOnlyList<CampaignView> campaigns)
{
    public static async Task<JtelContacts> OpenAsync(long tenant, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
        new(tenant, records, await campaigns.ListAsync(tenant, ct));

    public long Tenant => tenant;

    public static long ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ValidationException($"DiallerContactsID must be a positive integer, got '{id}'", "DiallerContactsID");

    public Task<StoredRecord> ByIdAsync(long id, CancellationToken ct) => Found(records.GetByNumberAsync(tenant, id, ct), $"dialler contact {id}");

    /// <summary>The contacts whose UserData is <paramref name="userData"/> (case-insensitive), oldest first; at most
    /// <paramref name="max"/>; in one campaign when given.</summary>
    public async Task<List<StoredRecord>> ByUserDataAsync(string? userData, int max, Campaign? campaign, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userData)) throw new ValidationException("the query parameter userData is required", "userData");
        if (userData.Length > 200) return [];
        var wildcards = SearchPattern.HasWildcards(userData);
        if (wildcards && SearchPattern.Check(userData) is { } error) throw new ValidationException($"userData: {error}", "userData");
        var found = new List<StoredRecord>();
        long? after = null;
        do
        {
            // '*' and '?' match themselves too: a UserData holding them is found by the pattern, then kept if equal.
            var page = await records.SearchAsync(tenant, new RecordQuery
            {
                CampaignId = campaign?.Id,
                Filters = [new FieldFilter(RecordField.externalId, userData)],
                Limit = wildcards ? 1000 : Math.Min(max, 1000),
                After = after,
            }, ct);
            found.AddRange(page.Items.Where(r => string.Equals(JtelContact.UserData(r.Record), userData, StringComparison.OrdinalIgnoreCase)));
            after = page.NextAfter;
        } while (after is not null && found.Count < max);
        return found.Count > max ? found[..max] : found;
    }

    public async Task<StoredRecord> FirstByUserDataAsync(string? userData, CancellationToken ct) =>
        (await ByUserDataAsync(userData, 1, null, ct)).FirstOrDefault() ?? throw OperationException.NotFound($"dialler contact with UserData '{userData}'");

    public Campaign CampaignById(long id) =>
        campaigns.FirstOrDefault(c => c.Campaign.Number == id)?.Campaign ?? throw OperationException.NotFound($"dialler campaign {id}");

    public Campaign CampaignByName(string name) =>
        campaigns.FirstOrDefault(c => c.Campaign.Name == name)?.Campaign ?? throw OperationException.NotFound($"dialler campaign '{name}'");

    /// <summary>The campaign a contact is shown in: the one its list is the default list of, else the first fed by its list.</summary>
    public Campaign? CampaignOf(StoredRecord r) =>
        (campaigns.FirstOrDefault(c => c.Campaign.DefaultListId == r.Record.ListId) ?? campaigns.FirstOrDefault(c => c.Lists.Contains(r.Record.ListId)))?.Campaign;

    public async Task<JsonNode> AnswerAsync(StoredRecord r, Campaign? shownIn, CancellationToken ct) =>
        JtelContact.ToJtel(r, shownIn ?? CampaignOf(r), await records.GetAttemptsAsync(tenant, r.Record.Id, ct));

    public async Task<List<JsonNode>> HistoryAsync(StoredRecord r, CancellationToken ct)
    {
        var byId = campaigns.ToDictionary(c => c.Campaign.Id, c => c.Campaign, StringComparer.Ordinal);
        return [.. (await records.GetAttemptsAsync(tenant, r.Record.Id, ct)).Select(a => (JsonNode)JtelContact.ToJtelHistory(a, r, byId))];
    }

    public static async Task<JsonElement> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, ct);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ValidationException($"the body is not JSON: {e.Message.Split(" Path:")[0]}");
        }
    }

    private static async Task<StoredRecord> Found(Task<StoredRecord> lookup, string what)
    {
        try
        {
            return await lookup;
        }
        catch (OperationException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw OperationException.NotFound(what);
        }
    }
}
