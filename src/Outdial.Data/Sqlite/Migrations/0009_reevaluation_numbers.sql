-- A do-not-call change's re-evaluation carries a set of numbers instead of one: a bulk DNC import that shortens (or a run
-- of deletes that removes) many entries records one marker per campaign with all their numbers, walked once, instead of
-- one marker, and one walk over the campaign's waiting rows, per number. numbers = how many the marker has (0: every
-- waiting row in its scope); the walk resets the rows of records that have any of them.
CREATE TABLE pick_reevaluation_numbers (
    reevaluation_id INTEGER NOT NULL REFERENCES pick_reevaluations(id) ON DELETE CASCADE,
    e164 TEXT NOT NULL,
    PRIMARY KEY (reevaluation_id, e164)
) WITHOUT ROWID;
ALTER TABLE pick_reevaluations ADD COLUMN numbers INTEGER NOT NULL DEFAULT 0;
INSERT INTO pick_reevaluation_numbers (reevaluation_id, e164) SELECT id, e164 FROM pick_reevaluations WHERE e164 IS NOT NULL;
UPDATE pick_reevaluations SET numbers = 1 WHERE e164 IS NOT NULL;
ALTER TABLE pick_reevaluations DROP COLUMN e164;
