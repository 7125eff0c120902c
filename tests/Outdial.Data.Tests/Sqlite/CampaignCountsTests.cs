using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Sqlite;

/// <summary>Counts and result statistics come from the tallies (migration 0014) and a few indexed reads; they must equal
/// the plain definition over every progress row, whatever the rows hold.</summary>
public sealed class CampaignCountsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const long Never = long.MaxValue;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Counts_and_result_statistics_equal_a_recount_of_the_progress_rows(int seed)
    {
        await using var db = await DialingDb.CreateAsync(c => c with { RetryCount = 2 });
        await db.AddRecordsAsync(400);
        // A second campaign on the same list: its rows must not leak into the first one's counts.
        var other = await db.Store.CreateCampaignAsync(db.Tenant, db.Campaign with { Id = Id32.New(), Name = "other", DefaultListId = null }, Ct);
        Assert.True(await db.Store.AttachListAsync(db.Tenant, other.Id, db.Campaign.DefaultListId!, Ct));
        var random = new Random(seed);
        var now = db.Now.ToUnixTimeMilliseconds();

        for (var round = 0; round < 4; round++)
        {
            foreach (var id in Enumerable.Range(1, 400).Where(_ => random.NextDouble() < 0.5))
            {
                string? Pick(params string?[] values) => values[random.Next(values.Length)];
                db.Sql("""
                    UPDATE campaign_records SET state = $state, app_state = $app, call_count = $calls, result = $result,
                           call_result = $callResult, classifier = $classifier, scheduled_at = $scheduled
                    WHERE record_id = $id AND campaign_id = (SELECT id FROM campaigns WHERE uid = $campaign)
                    """,
                    ("$id", id), ("$campaign", random.NextDouble() < 0.8 ? db.Campaign.Id : other.Id),
                    ("$state", Pick("OPEN", "OPEN", "OPEN", "CLOSED")), ("$app", Pick("NEW", "RETRY", "RECALL")), ("$calls", random.Next(5)),
                    ("$result", Pick(null, "BUSY", "NOANSWER", "MAXCALLS", "SUCCESS")), ("$callResult", Pick(null, "BUSY", "ANSWERED")),
                    ("$classifier", Pick(null, "", "Offer accepted")),
                    ("$scheduled", random.Next(3) switch { 0 => null, 1 => now - 60_000, _ => now + 3_600_000 }));
            }
            db.Sql("UPDATE records SET locked = (abs(random()) % 10 = 0)");
            db.Sql($"UPDATE pick_queue SET due = {Never} WHERE abs(random()) % 8 = 0 AND lease_owner IS NULL");
            if (round == 2)
            {
                db.Sql("DELETE FROM records WHERE id % 13 = 0");
                await db.Store.UpdateCampaignAsync(db.Tenant, db.Campaign with { RetryCount = 4 }, Ct);
            }
            db.AssertDerivedConsistent();

            var counts = (await db.Store.GetCampaignCountsAsync(db.Tenant, db.Campaign.Id, db.Now, Ct))!;
            var campaign = ("$campaign", (object?)db.Campaign.Id);
            const string rows = """
                FROM campaign_records cr JOIN records r ON r.id = cr.record_id JOIN campaigns c ON c.id = cr.campaign_id
                WHERE c.uid = $campaign
                """;
            const string callable = """
                cr.state <> 'CLOSED' AND r.locked = 0 AND (cr.app_state = 'RECALL' OR cr.call_count < max(0, c.retry_count) + 1)
                AND (cr.scheduled_at IS NULL OR cr.scheduled_at <= $now)
                """;
            Assert.Equal(db.Scalar($"SELECT count(*) {rows}", campaign), counts.Total);
            Assert.Equal(db.Scalar($"SELECT count(*) {rows} AND cr.state = 'CLOSED'", campaign), counts.Handled);
            Assert.Equal(db.Scalar($"SELECT count(*) {rows} AND cr.state <> 'CLOSED'", campaign), counts.NotHandled);
            Assert.Equal(db.Scalar($"SELECT count(*) {rows} AND cr.state <> 'CLOSED' AND cr.result = 'MAXCALLS'", campaign), counts.MaxCalls);
            Assert.Equal(db.Scalar($"SELECT count(*) {rows} AND cr.state <> 'CLOSED' AND r.locked = 1", campaign), counts.Filtered);
            Assert.Equal(db.Scalar($"""
                SELECT count(*) {rows} AND {callable}
                  AND NOT EXISTS (SELECT 1 FROM pick_queue q WHERE q.campaign_id = cr.campaign_id AND q.record_id = cr.record_id
                                  AND (q.due = {Never} OR q.attempt_id IS NOT NULL))
                """, campaign, ("$now", now)), counts.Callable);

            var statistics = await db.Store.GetResultStatisticsAsync(db.Tenant, db.Campaign.Id, Ct);
            Assert.Equal(db.Scalar($"SELECT count(DISTINCT coalesce(cr.result, '') || '|' || coalesce('=' || cr.call_result, '') || '|' || coalesce('=' || cr.classifier, '')) {rows} AND cr.result IS NOT NULL", campaign), statistics.Count);
            foreach (var s in statistics)
                Assert.Equal(db.Scalar($"SELECT count(*) {rows} AND cr.result = $r AND cr.call_result IS $cr AND cr.classifier IS $cl",
                    campaign, ("$r", s.Result), ("$cr", s.CallResult), ("$cl", s.Classifier)), s.Count);
        }
    }

    [Fact]
    public async Task Customers_of_a_period_are_those_created_before_its_end()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(50);
        db.Time.Advance(TimeSpan.FromDays(1));
        await db.AddRecordsAsync(30, firstNumber: 100);
        db.Time.Advance(TimeSpan.FromDays(1));
        await db.AddRecordsAsync(20, firstNumber: 200);
        db.Sql("DELETE FROM records WHERE id % 7 = 0");
        // Another campaign's list, created in between: not this campaign's customers.
        var other = await db.Store.CreateCampaignAsync(db.Tenant, db.Campaign with { Id = Id32.New(), Name = "other", DefaultListId = null }, Ct);
        await using (var writer = (await db.Store.BeginRecordWriteAsync(db.Tenant, other.DefaultListId!, DuplicatePolicy.reject, null, Ct))!)
        {
            for (var i = 0; i < 10; i++)
                Assert.Equal(RowStatus.Created, writer.Write(new RecordDraft { ExternalId = $"o{i}", Phones = [new RecordPhone { Raw = DialingDb.Number(900 + i), E164 = DialingDb.Number(900 + i) }] }).Status);
            await writer.CommitAsync(Ct);
        }

        foreach (var to in new[] { DialingDb.T0, DialingDb.T0.AddMilliseconds(1), DialingDb.T0.AddDays(1), DialingDb.T0.AddDays(1.5), db.Now, db.Now.AddMilliseconds(1), db.Now.AddDays(3) })
        {
            var statistics = (await db.Store.GetStatisticsAsync(db.Tenant, db.Campaign.Id, DateTimeOffset.UnixEpoch, to, null, db.Now, Ct))!;
            Assert.Equal(db.Scalar("""
                SELECT count(*) FROM campaign_records cr JOIN records r ON r.id = cr.record_id JOIN campaigns c ON c.id = cr.campaign_id
                WHERE c.uid = $campaign AND r.created < $to
                """, ("$campaign", db.Campaign.Id), ("$to", to.ToUnixTimeMilliseconds())), statistics.NumberOfCustomers);
        }
    }

    [Fact]
    public async Task A_list_attached_to_a_campaign_during_an_import_gets_every_record_of_it()
    {
        await using var db = await DialingDb.CreateAsync();
        var other = await db.Store.CreateCampaignAsync(db.Tenant, db.Campaign with { Id = Id32.New(), Name = "other", DefaultListId = null }, Ct);
        RecordDraft Draft(int i) => new() { ExternalId = $"r{i}", Phones = [new RecordPhone { Raw = DialingDb.Number(i), E164 = DialingDb.Number(i) }] };
        await using (var writer = (await db.Store.BeginRecordWriteAsync(db.Tenant, db.Campaign.DefaultListId!, DuplicatePolicy.reject, null, Ct))!)
        {
            Assert.Equal(RowStatus.Created, writer.Write(Draft(1)).Status);
            await writer.CommitAsync(Ct);
            // Between two of the import's transactions the write lock is free: the list is attached to another campaign.
            Assert.True(await db.Store.AttachListAsync(db.Tenant, other.Id, db.Campaign.DefaultListId!, Ct).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(RowStatus.Created, writer.Write(Draft(2)).Status);
            await writer.CommitAsync(Ct);
        }
        Assert.Equal(2, db.Scalar("SELECT count(*) FROM campaign_records cr JOIN campaigns c ON c.id = cr.campaign_id WHERE c.uid = $c", ("$c", other.Id)));
        db.AssertDerivedConsistent();
    }
}
