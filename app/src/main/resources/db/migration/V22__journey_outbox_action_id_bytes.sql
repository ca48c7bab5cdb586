-- Issue 4, the 1,000,000-timer drain: an outbox row's primary key is its action id
-- ("j<tenant>-<journey>-<person>-<entry>-<step>"), looked up and compared only for equality and
-- uniqueness, never sorted for people. Under the database's default collation (C.UTF-8 here, a
-- language collation elsewhere) each comparison in the key's B-tree went through the locale;
-- "C" compares bytes.
ALTER TABLE journey_outbox ALTER COLUMN action_id TYPE text COLLATE "C";
