namespace Outdial.Engine.Operations.Imports;

/// <summary>One row's answer in a bulk write, in the OBI bulk-add shape: 201 created, 200 updated/skipped/validated only,
/// 4xx failed (400 invalid, 409 conflict, 422 unknown reference).</summary>
public sealed record ImportRowResult(int StatusCode, string? Id = null, string? Error = null);
