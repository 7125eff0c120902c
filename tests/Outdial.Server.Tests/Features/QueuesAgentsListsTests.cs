
namespace Outdial.Server.Tests.Features;

public sealed class QueuesAgentsListsTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Queue_crud_round_trip()
    {
        var client = _factory.Admin();
        var created = await HttpAssert.Ok<Queue>(await client.PostAsJsonAsync("/api/v1/queues", new { name = "Sales" }), HttpStatusCode.Created);
        Assert.Matches("^[0-9A-F]{32}$", created.Id);

        var fetched = await HttpAssert.Ok<Queue>(await client.GetAsync($"/api/v1/queues/{created.Id}"));
        Assert.Equal("Sales", fetched.Name);
        // id36 is accepted as well
        var dashed = Guid.ParseExact(created.Id, "N").ToString("D");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/queues/{dashed}")).StatusCode);

        await HttpAssert.Ok<Queue>(await client.PutAsJsonAsync($"/api/v1/queues/{created.Id}", new { name = "Sales EU" }));
        Assert.Equal("Sales EU", (await HttpAssert.Ok<List<Queue>>(await client.GetAsync("/api/v1/queues"))).Single().Name);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/queues/{created.Id}")).StatusCode);
        await HttpAssert.Problem(await client.GetAsync($"/api/v1/queues/{created.Id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Duplicate_names_conflict()
    {
        var client = _factory.Admin();
        await HttpAssert.Ok<Queue>(await client.PostAsJsonAsync("/api/v1/queues", new { name = "Sales" }), HttpStatusCode.Created);
        await HttpAssert.Problem(await client.PostAsJsonAsync("/api/v1/queues", new { name = "Sales" }), HttpStatusCode.Conflict, "already exists");
    }

    [Fact]
    public async Task Agent_and_list_crud()
    {
        var client = _factory.Admin();
        var agent = await HttpAssert.Ok<Agent>(await client.PostAsJsonAsync("/api/v1/agents", new { login = "kathy", name = "Kathy Smith" }), HttpStatusCode.Created);
        Assert.Equal("kathy", (await HttpAssert.Ok<Agent>(await client.GetAsync($"/api/v1/agents/{agent.Id}"))).Login);
        var list = await HttpAssert.Ok<CallingList>(await client.PostAsJsonAsync("/api/v1/lists", new { name = "Leads", defaultRegion = "gb" }), HttpStatusCode.Created);
        Assert.Equal("GB", list.DefaultRegion);
        await HttpAssert.Problem(await client.PostAsJsonAsync("/api/v1/lists", new { name = "X", defaultRegion = "XX" }), HttpStatusCode.BadRequest, "defaultRegion");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/lists/{list.Id}")).StatusCode);
    }
}
