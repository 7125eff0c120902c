-- Agent sessions and the state history the OBI timers are summed from; attempt fields the statistics count.
CREATE TABLE agent_sessions (
    agent_id INTEGER PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
    tenant_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    state_since INTEGER NOT NULL,
    logged_in INTEGER NOT NULL
);
CREATE INDEX ix_agent_sessions_campaign ON agent_sessions (campaign_id, state);

-- One row per stretch of time an agent spent in one state in one campaign; `ended` is NULL while it lasts.
CREATE TABLE agent_intervals (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    started INTEGER NOT NULL,
    ended INTEGER
);
CREATE INDEX ix_agent_intervals_campaign ON agent_intervals (campaign_id, started);
CREATE INDEX ix_agent_intervals_agent ON agent_intervals (agent_id, started);

ALTER TABLE attempts ADD COLUMN amount REAL;
ALTER TABLE attempts ADD COLUMN agent_logout INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN classifier TEXT;
CREATE INDEX ix_attempts_campaign ON attempts (campaign_id, started);
