namespace Outdial.Data.Tests.Contract;

// The contract suite on the embedded store. Another store: its fixture, and these lines again with its name.
public sealed class SqliteCatalogContract : CatalogContract<SqliteStoreFixture>;
public sealed class SqliteTenancyContract : TenancyContract<SqliteStoreFixture>;
public sealed class SqliteRecordsContract : RecordsContract<SqliteStoreFixture>;
public sealed class SqliteImportJobsContract : ImportJobsContract<SqliteStoreFixture>;
public sealed class SqliteDncContract : DncContract<SqliteStoreFixture>;
public sealed class SqliteAgentSessionsContract : AgentSessionsContract<SqliteStoreFixture>;
public sealed class SqliteApiKeysContract : ApiKeysContract<SqliteStoreFixture>;
public sealed class SqliteCompletedContract : CompletedContract<SqliteStoreFixture>;
public sealed class SqliteStatisticsContract : StatisticsContract<SqliteStoreFixture>;
public sealed class SqliteCallTalliesContract : CallTalliesContract<SqliteStoreFixture>;
public sealed class SqliteClaimsContract : ClaimsContract<SqliteStoreFixture>;
public sealed class SqliteAttemptsContract : AttemptsContract<SqliteStoreFixture>;
public sealed class SqliteLifecycleContract : LifecycleContract<SqliteStoreFixture>;
public sealed class SqliteSnapshotContract : SnapshotContract<SqliteStoreFixture>;
