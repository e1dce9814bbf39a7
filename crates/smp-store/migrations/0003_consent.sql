-- SMP Studio schema v3: consent, screening, appointments, calendar feeds, public page.
CREATE TABLE consent_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    version BIGINT NOT NULL,
    text TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (clinic_id, version)
);
CREATE TABLE consent_signatures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    document_id BIGINT NOT NULL REFERENCES consent_documents(id),
    text_sha256 TEXT NOT NULL,
    signer_name TEXT NOT NULL,
    signature_svg TEXT NOT NULL,
    signed_at BIGINT NOT NULL
);
CREATE TABLE screenings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    answers TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    practitioner_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('consultation', 'session', 'touch-up')),
    starts_at TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    room TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE TABLE calendar_tokens (
    token_hash TEXT PRIMARY KEY,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
ALTER TABLE photos ADD COLUMN marketing_consent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clinics ADD COLUMN public_results BIGINT NOT NULL DEFAULT 0;
