-- The completed-records feed (Bright Pattern getCompleted): a per-campaign sequence assigned when a record's progress
-- closes. SQLite has one writer, so sequence order is commit order: a reader paging by sequence never skips or repeats
-- records, even those completed in the same millisecond.
ALTER TABLE campaign_records ADD COLUMN completion_seq INTEGER;
CREATE UNIQUE INDEX ux_campaign_records_completion ON campaign_records (campaign_id, completion_seq) WHERE completion_seq IS NOT NULL;

CREATE TRIGGER tr_campaign_records_completed AFTER UPDATE OF state ON campaign_records
WHEN NEW.state = 'CLOSED' AND OLD.state <> 'CLOSED'
BEGIN
    UPDATE campaign_records
    SET completion_seq = coalesce((SELECT max(completion_seq) FROM campaign_records WHERE campaign_id = NEW.campaign_id), 0) + 1
    WHERE record_id = NEW.record_id AND campaign_id = NEW.campaign_id;
END;
