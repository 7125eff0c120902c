using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Records;
using Outdial.Engine.Records;

namespace Outdial.Engine.Tests.Records;

/// <summary>What a reset and an edit of a record's numbers leave of each number, and numbers kept though invalid.</summary>
public sealed class RecordResetTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static RecordPhone Dialed(string e164, bool invalid = false, string? reason = null) => new()
    {
        Raw = e164,
        E164 = e164,
        Tries = 3,
        TriesToday = 2,
        LastTry = T,
        NextTry = T.AddHours(1),
        Invalid = invalid,
        InvalidReason = reason,
    };

    [Fact]
    public void A_reset_zeroes_every_counter_and_revalidates_only_what_the_dialer_invalidated()
    {
        var junk = new RecordPhone { Raw = "junk", Invalid = true, InvalidReason = "not a number" };
        var reset = RecordReset.Phones([Dialed("+4930111"), Dialed("+4930222", true, nameof(CallResult.INVALID_NUMBER)), Dialed("+4930333", true, nameof(CallResult.FAX)), junk]);
        Assert.All(reset, p => Assert.Equal((0, 0, (DateTimeOffset?)null, (DateTimeOffset?)null), (p.Tries, p.TriesToday, p.LastTry, p.NextTry)));
        Assert.Equal([false, false, false, true], reset.Select(p => p.Invalid));
        Assert.Equal([null, null, null, "not a number"], reset.Select(p => p.InvalidReason));
    }

    [Fact]
    public void An_edit_keeps_the_counters_of_numbers_the_record_already_had()
    {
        var before = new[] { Dialed("+4930111"), Dialed("+4930222", true, nameof(CallResult.INVALID_NUMBER)) };
        var after = RecordValidation.Build(new RecordFields { Numbers = ["+49 30 222", "+4930444"] }, null, out var error);
        Assert.Null(error);
        var carried = PhoneCounters.Carry(before, after.Phones);
        Assert.Equal((3, 2, true, nameof(CallResult.INVALID_NUMBER)), (carried[0].Tries, carried[0].TriesToday, carried[0].Invalid, carried[0].InvalidReason));
        Assert.Equal((0, false), (carried[1].Tries, carried[1].Invalid));
    }

    [Fact]
    public void Numbers_that_do_not_parse_are_refused_unless_kept_on_request()
    {
        var fields = new RecordFields { Numbers = ["PhoneNumber1", "+4930123456"] };
        Assert.Null(RecordValidation.Build(fields, null, out var error));
        Assert.Contains("PhoneNumber1", error, StringComparison.Ordinal);

        var kept = RecordValidation.Build(fields with { InvalidNumbers = InvalidNumbers.Keep }, null, out error);
        Assert.Null(error);
        Assert.Equal([true, false], kept.Phones.Select(p => p.Invalid));
        Assert.Equal("PhoneNumber1", kept.Phones[0].Raw);
    }
}
