-- A record's serial (records.id: CallRecord.Number, the handle agents and dialects hold) is never given to another
-- record. records.id is a rowid without AUTOINCREMENT, which SQLite assigns as one more than the largest in the table:
-- deleting the newest records would hand their serials out again. The floor is the largest serial ever deleted; the
-- record writer assigns a serial above it when the table's own maximum is below it (SqliteRecordWriter).
CREATE TABLE record_serial_floor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    high INTEGER NOT NULL
);
INSERT INTO record_serial_floor (id, high) VALUES (1, 0);

CREATE TRIGGER record_serial_floor_on_delete AFTER DELETE ON records
WHEN old.id > (SELECT high FROM record_serial_floor WHERE id = 1)
BEGIN
    UPDATE record_serial_floor SET high = old.id WHERE id = 1;
END;
