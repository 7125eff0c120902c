-- Selection and leasing. next_eligible_at: NULL = not evaluated yet (a candidate); otherwise the earliest time the
-- record may be callable (Callability.NextEligibleAt), the lease expiry while leased, or 9223372036854775807 when only
-- a change of data can make it callable. priority copies records.priority so the pick index alone orders candidates.
ALTER TABLE campaign_records ADD COLUMN next_eligible_at INTEGER;
ALTER TABLE campaign_records ADD COLUMN lease_owner TEXT;
ALTER TABLE campaign_records ADD COLUMN lease_until INTEGER;
ALTER TABLE campaign_records ADD COLUMN attempt_id INTEGER;
ALTER TABLE campaign_records ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;

UPDATE campaign_records SET priority = (SELECT r.priority FROM records r WHERE r.id = campaign_records.record_id);

-- Picking: one seek per (lane, priority) group, then a range on next_eligible_at. Lane 0 = callbacks (RECALL).
CREATE INDEX ix_campaign_records_pick
    ON campaign_records (campaign_id, (app_state <> 'RECALL'), priority, next_eligible_at)
    WHERE state <> 'CLOSED';

-- Rolling caps and abandon holds per number look at the tenant's recent attempts (ix_attempts_number, 0001).

-- Writers of campaign_records (the record writer, list attach) copy records.priority themselves: a trigger here cost
-- one lookup per imported row.

-- A change of a record's data may make it callable sooner (or later): evaluate it again at the next pick.
CREATE TRIGGER tr_records_dialing AFTER UPDATE OF priority, phones, time_zone, locked ON records
BEGIN
    UPDATE campaign_records SET priority = NEW.priority,
        next_eligible_at = CASE WHEN lease_owner IS NULL THEN NULL ELSE next_eligible_at END
    WHERE record_id = NEW.id;
END;

-- Progress edited outside the dialer (API, dialects) is evaluated again; the dialer sets next_eligible_at itself.
CREATE TRIGGER tr_campaign_records_progress AFTER UPDATE OF state, app_state, call_count, scheduled_at ON campaign_records
WHEN NEW.next_eligible_at IS OLD.next_eligible_at AND NEW.lease_owner IS NULL
BEGIN
    UPDATE campaign_records SET next_eligible_at = NULL
    WHERE campaign_id = NEW.campaign_id AND record_id = NEW.record_id;
END;
