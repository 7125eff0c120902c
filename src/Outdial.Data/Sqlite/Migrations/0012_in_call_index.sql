-- The records in a call (their queue row holds the attempt): few at any time, found without walking the campaign, for
-- the PROCESSING / DIALING reads and the counts. Written by a dial's start and finish only (imports and claims leave
-- attempt_id NULL, which this partial index does not hold).
CREATE INDEX ix_pick_queue_in_call ON pick_queue (campaign_id, record_id) WHERE attempt_id IS NOT NULL;
