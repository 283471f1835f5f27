-- Offices: a term may name its planned end (the day the chapter elected it
-- until), and each office says whether several members may hold it at once.
-- By default one secretary and one facilitator; admins are co-holders (a
-- chapter needs more than one person able to recover it).
ALTER TABLE role_terms ADD COLUMN ends_on TEXT;

CREATE TABLE offices (
    role TEXT PRIMARY KEY CHECK (role IN ('secretary', 'facilitator', 'admin')),
    co_holders INTEGER NOT NULL DEFAULT 0
);
INSERT INTO offices (role, co_holders) VALUES ('secretary', 0);
INSERT INTO offices (role, co_holders) VALUES ('facilitator', 0);
INSERT INTO offices (role, co_holders) VALUES ('admin', 1);
