-- Durable re-evaluations of the pick queue. A change that may make waiting records callable sooner (campaign window,
-- caps, dates, status or RetryCount; a do-not-call entry removed or shortened) records a marker in its own transaction;
-- a background worker resets the affected queue rows (due = 0: evaluated again at the next pick) in bounded transactions,
-- keeps its position in the marker, and deletes the marker when done. A crash between the change and the reset leaves the
-- marker behind, and the server resumes it at start, so a campaign cannot stay parked "never callable" by a lost reset.
--
-- Scope: queue rows of the campaign with due > after (after = the change's time: every waiting row; 9223372036854775806:
-- only rows parked as never callable), and when e164 is set only the rows of records that have that number.
-- Cursor (lane, priority, due, base, record_id): the last row done; lane NULL = not started.
CREATE TABLE pick_reevaluations (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    after INTEGER NOT NULL,
    e164 TEXT,
    reason TEXT NOT NULL,
    created INTEGER NOT NULL,
    lane INTEGER,
    priority INTEGER,
    due INTEGER,
    base INTEGER,
    record_id INTEGER
);
CREATE INDEX ix_pick_reevaluations_campaign ON pick_reevaluations (campaign_id);

-- A queue row dropped while it still holds an attempt (its record closed by an edit, or its list detached, after the
-- lease of a dialer that was gone expired) would leave that attempt DIALING for ever. The two places that drop such a row
-- close the attempt as NOT_DIALED at the lease's expiry, as 0007 does when a claim takes the lease over: the claim that
-- drops a closed record's row, and the list detach (SqliteStore). Not a delete trigger on pick_queue: it would be compiled
-- into every finish (a finish moves its row), about 0.05 ms a finish while those statements are not prepared. A record or
-- campaign delete takes its attempts with it (foreign keys).
-- Attempts left DIALING that way before this migration.
UPDATE attempts SET result = 'NOT_DIALED', ended = started, disposition = 'lease expired: the dialer stopped before the call ended'
WHERE result = 'DIALING' AND id NOT IN (SELECT attempt_id FROM pick_queue WHERE attempt_id IS NOT NULL);
