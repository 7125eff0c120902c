-- Times are INTEGER milliseconds since the Unix epoch, UTC. Every entity has an integer key for joins
-- and a public id32 (`uid`); records keep their integer key as the stable integer id the dialects address.
CREATE TABLE tenants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    role TEXT NOT NULL,
    key_hash BLOB NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created INTEGER NOT NULL
);

CREATE TABLE queues (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    login TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (tenant_id, login)
);

CREATE TABLE calling_lists (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    default_region TEXT,
    created INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    remarks TEXT,
    dialer_type TEXT NOT NULL,
    dialing_mode TEXT NOT NULL,
    status TEXT NOT NULL,
    dialer_status TEXT NOT NULL,
    queue_id INTEGER REFERENCES queues(id),
    custom_ivr_number TEXT,
    start_date INTEGER,
    end_date INTEGER,
    time_zone TEXT,
    abandon_rate REAL NOT NULL,
    increase_predictive_ratio REAL NOT NULL,
    registered INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    retry_count INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    caller_id TEXT,
    default_region TEXT,
    max_attempts_per_number INTEGER,
    max_attempts_per_day INTEGER,
    rolling_cap_calls INTEGER,
    rolling_cap_hours INTEGER,
    no_redial_after_abandon_hours INTEGER NOT NULL,
    rules TEXT NOT NULL,
    default_list_id INTEGER REFERENCES calling_lists(id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE campaign_lists (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    list_id INTEGER NOT NULL REFERENCES calling_lists(id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, list_id)
) WITHOUT ROWID;

CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL,
    list_id INTEGER NOT NULL REFERENCES calling_lists(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    time_zone TEXT,
    priority INTEGER NOT NULL DEFAULT 0,
    dialing_mode TEXT,
    preview_time INTEGER,
    locked INTEGER NOT NULL DEFAULT 0,
    numbers TEXT NOT NULL,
    phones TEXT NOT NULL,
    attributes TEXT NOT NULL,
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_records_list_external ON records (list_id, external_id);

-- A record's progress in each campaign its list feeds.
CREATE TABLE campaign_records (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    state TEXT NOT NULL DEFAULT 'OPEN',
    app_state TEXT NOT NULL DEFAULT 'NEW',
    result TEXT,
    call_result TEXT,
    classifier TEXT,
    call_count INTEGER NOT NULL DEFAULT 0,
    last_b_number INTEGER NOT NULL DEFAULT 0,
    scheduled_at INTEGER,
    agent_id TEXT,
    amount REAL,
    script TEXT,
    closed_at INTEGER,
    modified INTEGER NOT NULL,
    -- Record first: imports append in record order, and a record's progress in all campaigns is one range.
    PRIMARY KEY (record_id, campaign_id)
) WITHOUT ROWID;

CREATE TABLE dnc (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    campaign_id INTEGER NOT NULL DEFAULT 0,
    e164 TEXT NOT NULL,
    reason TEXT,
    source TEXT,
    added INTEGER NOT NULL,
    expires INTEGER,
    UNIQUE (tenant_id, e164, campaign_id)
);

CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    phone_index INTEGER NOT NULL,
    e164 TEXT NOT NULL,
    started INTEGER NOT NULL,
    answered INTEGER,
    ended INTEGER,
    result TEXT NOT NULL,
    ring_seconds REAL NOT NULL DEFAULT 0,
    talk_seconds REAL NOT NULL DEFAULT 0,
    wrap_seconds REAL NOT NULL DEFAULT 0,
    agent_id TEXT,
    disposition TEXT
);
CREATE INDEX ix_attempts_record ON attempts (record_id, started);
CREATE INDEX ix_attempts_number ON attempts (tenant_id, e164, started);

CREATE TABLE import_jobs (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    idempotency_key TEXT,
    request_hash TEXT,
    kind TEXT NOT NULL,
    list_uid TEXT NOT NULL,
    campaign_uid TEXT,
    format TEXT NOT NULL,
    options TEXT NOT NULL,
    spool_path TEXT,
    state TEXT NOT NULL,
    rows_done INTEGER NOT NULL DEFAULT 0,
    rows_failed INTEGER NOT NULL DEFAULT 0,
    rows_created INTEGER NOT NULL DEFAULT 0,
    rows_updated INTEGER NOT NULL DEFAULT 0,
    rows_skipped INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    response TEXT,
    created INTEGER NOT NULL,
    started INTEGER,
    finished INTEGER
);
CREATE UNIQUE INDEX ux_import_jobs_key ON import_jobs (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE import_failures (
    job_id INTEGER NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
    row_number INTEGER NOT NULL,
    external_id TEXT,
    error TEXT NOT NULL,
    PRIMARY KEY (job_id, row_number)
) WITHOUT ROWID;
