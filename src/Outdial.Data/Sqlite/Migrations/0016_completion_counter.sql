-- The completed feed's sequence (0004) was max(completion_seq) + 1 over the campaign's rows: once the record holding the
-- largest was deleted (or its list detached) its number was given again, and a reader already past it skipped the next
-- completion. A counter per campaign only grows. Taken in the completing transaction, it also orders completions by
-- commit on a store with concurrent writers (the contract: IStore.Completed.cs).
CREATE TABLE completion_counters (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    last INTEGER NOT NULL
);
INSERT INTO completion_counters (campaign_id, last)
SELECT campaign_id, max(completion_seq) FROM campaign_records WHERE completion_seq IS NOT NULL GROUP BY campaign_id;

DROP TRIGGER tr_campaign_records_completed;
CREATE TRIGGER tr_campaign_records_completed AFTER UPDATE OF state ON campaign_records
WHEN NEW.state = 'CLOSED' AND OLD.state <> 'CLOSED'
BEGIN
    INSERT OR IGNORE INTO completion_counters (campaign_id, last) VALUES (NEW.campaign_id, 0);
    UPDATE completion_counters SET last = last + 1 WHERE campaign_id = NEW.campaign_id;
    UPDATE campaign_records SET completion_seq = (SELECT last FROM completion_counters WHERE campaign_id = NEW.campaign_id)
    WHERE record_id = NEW.record_id AND campaign_id = NEW.campaign_id;
END;
