-- SMP Studio schema v4: patch tests (PostgreSQL flavour; keep in step with ../sqlite/0004_patch_tests.sql).
CREATE TABLE patch_tests (
    id BIGSERIAL PRIMARY KEY,
    clinic_id BIGINT NOT NULL REFERENCES clinics(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    lot_id BIGINT NOT NULL REFERENCES lots(id),
    tested_on TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('pending', 'negative', 'positive')),
    created_at BIGINT NOT NULL
);
