-- An agent-role key acts for one agent only; deleting the agent deletes its keys.
ALTER TABLE api_keys ADD COLUMN agent_id INTEGER REFERENCES agents(id) ON DELETE CASCADE;
