-- A staff e-mail is unique within its clinic, not across clinics: otherwise adding a
-- user tells an owner whether that e-mail works at another clinic. Login looks the
-- e-mail up in every clinic and lets the password pick the account.
-- The two backends change a column's constraint differently, so each has its section.
-- @sqlite
-- SQLite cannot drop a column's UNIQUE: the table is rebuilt. Foreign keys from the
-- records point at users by name; checking them at commit lets the rows go and return.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE users_before_0009 AS SELECT * FROM users;
DROP TABLE users;
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'practitioner', 'front-desk')),
    password_hash TEXT NOT NULL,
    must_change_password BIGINT NOT NULL DEFAULT 0,
    totp_secret TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (clinic_id, email)
);
INSERT INTO users (id, clinic_id, email, role, password_hash, must_change_password, totp_secret, created_at)
    SELECT id, clinic_id, email, role, password_hash, must_change_password, totp_secret, created_at FROM users_before_0009;
DROP TABLE users_before_0009;
CREATE INDEX users_email ON users(email);
-- @postgres
ALTER TABLE users DROP CONSTRAINT users_email_key;
ALTER TABLE users ADD CONSTRAINT users_clinic_email UNIQUE (clinic_id, email);
CREATE INDEX users_email ON users(email);
