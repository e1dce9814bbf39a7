-- Idle logout: each login session remembers when it was last used, and each clinic how
-- long a session may sit unused (a shared tablet left logged in), 15 minutes by default.
ALTER TABLE auth_sessions ADD COLUMN last_seen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clinics ADD COLUMN idle_minutes BIGINT NOT NULL DEFAULT 15;
-- Cancelled appointments leave the lists and calendar feeds but stay on record.
ALTER TABLE appointments ADD COLUMN cancelled_at BIGINT;
