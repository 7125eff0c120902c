namespace Outdial.Data.Tests.Sqlite;

/// <summary>Record serials (CallRecord.Number, the handles agents hold) are never given to another record.</summary>
public sealed class RecordSerialTests
{
    [Fact]
    public async Task A_deleted_records_serial_is_not_given_to_the_next_record()
    {
        await using var db = await DialingDb.CreateAsync();
        var first = await db.AddRecordsAsync(4);
        // The newest two: a rowid without AUTOINCREMENT would be handed out again as one more than the largest left.
        Assert.Equal(2, db.Sql("DELETE FROM records WHERE id >= $id", ("$id", first[2])));

        var next = await db.AddRecordsAsync(3, firstNumber: 4);
        Assert.Equal(first[3] + 1, next[0]);
        Assert.Equal([first[3] + 2, first[3] + 3], next[1..]);
        Assert.Empty(next.Intersect(first));
    }

    [Fact]
    public async Task Serials_stay_unique_when_every_record_is_deleted_in_batches()
    {
        await using var db = await DialingDb.CreateAsync();
        var seen = new HashSet<long>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var serial in await db.AddRecordsAsync(5, firstNumber: round * 5))
                Assert.True(seen.Add(serial), $"serial {serial} given twice");
            db.Sql("DELETE FROM records");
        }
        db.AssertDerivedConsistent();
    }
}
