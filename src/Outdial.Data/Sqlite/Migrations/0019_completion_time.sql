-- Bright Pattern pages getCompleted by time alone (fromTime = the last completedTime read), so the feed needs a time that is
-- a cursor: completed_us, the closing time in microseconds moved on where needed so that it grows strictly in completion
-- (sequence) order within a campaign. closed_at stays the true closing time; it neither grows in commit order (it is read
-- before the completing transaction) nor tells apart completions of one millisecond.
ALTER TABLE completion_counters ADD COLUMN last_us INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaign_records ADD COLUMN completed_us INTEGER;

-- Completions so far, in sequence order: u(n) = max(closed(n), u(n-1) + 1), i.e. n + max over k <= n of (closed(k) - k).
WITH ranked AS (
    SELECT campaign_id, record_id, completion_seq, coalesce(closed_at, 0) * 1000 AS c,
           row_number() OVER (PARTITION BY campaign_id ORDER BY completion_seq) AS n
    FROM campaign_records WHERE completion_seq IS NOT NULL),
feed AS (
    SELECT campaign_id, record_id,
           n + max(c - n) OVER (PARTITION BY campaign_id ORDER BY completion_seq ROWS UNBOUNDED PRECEDING) AS u
    FROM ranked)
UPDATE campaign_records SET completed_us = feed.u
FROM feed WHERE feed.campaign_id = campaign_records.campaign_id AND feed.record_id = campaign_records.record_id;
UPDATE completion_counters SET last_us = coalesce(
    (SELECT max(completed_us) FROM campaign_records WHERE campaign_id = completion_counters.campaign_id), 0);

CREATE INDEX ix_campaign_records_completed_us ON campaign_records (campaign_id, completed_us) WHERE completed_us IS NOT NULL;

DROP TRIGGER tr_campaign_records_completed;
CREATE TRIGGER tr_campaign_records_completed AFTER UPDATE OF state ON campaign_records
WHEN NEW.state = 'CLOSED' AND OLD.state <> 'CLOSED'
BEGIN
    INSERT OR IGNORE INTO completion_counters (campaign_id, last) VALUES (NEW.campaign_id, 0);
    UPDATE completion_counters SET last = last + 1, last_us = max(last_us + 1, coalesce(NEW.closed_at, 0) * 1000)
    WHERE campaign_id = NEW.campaign_id;
    UPDATE campaign_records SET (completion_seq, completed_us) =
        (SELECT last, last_us FROM completion_counters WHERE campaign_id = NEW.campaign_id)
    WHERE record_id = NEW.record_id AND campaign_id = NEW.campaign_id;
END;
