-- Which login a session is: the id of the state interval its login opened. A login time is not enough: a logout and a
-- new login can share a millisecond, and the dialer must tell the new session from the one whose logout it has yet to
-- handle (it lets go of what the old one held, never of what the new one took). Sessions of before this migration get 0.
ALTER TABLE agent_sessions ADD COLUMN serial INTEGER NOT NULL DEFAULT 0;
