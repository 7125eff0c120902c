using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Record writes under each duplicate policy, externalId uniqueness per list, stable ids and serials, search and
/// cursor paging.</summary>
public abstract class RecordsContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    [Fact]
    public async Task Reject_fails_a_repeated_externalId_and_leaves_the_record_as_it_was()
    {
        var list = await ListAsync(TenantA, "list");
        var first = (await WriteAsync(TenantA, list.Id, DuplicatePolicy.reject, Draft("x", 1)))[0];
        var again = await WriteAsync(TenantA, list.Id, DuplicatePolicy.reject, Draft("x", 2), Draft("y", 3));
        Assert.Equal([RowStatus.Failed, RowStatus.Created], again.Select(o => o.Status));
        Assert.Null(again[0].Id);
        Assert.Equal(Number(1), (await Store.GetRecordAsync(TenantA, first.Id!, Ct))!.Record.Phones[0].E164);
    }

    [Fact]
    public async Task Skip_keeps_the_stored_record_and_says_so()
    {
        var list = await ListAsync(TenantA, "list");
        var first = (await WriteAsync(TenantA, list.Id, DuplicatePolicy.reject, Draft("x", 1)))[0];
        var again = (await WriteAsync(TenantA, list.Id, DuplicatePolicy.skip, Draft("x", 2)))[0];
        Assert.Equal(RowStatus.Skipped, again.Status);
        Assert.Equal(Number(1), (await Store.GetRecordAsync(TenantA, first.Id!, Ct))!.Record.Phones[0].E164);
    }

    [Fact]
    public async Task Overwrite_replaces_the_data_and_keeps_the_id_the_serial_and_the_progress()
    {
        var campaign = await CampaignAsync(TenantA);
        var first = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.reject, Draft("x", 1, priority: 1)))[0];
        Time.Advance(TimeSpan.FromMinutes(1));
        var again = (await WriteAsync(TenantA, campaign.DefaultListId!, DuplicatePolicy.overwrite, Draft("x", 2, priority: 5)))[0];
        Assert.Equal((RowStatus.Updated, first.Id, first.Serial), (again.Status, again.Id, again.Serial));
        var stored = (await Store.GetRecordAsync(TenantA, first.Id!, Ct))!;
        Assert.Equal((Number(2), 5, first.Serial), (stored.Record.Phones[0].E164, stored.Record.Priority, stored.Record.Number));
        Assert.Equal(T0.AddMinutes(1), stored.Record.Modified);
        Assert.Equal(campaign.Id, Assert.Single(stored.Progress).CampaignId);
        Assert.Equal(1, (await Store.GetCampaignCountsAsync(TenantA, campaign.Id, Now, Ct))!.Total);
    }

    [Fact]
    public async Task An_externalId_is_unique_in_its_list_only_and_an_update_cannot_take_one_in_use()
    {
        var one = await ListAsync(TenantA, "one");
        var two = await ListAsync(TenantA, "two");
        var a = (await WriteAsync(TenantA, one.Id, DuplicatePolicy.reject, Draft("x", 1), Draft("y", 2)))[0];
        Assert.Equal(RowStatus.Created, (await WriteAsync(TenantA, two.Id, DuplicatePolicy.reject, Draft("x", 3)))[0].Status);
        await Assert.ThrowsAsync<ConflictException>(() => Store.UpdateRecordAsync(TenantA, a.Id!, Draft("y", 1), Ct));
        Assert.True(await Store.UpdateRecordAsync(TenantA, a.Id!, Draft("z", 4), Ct));
        var stored = (await Store.GetRecordAsync(TenantA, a.Id!, Ct))!.Record;
        Assert.Equal(("z", Number(4), a.Serial), (stored.ExternalId, stored.Phones[0].E164, stored.Number));
        // A draft without an externalId keeps the record's.
        Assert.True(await Store.UpdateRecordAsync(TenantA, a.Id!, Draft(null, 5), Ct));
        Assert.Equal("z", (await Store.GetRecordAsync(TenantA, a.Id!, Ct))!.Record.ExternalId);
    }

    [Fact]
    public async Task Records_get_an_id32_and_a_growing_integer_serial_that_never_change_or_return()
    {
        var list = await ListAsync(TenantA, "list");
        var written = await WriteAsync(TenantA, list.Id, DuplicatePolicy.reject, Draft("a", 1), Draft(null, 2), Draft("c", 3));
        Assert.All(written, o => Assert.True(Id32.TryNormalize(o.Id, out var id) && id == o.Id));
        Assert.Equal(written.Select(o => o.Serial).Order(), written.Select(o => o.Serial));
        Assert.Equal(3, written.Select(o => o.Serial).Distinct().Count());
        // Without an externalId, the record's id is its externalId.
        Assert.Equal(written[1].Id, (await Store.GetRecordAsync(TenantA, written[1].Id!, Ct))!.Record.ExternalId);

        Assert.True(await Store.DeleteRecordAsync(TenantA, written[1].Id!, Ct));
        Assert.False(await Store.DeleteRecordAsync(TenantA, written[1].Id!, Ct));
        Assert.Null(await Store.GetRecordAsync(TenantA, written[1].Id!, Ct));
        var later = (await WriteAsync(TenantA, list.Id, DuplicatePolicy.reject, Draft("b", 2)))[0];
        Assert.True(later.Serial > written[2].Serial);
        Assert.NotEqual(written[1].Id, later.Id);
        var stored = (await Store.GetRecordAsync(TenantA, written[0].Id!, Ct))!.Record;
        Assert.Equal((written[0].Id, written[0].Serial), (stored.Id, stored.Number));
    }

    [Fact]
    public async Task The_newest_records_serial_is_not_given_again_after_it_is_deleted()
    {
        var list = await ListAsync(TenantA, "list");
        var newest = (await WriteAsync(TenantA, list.Id, DuplicatePolicy.reject, Draft("a", 1), Draft("b", 2)))[1];
        Assert.True(await Store.DeleteRecordAsync(TenantA, newest.Id!, Ct));
        var later = (await WriteAsync(TenantA, list.Id, DuplicatePolicy.reject, Draft("c", 3)))[0];
        Assert.True(later.Serial > newest.Serial);
    }

    [Fact]
    public async Task A_rolled_back_write_leaves_nothing()
    {
        var list = await ListAsync(TenantA, "list");
        await using (var writer = (await Store.BeginRecordWriteAsync(TenantA, list.Id, DuplicatePolicy.reject, null, Ct))!)
        {
            Assert.Equal(RowStatus.Created, writer.Write(Draft("a", 1)).Status);
            await writer.CommitAsync(Ct);
            Assert.Equal(RowStatus.Created, writer.Write(Draft("b", 2)).Status);
            await writer.RollbackAsync(Ct);
            Assert.Equal(RowStatus.Created, writer.Write(Draft("c", 3)).Status);
        } // disposed without a commit: c is discarded too
        Assert.Equal(["a"], (await Store.SearchRecordsAsync(TenantA, new RecordQuery { ListId = list.Id }, Ct)).Items.Select(r => r.Record.ExternalId));
    }

    [Fact]
    public async Task Search_filters_by_field_pattern_list_and_attribute()
    {
        var one = await ListAsync(TenantA, "one");
        var two = await ListAsync(TenantA, "two");
        await WriteAsync(TenantA, one.Id, DuplicatePolicy.reject, Draft("ab-1", 1, priority: 3), Draft("ab-2", 2), Draft("cd-1", 3, priority: 3));
        await WriteAsync(TenantA, two.Id, DuplicatePolicy.reject, Draft("ab-3", 4) with { Attributes = [new RecordAttribute("city", "Leeds")] });

        async Task<string[]> Ids(RecordQuery q) =>
            (await Store.SearchRecordsAsync(TenantA, q, Ct)).Items.Select(r => r.Record.ExternalId).ToArray();
        Assert.Equal(["ab-1", "ab-2", "ab-3"], await Ids(new RecordQuery { Filters = [new FieldFilter(RecordField.externalId, "ab-*")] }));
        Assert.Equal(["ab-1", "ab-2"], await Ids(new RecordQuery { ListId = one.Id, Filters = [new FieldFilter(RecordField.externalId, "ab-?")] }));
        Assert.Equal(["ab-1", "cd-1"], await Ids(new RecordQuery { Filters = [new FieldFilter(RecordField.priority, "3")] }));
        Assert.Equal(["cd-1"], await Ids(new RecordQuery { Filters = [new FieldFilter(RecordField.numbers, Number(3))] }));
        Assert.Equal(["ab-3"], await Ids(new RecordQuery { AttributeName = "city", AttributeValue = "leeds" }));
        Assert.Empty(await Ids(new RecordQuery { AttributeName = "city", AttributeValue = "York" }));
        // A pattern's LIKE metacharacters are literal.
        Assert.Empty(await Ids(new RecordQuery { Filters = [new FieldFilter(RecordField.externalId, "ab_1")] }));
    }

    [Fact]
    public async Task Cursor_paging_never_skips_or_repeats_while_records_are_added_and_deleted()
    {
        var list = await ListAsync(TenantA, "list");
        var serials = await RecordsAsync(TenantA, list.Id, 25);
        var present = new HashSet<long>(serials);
        var seen = new List<long>();
        long? after = null;
        var added = 100;
        do
        {
            var page = await Store.SearchRecordsAsync(TenantA, new RecordQuery { ListId = list.Id, Limit = 7, After = after }, Ct);
            Assert.InRange(page.Items.Count, 1, 7);
            seen.AddRange(page.Items.Select(r => r.Record.Number));
            after = page.NextAfter;
            // Between pages: one record not read yet is deleted, one is added at the end.
            var ahead = present.Where(s => s > seen[^1]).Order().FirstOrDefault();
            if (ahead != 0)
            {
                var victim = (await Store.SearchRecordsAsync(TenantA, new RecordQuery { ListId = list.Id, After = ahead - 1, Limit = 1 }, Ct)).Items[0];
                Assert.True(await Store.DeleteRecordAsync(TenantA, victim.Record.Id, Ct));
                present.Remove(ahead);
            }
            foreach (var s in await RecordsAsync(TenantA, list.Id, 1, first: added++)) present.Add(s);
        } while (after is not null);

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(seen.Order(), seen);
        // Every record present from the first page to the last was read.
        Assert.Subset(seen.ToHashSet(), present.Where(s => s <= seen[^1]).ToHashSet());
    }
    /// <summary>A campaign's pages walk its own progress rows: records of its lists interleaved with a list it does not
    /// dial and with another campaign's come once each, in serial order, each with its progress in this campaign.</summary>
    [Fact]
    public async Task A_campaigns_cursor_pages_hold_exactly_its_records_across_its_lists()
    {
        var campaign = await CampaignAsync(TenantA, "paged");
        var other = await CampaignAsync(TenantA, "other");
        var second = await ListAsync(TenantA, "second");
        var outside = await ListAsync(TenantA, "outside");
        Assert.True(await Store.AttachListAsync(TenantA, campaign.Id, second.Id, Ct));
        var mine = new List<long>();
        for (var round = 0; round < 4; round++)
        {
            mine.AddRange(await RecordsAsync(TenantA, campaign.DefaultListId!, 3, first: 100 * round));
            await RecordsAsync(TenantA, outside.Id, 2, first: 100 * round + 10);
            mine.AddRange(await RecordsAsync(TenantA, second.Id, 2, first: 100 * round + 20));
            await RecordsAsync(TenantA, other.DefaultListId!, 2, first: 100 * round + 30);
        }

        var seen = new List<long>();
        long? after = null;
        do
        {
            var page = await Store.SearchRecordsAsync(TenantA, new RecordQuery { CampaignId = campaign.Id, Limit = 3, After = after }, Ct);
            Assert.All(page.Items, r => Assert.Equal([campaign.Id], r.Progress.Select(p => p.CampaignId)));
            seen.AddRange(page.Items.Select(r => r.Record.Number));
            after = page.NextAfter;
        } while (after is not null);
        Assert.Equal(mine.Order(), seen);
        // Descending from a cursor, and another tenant's key sees nothing of the campaign.
        var back = await Store.SearchRecordsAsync(TenantA, new RecordQuery { CampaignId = campaign.Id, Descending = true, Limit = 100, After = mine[5] }, Ct);
        Assert.Equal(mine.Take(5).Reverse(), back.Items.Select(r => r.Record.Number));
        Assert.Empty((await Store.SearchRecordsAsync(TenantB, new RecordQuery { CampaignId = campaign.Id }, Ct)).Items);
    }
}
