-- SMP Studio schema v4: patch tests.
CREATE TABLE patch_tests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    lot_id BIGINT NOT NULL REFERENCES lots(id),
    tested_on TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('pending', 'negative', 'positive')),
    created_at BIGINT NOT NULL
);
