-- An attempt whose dialer lost the record's lease (it crashed, or stalled past the lease) can no longer be finished by it.
-- When a claim takes the expired lease over (or writes the record's next time back), the queue row lets go of the attempt
-- without a finish, which would have written the attempt's result first: the attempt is closed as NOT_DIALED at the
-- lease's expiry, so history and statistics do not show a call in progress forever. (Moves of a queue row by progress
-- edits are INSERT OR REPLACE plus DELETE, not updates of attempt_id, so they carry a live attempt along untouched.)
CREATE TRIGGER tr_pick_queue_orphaned_attempt AFTER UPDATE OF attempt_id ON pick_queue
WHEN OLD.attempt_id IS NOT NULL AND NEW.attempt_id IS NOT OLD.attempt_id
BEGIN
    UPDATE attempts SET result = 'NOT_DIALED', ended = OLD.due, disposition = 'lease expired: the dialer stopped before the call ended'
    WHERE id = OLD.attempt_id AND result = 'DIALING';
END;

-- Attempts crashed dialers left behind before this migration.
UPDATE attempts SET result = 'NOT_DIALED', ended = started, disposition = 'lease expired: the dialer stopped before the call ended'
WHERE result = 'DIALING' AND id NOT IN (SELECT attempt_id FROM pick_queue WHERE attempt_id IS NOT NULL);
