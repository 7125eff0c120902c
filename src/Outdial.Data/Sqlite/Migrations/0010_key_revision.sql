-- Every server process caches key look-ups; a key revoked elsewhere (`outdial keys revoke`, another server process, an
-- agent deleted with its keys) must stop working there too. Each change of api_keys bumps one counter, which the caches
-- read at most once a second: one tiny read instead of a key look-up per request.
CREATE TABLE key_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO key_revision (id, revision) VALUES (1, 0);

-- Deletes include the keys an agent's delete cascades to (foreign-key actions fire triggers); inserts clear the caches'
-- "unknown key" entries, so a key created by the CLI works at once in a running server.
CREATE TRIGGER tr_api_keys_inserted AFTER INSERT ON api_keys BEGIN UPDATE key_revision SET revision = revision + 1; END;
CREATE TRIGGER tr_api_keys_updated AFTER UPDATE ON api_keys BEGIN UPDATE key_revision SET revision = revision + 1; END;
CREATE TRIGGER tr_api_keys_deleted AFTER DELETE ON api_keys BEGIN UPDATE key_revision SET revision = revision + 1; END;
