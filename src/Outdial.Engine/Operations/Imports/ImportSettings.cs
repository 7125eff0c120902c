using System.Text.Json;
using System.Text.Json.Serialization;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Imports;

/// <summary>How an import treats its rows; parsed once from the request and stored with the job so a resumed job behaves the same.</summary>
public sealed record ImportSettings(
    DuplicatePolicy Duplicates = DuplicatePolicy.reject,
    bool Atomic = false,
    string? Region = null,
    Dictionary<string, string>? Mapping = null)
{
    /// <summary>
    /// The settings from a request's text values (the native API's query parameters; a dialect passes its own): each null or
    /// empty when absent. Throws a <see cref="ValidationException"/> naming the parameter.
    /// </summary>
    public static ImportSettings Parse(string? duplicates, string? atomic, string? region, string? mapping)
    {
        var policy = DuplicatePolicy.reject;
        // By name only: Enum.TryParse also takes any number ("5", "-1"), a policy no code path handles.
        if (duplicates is { Length: > 0 } d)
            policy = Enum.GetNames<DuplicatePolicy>().FirstOrDefault(n => n.Equals(d, StringComparison.OrdinalIgnoreCase)) is { } name
                ? Enum.Parse<DuplicatePolicy>(name)
                : throw new ValidationException($"'duplicates' must be reject, skip or overwrite, got '{d}'", "duplicates");
        var isAtomic = Flag(atomic, "atomic");
        var validRegion = Validate.Region(region, "region");
        Dictionary<string, string>? columns = null;
        if (mapping is { Length: > 0 } m)
        {
            try
            {
                columns = JsonSerializer.Deserialize<Dictionary<string, string>>(m);
            }
            catch (JsonException)
            {
                throw new ValidationException("'mapping' must be a JSON object of column header to target, e.g. {\"Mobile\":\"phone1\",\"Customer no\":\"externalId\"}", "mapping");
            }
        }
        return new ImportSettings(policy, isAtomic, validRegion, columns);
    }

    /// <summary>A true/false flag: absent is false, anything else an error (a misspelt 'yes' is not silently 'no').</summary>
    public static bool Flag(string? value, string name) => value switch
    {
        null or "" or "false" or "0" => false,
        "true" or "1" => true,
        var other => throw new ValidationException($"'{name}' must be true or false, got '{other}'", name),
    };
}

/// <summary>What the job row keeps besides its counters: settings, the file's row count, the region in force, and whether
/// the request waited for it.</summary>
internal sealed record StoredImportOptions(ImportSettings Settings, long TotalRows, string? DefaultRegion, bool Inline)
{
    /// <summary>The stored forms of the job's options and inline response (camelCase, enums by name, no nulls): also what
    /// the request hash is salted with, so they must not change while jobs and keys from an older version exist.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static StoredImportOptions Of(ImportJob job) => JsonSerializer.Deserialize<StoredImportOptions>(job.Options, Json)!;
}
