-- Each clinic's time zone (an IANA name such as Europe/London): appointment times are
-- entered and shown in it, and "today" is the clinic's today.
ALTER TABLE clinics ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
