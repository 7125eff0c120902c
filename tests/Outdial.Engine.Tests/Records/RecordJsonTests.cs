using CsCheck;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;

namespace Outdial.Engine.Tests.Records;

public sealed class RecordJsonTests
{
    private static readonly Gen<RecordPhone> PhoneGen =
        from raw in Gen.String
        from e164 in Gen.String.Null()
        from zones in Gen.String.Array[0, 4]
        from invalid in Gen.Bool
        from tries in Gen.Int[0, 50]
        from hasLast in Gen.Bool
        from ms in Gen.Long[0, 4_000_000_000_000]
        let last = hasLast ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null
        select new RecordPhone { Raw = raw, E164 = e164, TimeZones = zones, Invalid = invalid, Tries = tries, LastTry = last, Region = "GB" };

    [Fact]
    public void Hand_written_phones_json_round_trips_like_the_serializer()
    {
        PhoneGen.Array[0, 10].Sample(phones =>
        {
            var read = RecordJson.ReadPhones(RecordJson.Phones(phones));
            Assert.Equal(phones.Length, read.Length);
            for (var i = 0; i < phones.Length; i++)
            {
                Assert.Equal(phones[i] with { TimeZones = [] }, read[i] with { TimeZones = [] });
                Assert.Equal(phones[i].TimeZones, read[i].TimeZones);
            }
        }, iter: 300, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Attributes_round_trip_with_any_text()
    {
        Gen.Select(Gen.String, Gen.String, (n, v) => new RecordAttribute(n, v)).Array[0, 8].Sample(attributes =>
            Assert.Equal(attributes, RecordJson.ReadAttributes(RecordJson.Attributes(attributes))), iter: 300, seed: "0N0XIzNsQ0O2");
    }
}
