-- Issue 4, the 1,000,000-timer drain: the outbox row was the cost of a drain (an outbox row cost
-- PostgreSQL about five journal rows). Sequence values come from a per-session cache of 1,000
-- instead of one shared nextval each (seq orders due rows; gaps and cross-session interleaving
-- within one not_before are harmless), and the report index keys on the journey alone (an int)
-- instead of (journey, node text, status text), which every status change also had to update.
ALTER SEQUENCE journey_outbox_seq_seq CACHE 1000;
DROP INDEX journey_outbox_report;
CREATE INDEX journey_outbox_journey ON journey_outbox (journey_id);
