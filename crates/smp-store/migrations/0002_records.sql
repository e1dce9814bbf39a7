-- SMP Studio schema v2: clinical records.
CREATE TABLE lots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    kind TEXT NOT NULL CHECK (kind IN ('pigment', 'needle')),
    product TEXT NOT NULL,
    lot_number TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    recalled_at BIGINT,
    recall_reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (clinic_id, kind, product, lot_number)
);
CREATE TABLE treatment_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    performed_on TEXT NOT NULL,
    practitioner_id BIGINT NOT NULL REFERENCES users(id),
    design_id BIGINT REFERENCES designs(id),
    design_session BIGINT NOT NULL,
    regions TEXT NOT NULL DEFAULT '',
    impressions BIGINT NOT NULL,
    needle_lot_id BIGINT NOT NULL REFERENCES lots(id),
    pigment_lot_id BIGINT NOT NULL REFERENCES lots(id),
    dilution TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX treatment_sessions_client ON treatment_sessions(clinic_id, client_id);
CREATE TABLE adverse_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    session_id BIGINT REFERENCES treatment_sessions(id),
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    onset_on TEXT NOT NULL,
    resolved_on TEXT,
    action TEXT NOT NULL DEFAULT '',
    practitioner_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE TABLE outcome_surveys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    practitioner_id BIGINT NOT NULL REFERENCES users(id),
    satisfaction BIGINT NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    would_recommend BIGINT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE TABLE audit_log (
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor BIGINT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    subject TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (clinic_id, seq)
);
