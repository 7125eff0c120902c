using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Outdial.Engine.Storage;

namespace Outdial.Server.Auth;

/// <summary>
/// Accepts a key as <c>Authorization: Bearer KEY</c>, as the raw header value (Conpeek), or as the password of HTTP Basic.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IStore store,
    ApiKeyCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string TenantClaim = "outdial:tenant";
    public const string TenantNameClaim = "outdial:tenant-name";
    public const string AgentClaim = "outdial:agent";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header)) return AuthenticateResult.NoResult();
        var key = ExtractKey(header.Trim());
        if (key is null) return AuthenticateResult.Fail("malformed Authorization header");

        var grant = await cache.GetOrLoadAsync(key, store, Context.RequestAborted);
        if (grant is null) return AuthenticateResult.Fail("unknown API key");

        var identity = new ClaimsIdentity(
        [
            new Claim(TenantClaim, grant.TenantId.ToString(CultureInfo.InvariantCulture)),
            new Claim(TenantNameClaim, grant.TenantName),
            new Claim(ClaimTypes.Role, grant.Role.ToString()),
            .. grant.AgentId is { } agent ? [new Claim(AgentClaim, agent)] : Array.Empty<Claim>(),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    internal static string? ExtractKey(string header)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return NonEmpty(header[7..].Trim());
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? null : NonEmpty(decoded[(colon + 1)..]);
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return header.Contains(' ', StringComparison.Ordinal) ? null : header;
    }

    private static string? NonEmpty(string s) => s.Length == 0 ? null : s;
}

/// <summary>Keeps recent key look-ups so hot GETs do not hit the store for authentication. Whether any key changed in
/// the store (revoked by the CLI or another server process, created, deleted with its agent) is checked at most once per
/// <see cref="RevisionCheck"/>: a revoked key stops working everywhere within that, a new one works at once after it.</summary>
internal sealed class ApiKeyCache(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan RevisionCheck = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (ApiKeyGrant? Grant, DateTimeOffset Expires, long Revision)> _entries = new(StringComparer.Ordinal);
    private long _revision = -1;
    private long _checkedTicks = long.MinValue;

    public async ValueTask<ApiKeyGrant?> GetOrLoadAsync(string key, IStore store, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await CheckRevisionAsync(store, now, ct);
        // An entry loaded under an older revision may predate the change (its look-up raced a revoke): not trusted.
        var revision = Interlocked.Read(ref _revision);
        var hash = Convert.ToHexString(ApiKeys.Hash(key));
        if (_entries.TryGetValue(hash, out var entry) && entry.Expires > now && entry.Revision == revision) return entry.Grant;
        var grant = await store.FindApiKeyAsync(ApiKeys.Hash(key), ct);
        if (_entries.Count > 10_000) _entries.Clear();
        _entries[hash] = (grant, now + Lifetime, revision);
        return grant;
    }

    private async ValueTask CheckRevisionAsync(IStore store, DateTimeOffset now, CancellationToken ct)
    {
        var last = Interlocked.Read(ref _checkedTicks);
        if (last != long.MinValue && now.UtcTicks - last < RevisionCheck.Ticks) return;
        // One request per interval reads the revision; concurrent ones go on with the entries as they are.
        if (Interlocked.CompareExchange(ref _checkedTicks, now.UtcTicks, last) != last) return;
        var revision = await store.ApiKeyRevisionAsync(ct);
        if (Interlocked.Exchange(ref _revision, revision) != revision) _entries.Clear();
    }

    /// <summary>Drops the cached grants of an agent's keys (deleted with the agent): they stop working at once here,
    /// without waiting for the next revision check.</summary>
    public void ForgetAgent(long tenant, string agentId)
    {
        foreach (var (hash, entry) in _entries)
            if (entry.Grant is { } g && g.TenantId == tenant && g.AgentId == agentId) _entries.TryRemove(hash, out _);
    }
}

internal static class Policies
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";
    public const string Agent = "agent";
    public const string Supervise = "supervise";

    public static long TenantId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim)!, CultureInfo.InvariantCulture);

    /// <summary>
    /// Agent-role keys act for their own agent only: on routes naming an agent, another agent's id answers 403, and an agent
    /// key bound to no agent is refused (it could otherwise act for everyone). Admins and supervisors act for any agent.
    /// </summary>
    public static RouteGroupBuilder RequireSelfForAgentKeys(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var user = context.HttpContext.User;
            if (!user.IsInRole(nameof(Engine.Domain.Role.agent))) return await next(context);
            var own = user.FindFirstValue(ApiKeyAuthenticationHandler.AgentClaim);
            if (own is null)
                return Hosting.Problem.Forbidden("this agent key is bound to no agent: create agent keys with `outdial keys create --role agent --agent ID` or POST /api/v1/agents/{id}/keys");
            var routeAgent = context.HttpContext.GetRouteValue("agentId") as string;
            return Engine.Domain.Id32.TryNormalize(routeAgent, out var asked) && asked == own
                ? await next(context)
                : Hosting.Problem.Forbidden($"this key acts for agent '{own}' only");
        });

    public static void AddOutdialPolicies(this Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Read, p => p.RequireAuthenticatedUser());
        options.AddPolicy(Write, p => p.RequireRole("admin", "supervisor", "integration"));
        options.AddPolicy(Admin, p => p.RequireRole("admin"));
        options.AddPolicy(Agent, p => p.RequireRole("admin", "supervisor", "agent"));
        options.AddPolicy(Supervise, p => p.RequireRole("admin", "supervisor"));
    }
}
