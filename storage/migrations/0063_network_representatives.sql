-- Networks of chapters (docs/networks.md), two additions.

-- On a chapter: the order of the network's running tallies, beside the tally
-- itself, so that "is this tally newer than the kept one" is decided by the
-- one statement that stores it (two inbox workers cannot go back in time).
-- `tally_updated` is the tally's `updated` in UTC to the microsecond, in one
-- fixed form so that text order is time order; NULL when it had none.
ALTER TABLE proposal_offers ADD COLUMN tally_updated TEXT;
ALTER TABLE proposal_offers ADD COLUMN tally_final INTEGER NOT NULL DEFAULT 0;
-- A tally kept before this migration: final if it said so (its `updated`
-- stays unknown, so the next tally the network sends replaces it).
UPDATE proposal_offers SET tally_final = 1 WHERE tally LIKE '%"final":true%';

-- On a network: who each member chapter names as its representative at one
-- of the network's events, as the chapter last said it (a signed Join of the
-- event carrying `fc:representative`). `said_at` is the Join's `published`
-- (same fixed UTC form): a Join older than the kept one changes nothing.
CREATE TABLE network_representatives (
    event_id TEXT NOT NULL,
    chapter TEXT NOT NULL,
    -- JSON list of {"id": actor URL or null, "name": ...}; empty: nobody named.
    representatives TEXT NOT NULL,
    said_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (event_id, chapter)
);
