-- Per-campaign statistics counters by hour and by UTC day and agent, so /statistics reads a few rows instead of every
-- attempt and closed record of the campaign (4 requests/s at 1,000,000 records). A period is read as whole days, whole
-- hours at its edges and the attempts of its partial hours (SqliteStore.Tallies.cs).
-- span: the bucket's length in ms (3600000, 86400000, and 10^15 for all time: a campaign's total reads one row per agent);
-- bucket: start / span.
-- agent: calls by the attempt's agent ('' none, '=' || agent id); handled customers by the agent of their last attempt
-- ('' none, '=' || id, '!' no attempt at all), as the statistics' per-agent rows count them.
-- Kept by triggers, so every writer (the dial cycle, agents' skips and rejects, lease expiry, deletions and their
-- cascades) keeps them in its own transaction. Attempts never move to another record or campaign.
CREATE TABLE IF NOT EXISTS campaign_call_tallies (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    span INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    agent TEXT NOT NULL,
    calls INTEGER NOT NULL DEFAULT 0,
    successful INTEGER NOT NULL DEFAULT 0,
    refusal INTEGER NOT NULL DEFAULT 0,
    amount_calls INTEGER NOT NULL DEFAULT 0,
    skip INTEGER NOT NULL DEFAULT 0,
    reject INTEGER NOT NULL DEFAULT 0,
    oper_logout INTEGER NOT NULL DEFAULT 0,
    not_dialed INTEGER NOT NULL DEFAULT 0,
    hangup INTEGER NOT NULL DEFAULT 0,
    abandoned INTEGER NOT NULL DEFAULT 0,
    answered_by_person INTEGER NOT NULL DEFAULT 0,
    amount REAL NOT NULL DEFAULT 0,
    handled INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, span, bucket, agent)
) WITHOUT ROWID;

-- Writing to these views adds (sign 1) or takes off (sign -1) one attempt or one closed customer: the upsert is written
-- once here instead of in every trigger. The campaign check skips the rows a campaign's deletion cascades to.
CREATE VIEW IF NOT EXISTS call_tally_changes (campaign_id, started, agent_id, result, amount, agent_logout, answered, sign) AS
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER IF NOT EXISTS tr_call_tally_changes INSTEAD OF INSERT ON call_tally_changes
BEGIN
    INSERT INTO campaign_call_tallies (campaign_id, span, bucket, agent, calls, successful, refusal, amount_calls, skip, reject,
                                       oper_logout, not_dialed, hangup, abandoned, answered_by_person, amount)
    SELECT NEW.campaign_id, s.column1, NEW.started / s.column1, coalesce('=' || NEW.agent_id, ''), NEW.sign,
           NEW.sign * (NEW.result IN ('SUCCESS', 'REFUSAL')), NEW.sign * (NEW.result = 'REFUSAL'),
           NEW.sign * (NEW.amount IS NOT NULL AND NEW.amount <> 0), NEW.sign * (NEW.result = 'SKIP'),
           NEW.sign * (NEW.result = 'AGENT_REJECTED'), NEW.sign * NEW.agent_logout,
           NEW.sign * (NEW.result IN ('NOT_DIALED', 'INVALID_NUMBER')), NEW.sign * (NEW.result = 'HANGUP'),
           NEW.sign * (NEW.result = 'ABANDONED'),
           NEW.sign * (NEW.answered IS NOT NULL AND NEW.result NOT IN ('ANSWERING_MACHINE', 'FAX')),
           NEW.sign * (CASE WHEN NEW.result = 'SUCCESS' THEN coalesce(NEW.amount, 0) ELSE 0 END)
    FROM (VALUES (3600000), (86400000), (1000000000000000)) s
    WHERE NEW.result <> 'DIALING' AND EXISTS (SELECT 1 FROM campaigns WHERE id = NEW.campaign_id)
    ON CONFLICT DO UPDATE SET calls = calls + excluded.calls, successful = successful + excluded.successful,
        refusal = refusal + excluded.refusal, amount_calls = amount_calls + excluded.amount_calls, skip = skip + excluded.skip,
        reject = reject + excluded.reject, oper_logout = oper_logout + excluded.oper_logout,
        not_dialed = not_dialed + excluded.not_dialed, hangup = hangup + excluded.hangup, abandoned = abandoned + excluded.abandoned,
        answered_by_person = answered_by_person + excluded.answered_by_person, amount = amount + excluded.amount;
END;

-- closed_at: the customer's (a closed one's) closing time; its agent is read from the attempts as they are now. The last
-- attempt is found by the record's index: +l.campaign_id keeps SQLite from choosing the campaign's for the ORDER BY (which
-- reads every attempt of the campaign).
CREATE VIEW IF NOT EXISTS handled_tally_changes (campaign_id, record_id, closed_at, sign) AS SELECT NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER IF NOT EXISTS tr_handled_tally_changes INSTEAD OF INSERT ON handled_tally_changes
BEGIN
    INSERT INTO campaign_call_tallies (campaign_id, span, bucket, agent, handled)
    SELECT NEW.campaign_id, s.column1, NEW.closed_at / s.column1,
           coalesce((SELECT coalesce('=' || l.agent_id, '') FROM attempts l
                     WHERE l.record_id = NEW.record_id AND +l.campaign_id = NEW.campaign_id AND l.result <> 'DIALING'
                     ORDER BY l.started DESC, l.id DESC LIMIT 1), '!'),
           NEW.sign
    FROM (VALUES (3600000), (86400000), (1000000000000000)) s
    WHERE NEW.closed_at IS NOT NULL AND EXISTS (SELECT 1 FROM campaigns WHERE id = NEW.campaign_id)
    ON CONFLICT DO UPDATE SET handled = handled + excluded.handled;
END;

-- Calls.
CREATE TRIGGER IF NOT EXISTS tr_attempts_tally_insert AFTER INSERT ON attempts WHEN NEW.result <> 'DIALING'
BEGIN
    INSERT INTO call_tally_changes VALUES (NEW.campaign_id, NEW.started, NEW.agent_id, NEW.result, NEW.amount, NEW.agent_logout, NEW.answered, 1);
END;

CREATE TRIGGER IF NOT EXISTS tr_attempts_tally_update AFTER UPDATE ON attempts
WHEN (OLD.campaign_id, OLD.started, OLD.agent_id, OLD.result, OLD.amount, OLD.agent_logout, OLD.answered IS NULL)
     IS NOT (NEW.campaign_id, NEW.started, NEW.agent_id, NEW.result, NEW.amount, NEW.agent_logout, NEW.answered IS NULL)
BEGIN
    INSERT INTO call_tally_changes VALUES (OLD.campaign_id, OLD.started, OLD.agent_id, OLD.result, OLD.amount, OLD.agent_logout, OLD.answered, -1);
    INSERT INTO call_tally_changes VALUES (NEW.campaign_id, NEW.started, NEW.agent_id, NEW.result, NEW.amount, NEW.agent_logout, NEW.answered, 1);
END;

CREATE TRIGGER IF NOT EXISTS tr_attempts_tally_delete AFTER DELETE ON attempts WHEN OLD.result <> 'DIALING'
BEGIN
    INSERT INTO call_tally_changes VALUES (OLD.campaign_id, OLD.started, OLD.agent_id, OLD.result, OLD.amount, OLD.agent_logout, OLD.answered, -1);
END;

-- Handled customers: a closed customer moves when it closes or reopens, is deleted, or its last attempt changes (an
-- attempt of a closed customer written, finished or deleted): taken off before the attempt changes, added after.
CREATE TRIGGER IF NOT EXISTS tr_campaign_records_handled_update AFTER UPDATE OF state, closed_at ON campaign_records
WHEN (OLD.state = 'CLOSED', OLD.closed_at) IS NOT (NEW.state = 'CLOSED', NEW.closed_at)
BEGIN
    INSERT INTO handled_tally_changes SELECT OLD.campaign_id, OLD.record_id, OLD.closed_at, -1 WHERE OLD.state = 'CLOSED';
    INSERT INTO handled_tally_changes SELECT NEW.campaign_id, NEW.record_id, NEW.closed_at, 1 WHERE NEW.state = 'CLOSED';
END;

CREATE TRIGGER IF NOT EXISTS tr_campaign_records_handled_delete AFTER DELETE ON campaign_records WHEN OLD.state = 'CLOSED'
BEGIN
    INSERT INTO handled_tally_changes VALUES (OLD.campaign_id, OLD.record_id, OLD.closed_at, -1);
END;

CREATE TRIGGER IF NOT EXISTS tr_attempts_handled_before_insert BEFORE INSERT ON attempts WHEN NEW.result <> 'DIALING'
BEGIN
    INSERT INTO handled_tally_changes SELECT campaign_id, record_id, closed_at, -1 FROM campaign_records
    WHERE record_id = NEW.record_id AND campaign_id = NEW.campaign_id AND state = 'CLOSED';
END;

CREATE TRIGGER IF NOT EXISTS tr_attempts_handled_after_insert AFTER INSERT ON attempts WHEN NEW.result <> 'DIALING'
BEGIN
    INSERT INTO handled_tally_changes SELECT campaign_id, record_id, closed_at, 1 FROM campaign_records
    WHERE record_id = NEW.record_id AND campaign_id = NEW.campaign_id AND state = 'CLOSED';
END;

CREATE TRIGGER IF NOT EXISTS tr_attempts_handled_before_update BEFORE UPDATE OF started, result, agent_id ON attempts
WHEN (OLD.started, OLD.result = 'DIALING', OLD.agent_id) IS NOT (NEW.started, NEW.result = 'DIALING', NEW.agent_id)
BEGIN
    INSERT INTO handled_tally_changes SELECT campaign_id, record_id, closed_at, -1 FROM campaign_records
    WHERE record_id = OLD.record_id AND campaign_id = OLD.campaign_id AND state = 'CLOSED';
END;

CREATE TRIGGER IF NOT EXISTS tr_attempts_handled_after_update AFTER UPDATE OF started, result, agent_id ON attempts
WHEN (OLD.started, OLD.result = 'DIALING', OLD.agent_id) IS NOT (NEW.started, NEW.result = 'DIALING', NEW.agent_id)
BEGIN
    INSERT INTO handled_tally_changes SELECT campaign_id, record_id, closed_at, 1 FROM campaign_records
    WHERE record_id = NEW.record_id AND campaign_id = NEW.campaign_id AND state = 'CLOSED';
END;

CREATE TRIGGER IF NOT EXISTS tr_attempts_handled_before_delete BEFORE DELETE ON attempts WHEN OLD.result <> 'DIALING'
BEGIN
    INSERT INTO handled_tally_changes SELECT campaign_id, record_id, closed_at, -1 FROM campaign_records
    WHERE record_id = OLD.record_id AND campaign_id = OLD.campaign_id AND state = 'CLOSED';
END;

CREATE TRIGGER IF NOT EXISTS tr_attempts_handled_after_delete AFTER DELETE ON attempts WHEN OLD.result <> 'DIALING'
BEGIN
    INSERT INTO handled_tally_changes SELECT campaign_id, record_id, closed_at, 1 FROM campaign_records
    WHERE record_id = OLD.record_id AND campaign_id = OLD.campaign_id AND state = 'CLOSED';
END;

-- The history so far, grouped: row by row through the views took minutes at 1,000,000 attempts. Recounted whole, and
-- everything above made only if missing, so a store migrated again from an earlier version (tests do) counts it once.
DELETE FROM campaign_call_tallies;
INSERT INTO campaign_call_tallies (campaign_id, span, bucket, agent, calls, successful, refusal, amount_calls, skip, reject,
                                   oper_logout, not_dialed, hangup, abandoned, answered_by_person, amount)
SELECT a.campaign_id, s.column1, a.started / s.column1, coalesce('=' || a.agent_id, ''), count(*),
       sum(a.result IN ('SUCCESS', 'REFUSAL')), sum(a.result = 'REFUSAL'), sum(a.amount IS NOT NULL AND a.amount <> 0),
       sum(a.result = 'SKIP'), sum(a.result = 'AGENT_REJECTED'), sum(a.agent_logout), sum(a.result IN ('NOT_DIALED', 'INVALID_NUMBER')),
       sum(a.result = 'HANGUP'), sum(a.result = 'ABANDONED'), sum(a.answered IS NOT NULL AND a.result NOT IN ('ANSWERING_MACHINE', 'FAX')),
       sum(CASE WHEN a.result = 'SUCCESS' THEN coalesce(a.amount, 0) ELSE 0 END)
FROM attempts a, (VALUES (3600000), (86400000), (1000000000000000)) s
WHERE a.result <> 'DIALING'
GROUP BY 1, 2, 3, 4;
INSERT INTO campaign_call_tallies (campaign_id, span, bucket, agent, handled)
SELECT cr.campaign_id, s.column1, cr.closed_at / s.column1,
       coalesce((SELECT coalesce('=' || l.agent_id, '') FROM attempts l
                 WHERE l.record_id = cr.record_id AND +l.campaign_id = cr.campaign_id AND l.result <> 'DIALING'
                 ORDER BY l.started DESC, l.id DESC LIMIT 1), '!'),
       count(*)
FROM campaign_records cr, (VALUES (3600000), (86400000), (1000000000000000)) s
WHERE cr.state = 'CLOSED' AND cr.closed_at IS NOT NULL
GROUP BY 1, 2, 3, 4
ON CONFLICT DO UPDATE SET handled = handled + excluded.handled;

-- Agents' time per campaign, agent and state: the closed intervals' milliseconds and count, and bounds of their starts and
-- ends (widened, never narrowed: a deletion leaves them wider than the rows left), so a period holding every closed
-- interval (a campaign's total) reads these rows and the few open intervals instead of every interval.
CREATE TABLE IF NOT EXISTS campaign_agent_time (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    agent_uid TEXT NOT NULL,
    state TEXT NOT NULL,
    ms INTEGER NOT NULL,
    n INTEGER NOT NULL,
    min_started INTEGER NOT NULL,
    max_started INTEGER NOT NULL,
    min_ended INTEGER NOT NULL,
    max_ended INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, agent_uid, state)
) WITHOUT ROWID;

CREATE VIEW IF NOT EXISTS agent_time_changes (campaign_id, agent_uid, state, started, ended, sign) AS SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;

CREATE TRIGGER IF NOT EXISTS tr_agent_time_changes INSTEAD OF INSERT ON agent_time_changes
BEGIN
    INSERT INTO campaign_agent_time (campaign_id, agent_uid, state, ms, n, min_started, max_started, min_ended, max_ended)
    SELECT NEW.campaign_id, NEW.agent_uid, NEW.state, NEW.sign * max(0, NEW.ended - NEW.started), NEW.sign,
           NEW.started, NEW.started, NEW.ended, NEW.ended
    WHERE NEW.ended IS NOT NULL AND EXISTS (SELECT 1 FROM campaigns WHERE id = NEW.campaign_id)
    ON CONFLICT DO UPDATE SET ms = ms + excluded.ms, n = n + excluded.n,
        min_started = min(min_started, excluded.min_started), max_started = max(max_started, excluded.max_started),
        min_ended = min(min_ended, excluded.min_ended), max_ended = max(max_ended, excluded.max_ended);
END;

CREATE TRIGGER IF NOT EXISTS tr_agent_intervals_time_insert AFTER INSERT ON agent_intervals WHEN NEW.ended IS NOT NULL
BEGIN
    INSERT INTO agent_time_changes VALUES (NEW.campaign_id, NEW.agent_uid, NEW.state, NEW.started, NEW.ended, 1);
END;

CREATE TRIGGER IF NOT EXISTS tr_agent_intervals_time_update AFTER UPDATE ON agent_intervals
WHEN (OLD.campaign_id, OLD.agent_uid, OLD.state, OLD.started, OLD.ended) IS NOT (NEW.campaign_id, NEW.agent_uid, NEW.state, NEW.started, NEW.ended)
BEGIN
    INSERT INTO agent_time_changes VALUES (OLD.campaign_id, OLD.agent_uid, OLD.state, OLD.started, OLD.ended, -1);
    INSERT INTO agent_time_changes VALUES (NEW.campaign_id, NEW.agent_uid, NEW.state, NEW.started, NEW.ended, 1);
END;

CREATE TRIGGER IF NOT EXISTS tr_agent_intervals_time_delete AFTER DELETE ON agent_intervals WHEN OLD.ended IS NOT NULL
BEGIN
    INSERT INTO agent_time_changes VALUES (OLD.campaign_id, OLD.agent_uid, OLD.state, OLD.started, OLD.ended, -1);
END;

DELETE FROM campaign_agent_time;
INSERT INTO campaign_agent_time (campaign_id, agent_uid, state, ms, n, min_started, max_started, min_ended, max_ended)
SELECT campaign_id, agent_uid, state, sum(max(0, ended - started)), count(*), min(started), max(started), min(ended), max(ended)
FROM agent_intervals WHERE ended IS NOT NULL GROUP BY 1, 2, 3;

-- Other periods: the intervals that ended after the period began, and the open ones (a day's, not the whole history).
CREATE INDEX IF NOT EXISTS ix_agent_intervals_ended ON agent_intervals (campaign_id, ended) WHERE ended IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_agent_intervals_open ON agent_intervals (campaign_id, started) WHERE ended IS NULL;
