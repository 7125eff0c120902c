namespace Outdial.Engine.Operations;

/// <summary>What kind of caller mistake an operation refused; each adapter maps it to its own status and error shape.</summary>
public enum ErrorKind
{
    /// <summary>A field is missing, malformed or out of range (native API: 400).</summary>
    Invalid,

    /// <summary>The addressed object does not exist in the caller's tenant (404).</summary>
    NotFound,

    /// <summary>The request is well-formed but breaks a rule given the current state: a duplicate, a wrong state (409).</summary>
    Conflict,

    /// <summary>The request names another object the tenant does not have (422).</summary>
    UnknownReference,

    /// <summary>The caller may not do this to this object (403).</summary>
    Forbidden,
}

/// <summary>
/// The one error type of the engine's operations and the store: a caller's mistake, never a fault of the server.
/// </summary>
/// <remarks>The message is the rule in the API's words and names the field at fault (also given in <see cref="Field"/> when
/// one field is). Adapters render it (ProblemDetails natively, each dialect its vendor's shape) and never as a 5xx.</remarks>
public class OperationException(ErrorKind kind, string message, string? field = null) : Exception(message)
{
    public ErrorKind Kind { get; } = kind;

    /// <summary>The request field at fault, as the native API names it; null when the error is not about one field.</summary>
    public string? Field { get; } = field;

    public static OperationException NotFound(string what) => new(ErrorKind.NotFound, $"{what} not found");

    public static OperationException Conflict(string message) => new(ErrorKind.Conflict, message);

    public static OperationException Forbidden(string message) => new(ErrorKind.Forbidden, message);
}

/// <summary>A well-formed request with an invalid field; the message names the field.</summary>
public sealed class ValidationException(string message, string? field = null) : OperationException(ErrorKind.Invalid, message, field);
