-- SMP Studio schema v1. One file serves SQLite and PostgreSQL (see src/migrate.rs):
-- portable types only (BIGINT, TEXT); the auto-increment key is translated.
CREATE TABLE clinics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'practitioner', 'front-desk')),
    password_hash TEXT NOT NULL,
    must_change_password BIGINT NOT NULL DEFAULT 0,
    totp_secret TEXT,
    created_at BIGINT NOT NULL
);
CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    csrf_token TEXT NOT NULL,
    second_factor_pending BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE TABLE clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX clients_clinic ON clients(clinic_id, name);
CREATE TABLE photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    view TEXT NOT NULL,
    taken_on TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    width_px BIGINT NOT NULL,
    height_px BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX photos_client ON photos(clinic_id, client_id);
CREATE TABLE designs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    name TEXT NOT NULL,
    photo_id BIGINT REFERENCES photos(id),
    latest_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX designs_client ON designs(clinic_id, client_id);
CREATE TABLE design_versions (
    design_id BIGINT NOT NULL REFERENCES designs(id),
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    version BIGINT NOT NULL,
    json TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (design_id, version)
);
