-- Deleting an agent took its state history with it (agent_intervals ON DELETE CASCADE): a campaign's past loginTime,
-- talkingTime and the rest shrank, and its statistics no longer matched what happened. The intervals now carry the
-- agent's id32 and outlive its row (agent_id becomes NULL); the deletion ends an interval still open.
CREATE TABLE agent_intervals_kept (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL,
    agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
    agent_uid TEXT NOT NULL,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    started INTEGER NOT NULL,
    ended INTEGER
);
INSERT INTO agent_intervals_kept (id, tenant_id, agent_id, agent_uid, campaign_id, state, started, ended)
SELECT i.id, i.tenant_id, i.agent_id, a.uid, i.campaign_id, i.state, i.started, i.ended
FROM agent_intervals i JOIN agents a ON a.id = i.agent_id;
DROP TABLE agent_intervals;
ALTER TABLE agent_intervals_kept RENAME TO agent_intervals;
CREATE INDEX ix_agent_intervals_campaign ON agent_intervals (campaign_id, started);
CREATE INDEX ix_agent_intervals_agent ON agent_intervals (agent_uid, started);
-- Deleting an agent sets its rows' agent_id to NULL: found by this index, not a scan.
CREATE INDEX ix_agent_intervals_agent_row ON agent_intervals (agent_id) WHERE agent_id IS NOT NULL;
