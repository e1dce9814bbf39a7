-- SMP Studio schema v5: follow-up check-ins after sessions.
CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    session_id BIGINT NOT NULL REFERENCES treatment_sessions(id),
    due_on TEXT NOT NULL,
    what TEXT NOT NULL,
    done_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
