using CsCheck;

namespace Outdial.Data.Tests.Sqlite;

public sealed class ClaimProperties
{
    /// <summary>Whatever the priorities and batch sizes, draining a campaign claims every record exactly once, in pick order.</summary>
    [Fact]
    public async Task Draining_claims_each_record_once_in_priority_then_waiting_order()
    {
        var gen = Gen.Select(Gen.Int[0, 3].List[1, 40], Gen.Int[1, 9]);
        // Fixed seeds (one per case) keep runs reproducible; each case builds its own database.
        for (ulong i = 1; i <= 20; i++)
        {
            await gen.SampleAsync(async (priorities, batch) =>
            {
                await using var db = await DialingDb.CreateAsync();
                var serials = await db.AddRecordsAsync(priorities.Count, k => priorities[k]);
                var claimed = new List<long>();
                while (await db.ClaimAsync(batch) is { Count: > 0 } got)
                {
                    Assert.True(got.Count <= batch);
                    claimed.AddRange(got.Select(c => c.Record.Number));
                }
                var expected = serials.Select((s, k) => (s, p: priorities[k])).OrderByDescending(x => x.p).ThenBy(x => x.s).Select(x => x.s);
                Assert.Equal(expected, claimed);
            }, seed: new PCG(11, i).ToString(i), iter: 1, threads: 1);
        }
    }
}
