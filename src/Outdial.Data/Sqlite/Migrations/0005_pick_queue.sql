-- The pick order and leases move out of the wide campaign_records row: leasing records scattered over a large file
-- (due callbacks and retries come in time order, not record order) dirtied one 4 KB page of campaign_records each.
-- pick_queue holds one narrow row per open record and campaign; a claim reads and writes it in pick order, so a batch of
-- leases touches a few adjacent pages whatever is picked. campaign_records keeps the durable outcome (written at finish).
--
-- Key (campaign, lane, priority, base, record): base = coalesce(campaign_records.next_eligible_at, 0), so the row of a
-- record is found from its progress row alone (start, finish, triggers) although claims move `due` without writing
-- campaign_records. Lane 0 = callbacks (app_state RECALL), 1 = the rest.
-- due: 0 = not evaluated yet (a candidate, first in its group), else the earliest time the record may be callable, the
-- lease expiry while leased, or 9223372036854775807 when only a change of data can make it callable.
-- A lease is lease_owner (+ attempt_id once dialed) with due = its expiry: it leaves the due range by itself and comes
-- back when it expires. Closed records have no row (but for one closed while leased, until its lease is settled).
CREATE TABLE pick_queue (
    campaign_id INTEGER NOT NULL,
    lane INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    base INTEGER NOT NULL,
    record_id INTEGER NOT NULL,
    due INTEGER NOT NULL,
    lease_owner TEXT,
    attempt_id INTEGER,
    PRIMARY KEY (campaign_id, lane, priority, base, record_id)
) WITHOUT ROWID;

INSERT INTO pick_queue (campaign_id, lane, priority, base, record_id, due, lease_owner, attempt_id)
SELECT campaign_id, app_state <> 'RECALL', priority, coalesce(next_eligible_at, 0), record_id, coalesce(next_eligible_at, 0),
       lease_owner, attempt_id
FROM campaign_records WHERE state <> 'CLOSED'
ORDER BY campaign_id, 2, priority, 4, record_id;

-- Claims: one seek per (lane, priority) group, then a range of due rows, never-evaluated (0) first, then the longest due.
CREATE INDEX ix_pick_queue_due ON pick_queue (campaign_id, lane, priority, due);

-- Replaced by pick_queue. The lease columns of campaign_records (lease_owner, lease_until, attempt_id) are no longer
-- written or read; dropping them would rewrite every row of a large table during the migration.
DROP INDEX ix_campaign_records_pick;
DROP TRIGGER tr_records_dialing;
DROP TRIGGER tr_campaign_records_progress;

-- The queue follows campaign_records: one row per open progress row, at the key its progress row gives. Writers that
-- insert progress rows add their queue rows themselves (SqliteStore.QueueNewProgress: the record writer once per
-- transaction over the ids it created, list attach): a trigger per inserted row cost imports about 3 us a row, one
-- INSERT ... SELECT over the new rows about 1 us. Updates and deletes are kept right by the triggers below.
CREATE TRIGGER tr_campaign_records_queue_delete AFTER DELETE ON campaign_records
BEGIN
    DELETE FROM pick_queue
    WHERE campaign_id = OLD.campaign_id AND lane = (OLD.app_state <> 'RECALL') AND priority = OLD.priority
      AND base = coalesce(OLD.next_eligible_at, 0) AND record_id = OLD.record_id;
END;

-- A progress change moves the row to its new key and keeps a lease (the holder's finish or expiry settles it; a record
-- closed by an edit while leased keeps its row until then, so reopening it cannot hand it to a second dialer). Without a
-- lease: a new next_eligible_at (the dialer's finish) is the new due; any other edit (API, dialects: state, app state,
-- call count, scheduled time, priority) may make the record callable sooner, so it is evaluated again at the next pick.
CREATE TRIGGER tr_campaign_records_queue_update
AFTER UPDATE OF state, app_state, call_count, scheduled_at, priority, next_eligible_at ON campaign_records
BEGIN
    INSERT OR REPLACE INTO pick_queue (campaign_id, lane, priority, base, record_id, due, lease_owner, attempt_id)
    SELECT NEW.campaign_id, NEW.app_state <> 'RECALL', NEW.priority, coalesce(NEW.next_eligible_at, 0), NEW.record_id,
           CASE WHEN q.lease_owner IS NOT NULL THEN q.due
                WHEN NEW.next_eligible_at IS NOT OLD.next_eligible_at THEN coalesce(NEW.next_eligible_at, 0)
                ELSE 0 END,
           q.lease_owner, q.attempt_id
    FROM (SELECT 1) LEFT JOIN pick_queue q
        ON q.campaign_id = OLD.campaign_id AND q.lane = (OLD.app_state <> 'RECALL') AND q.priority = OLD.priority
       AND q.base = coalesce(OLD.next_eligible_at, 0) AND q.record_id = OLD.record_id
    WHERE NEW.state <> 'CLOSED' OR q.lease_owner IS NOT NULL;
    -- The row at the old key, unless it is the one just written.
    DELETE FROM pick_queue
    WHERE campaign_id = OLD.campaign_id AND lane = (OLD.app_state <> 'RECALL') AND priority = OLD.priority
      AND base = coalesce(OLD.next_eligible_at, 0) AND record_id = OLD.record_id
      AND ((NEW.app_state <> 'RECALL') <> (OLD.app_state <> 'RECALL') OR NEW.priority <> OLD.priority
           OR coalesce(NEW.next_eligible_at, 0) <> coalesce(OLD.next_eligible_at, 0)
           OR (NEW.state = 'CLOSED' AND lease_owner IS NULL));
END;

-- A change of a record's data (numbers, time zone, lock, priority) may make it callable sooner: the priority copy is
-- written, which moves its queue rows and has them evaluated again (tr_campaign_records_queue_update). Every edit of a
-- record's numbers (API, import overwrite) writes `numbers`; the dialer's per-number counters (`phones` alone, at each
-- finish) only make it callable later, so they no longer fire this.
CREATE TRIGGER tr_records_dialing AFTER UPDATE OF priority, numbers, time_zone, locked ON records
BEGIN
    UPDATE campaign_records SET priority = NEW.priority WHERE record_id = NEW.id;
END;
