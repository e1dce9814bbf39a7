-- Each clinic's own price list, needle rate and spacing of sessions (JSON, see
-- smp_plan::PlanSettings); NULL plans with the shipped defaults.
ALTER TABLE clinics ADD COLUMN plan_settings TEXT;
