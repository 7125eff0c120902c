using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>The completed-records feed: completion order, filters, and a cursor that never skips or repeats, also while
/// several writers complete records and a reader pages.</summary>
public abstract class CompletedContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    private Task<long?> CompleteOneAsync(Campaign campaign, IStore? store = null, string owner = "dialer") =>
        StoreFixture.CompleteOneAsync(store ?? Store, TenantA, campaign.Id, owner, Now, Ct);

    private async Task<List<CompletedRecord>> ReadAllAsync(Campaign campaign, int limit, string? listId = null, DateTimeOffset? since = null)
    {
        var all = new List<CompletedRecord>();
        while (true)
        {
            var page = (await Store.GetCompletedAsync(TenantA, campaign.Id, listId, since, all.Count == 0 ? 0 : all[^1].Sequence, limit, Ct))!;
            Assert.InRange(page.Count, 0, limit);
            all.AddRange(page);
            if (page.Count < limit) return all;
        }
    }

    [Fact]
    public async Task Completed_records_come_in_completion_order_with_the_facts_of_their_last_attempt()
    {
        var campaign = await CampaignAsync(TenantA);
        await RecordsAsync(TenantA, campaign.DefaultListId!, 5);
        var completed = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            completed.Add((await CompleteOneAsync(campaign))!.Value);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var all = await ReadAllAsync(campaign, limit: 2);
        Assert.Equal(completed, all.Select(c => c.Record.Record.Number));
        Assert.Equal(all.Select(c => c.Sequence).Order(), all.Select(c => c.Sequence));
        Assert.Equal(5, all.Select(c => c.Sequence).Distinct().Count());
        var first = all[0];
        Assert.Equal((first.Record.Record.Phones[0].E164, 12.0, (string?)null, 1L), (first.LastPhone, first.LastCallDuration, first.LastAgent, first.TotalAttempts));
        Assert.Equal((RecordState.CLOSED, T0), (Assert.Single(first.Record.Progress).State, first.Record.Progress[0].ClosedAt!.Value));

        // Since: completed at or after that time.
        Assert.Equal(completed[2..], (await ReadAllAsync(campaign, 10, since: T0.AddSeconds(2))).Select(c => c.Record.Record.Number));
        Assert.Empty((await Store.GetCompletedAsync(TenantA, campaign.Id, null, null, all[^1].Sequence, 10, Ct))!);
    }

    [Fact]
    public async Task The_feed_of_one_list_and_of_nothing_known()
    {
        var campaign = await CampaignAsync(TenantA);
        var extra = await ListAsync(TenantA, "extra");
        await RecordsAsync(TenantA, campaign.DefaultListId!, 2);
        var inExtra = await RecordsAsync(TenantA, extra.Id, 2, first: 10);
        Assert.True(await Store.AttachListAsync(TenantA, campaign.Id, extra.Id, Ct));
        while (await CompleteOneAsync(campaign) is not null) { }

        Assert.Equal(4, (await ReadAllAsync(campaign, 10)).Count);
        Assert.Equal(inExtra.Order(), (await ReadAllAsync(campaign, 10, extra.Id)).Select(c => c.Record.Record.Number).Order());
        Assert.Null(await Store.GetCompletedAsync(TenantA, Id32.New(), null, null, 0, 10, Ct));
        var outside = await ListAsync(TenantA, "outside");
        Assert.Null(await Store.GetCompletedAsync(TenantA, campaign.Id, outside.Id, null, 0, 10, Ct));
    }

    [Fact]
    public async Task A_sequence_is_not_given_again_after_the_record_holding_the_largest_is_deleted()
    {
        var campaign = await CampaignAsync(TenantA);
        await RecordsAsync(TenantA, campaign.DefaultListId!, 3);
        await CompleteOneAsync(campaign);
        await CompleteOneAsync(campaign);
        var read = await ReadAllAsync(campaign, 10);
        Assert.True(await Store.DeleteRecordAsync(TenantA, read[^1].Record.Record.Id, Ct));

        var next = (await CompleteOneAsync(campaign))!.Value;
        var page = (await Store.GetCompletedAsync(TenantA, campaign.Id, null, null, read[^1].Sequence, 10, Ct))!;
        Assert.Equal(next, Assert.Single(page).Record.Record.Number);
    }

    [Fact]
    public async Task A_record_completed_again_after_its_list_is_detached_and_attached_comes_again_with_a_larger_sequence()
    {
        var campaign = await CampaignAsync(TenantA);
        var extra = await ListAsync(TenantA, "extra");
        var serial = Assert.Single(await RecordsAsync(TenantA, extra.Id, 1));
        Assert.True(await Store.AttachListAsync(TenantA, campaign.Id, extra.Id, Ct));
        Assert.Equal(serial, await CompleteOneAsync(campaign));
        var first = Assert.Single(await ReadAllAsync(campaign, 10));

        Assert.True(await Store.DetachListAsync(TenantA, campaign.Id, extra.Id, Ct));
        Assert.Empty(await ReadAllAsync(campaign, 10));
        Assert.True(await Store.AttachListAsync(TenantA, campaign.Id, extra.Id, Ct));
        Assert.Equal(serial, await CompleteOneAsync(campaign));
        var again = Assert.Single((await Store.GetCompletedAsync(TenantA, campaign.Id, null, null, first.Sequence, 10, Ct))!);
        Assert.Equal(serial, again.Record.Record.Number);
    }

    [Fact]
    public async Task A_reader_paging_while_several_writers_complete_records_sees_each_completion_once()
    {
        const int records = 60;
        var campaign = await CampaignAsync(TenantA);
        await RecordsAsync(TenantA, campaign.DefaultListId!, records);
        var seen = new List<CompletedRecord>();
        async Task<int> ReadPageAsync()
        {
            var page = (await Store.GetCompletedAsync(TenantA, campaign.Id, null, null, seen.Count == 0 ? 0 : seen[^1].Sequence, 3, Ct))!;
            seen.AddRange(page);
            return page.Count;
        }

        var completed = await CompleteInRoundsAsync(campaign, ReadPageAsync);

        Assert.Equal(records, completed);
        Assert.Equal(records, seen.Select(c => c.Record.Record.Number).Distinct().Count());
        Assert.Equal(records, seen.Count);
        Assert.Equal(seen.Select(c => c.Sequence).Order(), seen.Select(c => c.Sequence));
    }

    [Fact]
    public async Task A_reader_paging_by_completed_time_alone_while_several_writers_complete_in_one_millisecond_sees_each_completion_once()
    {
        const int records = 48;
        var campaign = await CampaignAsync(TenantA);
        await RecordsAsync(TenantA, campaign.DefaultListId!, records);
        var seen = new List<CompletedRecord>();
        async Task<int> ReadPageAsync()
        {
            // Bright Pattern's client: from the last time read, dropping the record read last (it comes first again).
            var from = seen.Count == 0 ? T0.AddDays(-1) : seen[^1].CompletedTime;
            var page = (await Store.GetCompletedFromAsync(TenantA, campaign.Id, null, from, 3, Ct))!;
            var fresh = seen.Count > 0 && page.Count > 0 && page[0].Sequence == seen[^1].Sequence ? page.Skip(1).ToList() : [.. page];
            seen.AddRange(fresh);
            return fresh.Count;
        }

        // The clock stands still: every completion closes in the same millisecond.
        var completed = await CompleteInRoundsAsync(campaign, ReadPageAsync);

        Assert.Equal(records, completed);
        Assert.Equal(records, seen.Count);
        Assert.Equal(records, seen.Select(c => c.Record.Record.Number).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, records).Select(i => T0.AddMicroseconds(i)), seen.Select(c => c.CompletedTime));
    }

    /// <summary>Completes every record of the campaign by several servers sharing the database while a reader pages, until
    /// nothing is left and the reader has read it all; the number completed.</summary>
    /// <remarks>In rounds, so reads fall both during completions and between them whatever the machine's speed: each round
    /// the writers complete one record each at the same time while the reader pages.</remarks>
    private async Task<int> CompleteInRoundsAsync(Campaign campaign, Func<Task<int>> readPageAsync, int writers = 4)
    {
        var stores = new List<IStore>();
        for (var i = 0; i < writers; i++) stores.Add(await Fixture.OpenAsync(Time, Ct)); // servers sharing the database
        var completed = 0;
        while (true)
        {
            var round = Task.WhenAll(stores.Select((store, i) => Task.Run(() => CompleteOneAsync(campaign, store, $"writer-{i}"))));
            while (!round.IsCompleted)
            {
                await readPageAsync();
                await Task.Yield();
            }
            var done = (await round).Count(r => r is not null);
            if (done == 0) break;
            completed += done;
        }
        while (await readPageAsync() > 0) { }
        return completed;
    }
}
