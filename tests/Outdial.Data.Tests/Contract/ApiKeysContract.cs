using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>API keys: found by hash, listed by tenant, bound to an agent, and a revision every store sharing the database sees move.</summary>
public abstract class ApiKeysContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    [Fact]
    public async Task Keys_are_found_by_hash_listed_by_tenant_and_revoked()
    {
        Assert.False(await Store.AnyApiKeyAsync(Ct));
        await Store.AddApiKeyAsync(TenantA, Role.admin, [1], "odk_a1", Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.AddApiKeyAsync(TenantA, Role.integration, [2], "odk_a2", Ct);
        await Store.AddApiKeyAsync(TenantB, Role.supervisor, [3], "odk_b1", Ct);
        Assert.True(await Store.AnyApiKeyAsync(Ct));

        Assert.Equal(new ApiKeyGrant(TenantA, "tenant-a", Role.admin), await Store.FindApiKeyAsync([1], Ct));
        Assert.Equal(new ApiKeyGrant(TenantB, "tenant-b", Role.supervisor), await Store.FindApiKeyAsync([3], Ct));
        Assert.Null(await Store.FindApiKeyAsync([9], Ct));

        var ofA = await Store.ListApiKeysAsync("tenant-a", Ct);
        Assert.Equal(["odk_a1", "odk_a2"], ofA.Select(k => k.Prefix));
        Assert.Equal((Role.admin, T0, (byte)1), (ofA[0].Role, ofA[0].Created, ofA[0].Hash.Single()));
        Assert.Equal(3, (await Store.ListApiKeysAsync(null, Ct)).Count);

        Assert.True(await Store.DeleteApiKeyAsync(ofA[0].Serial, Ct));
        Assert.False(await Store.DeleteApiKeyAsync(ofA[0].Serial, Ct));
        Assert.Null(await Store.FindApiKeyAsync([1], Ct));
        Assert.NotNull(await Store.FindApiKeyAsync([2], Ct));
    }

    [Fact]
    public async Task An_agent_key_acts_for_its_agent_and_goes_with_it()
    {
        var agent = new Agent(Id32.New(), "alice", "Alice");
        await Store.CreateAgentAsync(TenantA, agent, Ct);
        Assert.False(await Store.AddAgentKeyAsync(TenantA, Id32.New(), [1], "odk_x", Ct));
        Assert.True(await Store.AddAgentKeyAsync(TenantA, agent.Id, [2], "odk_alice", Ct));
        Assert.Equal(new ApiKeyGrant(TenantA, "tenant-a", Role.agent, agent.Id), await Store.FindApiKeyAsync([2], Ct));
        Assert.Equal(agent.Id, Assert.Single(await Store.ListApiKeysAsync("tenant-a", Ct)).AgentId);
        Assert.True(await Store.DeleteAgentAsync(TenantA, agent.Id, Ct));
        Assert.Null(await Store.FindApiKeyAsync([2], Ct));
    }

    [Fact]
    public async Task The_revision_moves_with_every_change_as_every_store_on_the_database_sees_it()
    {
        var other = await Fixture.OpenAsync(Time, Ct); // a second server on the same database
        var agent = new Agent(Id32.New(), "alice", "Alice");
        await Store.CreateAgentAsync(TenantA, agent, Ct);
        var seen = new List<long> { await other.ApiKeyRevisionAsync(Ct) };
        async Task Changed()
        {
            var revision = await other.ApiKeyRevisionAsync(Ct);
            Assert.DoesNotContain(revision, seen);
            seen.Add(revision);
        }
        await Store.AddApiKeyAsync(TenantA, Role.admin, [1], "odk_1", Ct);
        await Changed();
        Assert.True(await Store.AddAgentKeyAsync(TenantA, agent.Id, [2], "odk_2", Ct));
        await Changed();
        Assert.True(await Store.DeleteApiKeyAsync((await Store.ListApiKeysAsync(null, Ct))[0].Serial, Ct));
        await Changed();
        Assert.Equal(seen[^1], await Store.ApiKeyRevisionAsync(Ct));
        Assert.True(await Store.DeleteAgentAsync(TenantA, agent.Id, Ct)); // its key goes with it
        await Changed();
    }
}
