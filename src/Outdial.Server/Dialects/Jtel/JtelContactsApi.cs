using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Records;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;

namespace Outdial.Server.Dialects.Jtel;

/// <summary>jtel's contact functions: list, get, import, update, delete, lock, unlock, reset and history, each by
/// DiallerContactsID or by UserData (the first match, as the document says, for the functions that act on one).</summary>
internal static class JtelContactsApi
{
    private static readonly string[] Actions = ["lock", "unlock", "reset"];

    public static void MapJtelContacts(this RouteGroupBuilder dialler)
    {
        dialler.MapGet("/contacts", async (HttpRequest request, ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var contacts = await JtelContacts.OpenAsync(user.TenantId(), records, campaigns, ct);
            var campaign = Integer(request, "diallerCampaignsID", null, 1) is { } cid ? contacts.CampaignById(cid) : null;
            var start = Integer(request, "limitStart", 0, 0)!.Value;
            var size = Integer(request, "limitPageSize", -1, -1)!.Value;
            var answer = new List<JsonNode>();
            long? after = null;
            // Pages of the store's keyset walk; limitStart skips on the first page only.
            do
            {
                var want = size < 0 ? 1000 : (int)Math.Min(1000, size - answer.Count);
                if (want == 0) break;
                var page = await records.SearchAsync(contacts.Tenant, new RecordQuery
                {
                    CampaignId = campaign?.Id,
                    Offset = after is null ? (int)Math.Min(start, int.MaxValue) : 0,
                    Limit = want,
                    After = after,
                }, ct);
                foreach (var r in page.Items) answer.Add(await contacts.AnswerAsync(r, campaign, ct));
                after = page.NextAfter;
            } while (after is not null);
            return JtelResults.List(answer, (int)Math.Min(start, int.MaxValue), (int)Math.Min(size, int.MaxValue), "ID", ascending: true);
        });

        dialler.MapGet("/contacts/{id}", async (string id, ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var contacts = await JtelContacts.OpenAsync(user.TenantId(), records, campaigns, ct);
            return JtelResults.Records([await contacts.AnswerAsync(await contacts.ByIdAsync(JtelContacts.ParseId(id), ct), null, ct)]);
        });

        dialler.MapGet("/contacts/contact", async (string? userData, ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var contacts = await JtelContacts.OpenAsync(user.TenantId(), records, campaigns, ct);
            var found = await contacts.ByUserDataAsync(userData, int.MaxValue, null, ct);
            if (found.Count == 0) throw OperationException.NotFound($"dialler contact with UserData '{userData}'");
            var answer = new List<JsonNode>();
            foreach (var r in found) answer.Add(await contacts.AnswerAsync(r, null, ct));
            return JtelResults.Records(answer);
        });

        dialler.MapPost("/contacts/import", async (HttpRequest request, ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var overwrite = Flag(request, "overwriteDuplicates");
            var input = JtelContactInput.Read(await JtelContacts.ReadBodyAsync(request, ct));
            var contacts = await JtelContacts.OpenAsync(user.TenantId(), records, campaigns, ct);
            var campaign = input.CampaignId is { } cid ? contacts.CampaignById(cid)
                : input.CampaignName is { Length: > 0 } name ? contacts.CampaignByName(name)
                : throw new ValidationException("DiallerCampaignsID or DiallerCampaignsName is mandatory", "DiallerCampaignsID");
            var fields = JtelContact.ToFields(input, null);
            var duplicate = input.UserData is { } userData ? (await contacts.ByUserDataAsync(userData, 1, campaign, ct)).FirstOrDefault() : null;
            if (duplicate is null)
            {
                try
                {
                    var created = await records.CreateInCampaignAsync(contacts.Tenant, campaign.Id, fields, ct);
                    return JtelResults.Records([await contacts.AnswerAsync(created, campaign, ct)]);
                }
                catch (OperationException e) when (e.Kind == ErrorKind.Conflict && input.UserData is not null)
                {
                    // Imported meanwhile by another request (or taken in the campaign's default list by a record of
                    // another campaign): the existing contact, as on any duplicate.
                    duplicate = (await contacts.ByUserDataAsync(input.UserData, 1, campaign, ct)).FirstOrDefault();
                    if (duplicate is null) throw;
                }
            }
            if (overwrite) duplicate = await records.UpdateAsync(contacts.Tenant, duplicate.Record.Id, JtelContact.ToFields(input, duplicate.Record), ct);
            return JtelResults.Records([await contacts.AnswerAsync(duplicate, campaign, ct)]);
        }).RequireAuthorization(Policies.Write);

        dialler.MapPut("/contacts/contact", async (HttpRequest request, ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var input = JtelContactInput.Read(await JtelContacts.ReadBodyAsync(request, ct));
            var contacts = await JtelContacts.OpenAsync(user.TenantId(), records, campaigns, ct);
            var existing = input.Id is { } id ? await contacts.ByIdAsync(id, ct)
                : input.UserData is { } userData ? await contacts.FirstByUserDataAsync(userData, ct)
                : throw new ValidationException("ID or UserData is mandatory: it names the contact to update", "ID");
            var updated = await records.UpdateAsync(contacts.Tenant, existing.Record.Id, JtelContact.ToFields(input, existing.Record), ct);
            return JtelResults.Records([await contacts.AnswerAsync(updated, null, ct)]);
        }).RequireAuthorization(Policies.Write);

        dialler.MapDelete("/contacts/contact/{id}", (string id, ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
            DeleteAsync(user, records, campaigns, (c, t) => c.ByIdAsync(JtelContacts.ParseId(id), t), ct)).RequireAuthorization(Policies.Write);

        dialler.MapDelete("/contacts/contact", (string? userData, ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
            DeleteAsync(user, records, campaigns, (c, t) => c.FirstByUserDataAsync(userData, t), ct)).RequireAuthorization(Policies.Write);

        dialler.MapPost("/contacts/contact/{id}/{action}", (string id, string action, ClaimsPrincipal user, RecordOperations records, RecordControlOperations control, CampaignOperations campaigns, CancellationToken ct) =>
            ControlAsync(action, user, records, control, campaigns, (c, t) => c.ByIdAsync(JtelContacts.ParseId(id), t), ct)).RequireAuthorization(Policies.Write);

        dialler.MapPost("/contacts/contact/{action}", (string action, string? userData, ClaimsPrincipal user, RecordOperations records, RecordControlOperations control, CampaignOperations campaigns, CancellationToken ct) =>
            ControlAsync(action, user, records, control, campaigns, (c, t) => c.FirstByUserDataAsync(userData, t), ct)).RequireAuthorization(Policies.Write);

        dialler.MapGet("/contacts/contact/{id}/history", async (string id, ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var contacts = await JtelContacts.OpenAsync(user.TenantId(), records, campaigns, ct);
            return JtelResults.Records(await contacts.HistoryAsync(await contacts.ByIdAsync(JtelContacts.ParseId(id), ct), ct));
        });

        // Every contact with the UserData, as the document says for history (not only the first).
        dialler.MapGet("/contacts/contact/history", async (string? userData, ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns, CancellationToken ct) =>
        {
            var contacts = await JtelContacts.OpenAsync(user.TenantId(), records, campaigns, ct);
            var found = await contacts.ByUserDataAsync(userData, int.MaxValue, null, ct);
            if (found.Count == 0) throw OperationException.NotFound($"dialler contact with UserData '{userData}'");
            var answer = new List<JsonNode>();
            foreach (var r in found) answer.AddRange(await contacts.HistoryAsync(r, ct));
            return JtelResults.Records(answer);
        });
    }

    private static async Task<IResult> DeleteAsync(ClaimsPrincipal user, RecordOperations records, CampaignOperations campaigns,
        Func<JtelContacts, CancellationToken, Task<StoredRecord>> find, CancellationToken ct)
    {
        var contacts = await JtelContacts.OpenAsync(user.TenantId(), records, campaigns, ct);
        var record = await find(contacts, ct);
        await records.DeleteAsync(contacts.Tenant, record.Record.Id, ct);
        return JtelResults.Records([]);
    }

    /// <summary>Lock, unlock or reset; answers the contact as it is after.</summary>
    private static async Task<IResult> ControlAsync(string action, ClaimsPrincipal user, RecordOperations records, RecordControlOperations control,
        CampaignOperations campaigns, Func<JtelContacts, CancellationToken, Task<StoredRecord>> find, CancellationToken ct)
    {
        if (!Actions.Contains(action, StringComparer.Ordinal))
            return JtelResults.Error(StatusCodes.Status404NotFound, $"no contact function '{action}': use lock, unlock or reset");
        var contacts = await JtelContacts.OpenAsync(user.TenantId(), records, campaigns, ct);
        var id = (await find(contacts, ct)).Record.Id;
        var after = action switch
        {
            "lock" => await control.LockAsync(contacts.Tenant, id, ct),
            "unlock" => await control.UnlockAsync(contacts.Tenant, id, ct),
            _ => await control.ResetAsync(contacts.Tenant, id, ct),
        };
        return JtelResults.Records([await contacts.AnswerAsync(after, null, ct)]);
    }

    private static long? Integer(HttpRequest request, string name, long? absent, long min)
    {
        if (!request.Query.TryGetValue(name, out var values) || string.IsNullOrEmpty(values.ToString())) return absent;
        return long.TryParse(values.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ValidationException($"'{name}' must be an integer of at least {min}, got '{values}'", name);
    }

    private static bool Flag(HttpRequest request, string name) =>
        !request.Query.TryGetValue(name, out var values) || string.IsNullOrEmpty(values.ToString()) ? false
        : bool.TryParse(values.ToString(), out var flag) ? flag
        : throw new ValidationException($"'{name}' must be true or false, got '{values}'", name);
}
