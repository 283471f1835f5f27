-- Networks of chapters (docs/networks.md).

-- Present (one row) when this instance was made with `init --network`: its
-- Group then also has member chapters.
CREATE TABLE network_self (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    created_at TEXT NOT NULL
);

-- On a network: the chapters that asked to join, and what became of them.
CREATE TABLE network_chapters (
    id TEXT PRIMARY KEY,
    actor TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- The chapter's Join as received: answered (Accept/Reject) by embedding it.
    join_activity TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'member', 'rejected', 'left')),
    weight INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 1),
    delegates TEXT NOT NULL DEFAULT '[]',
    requested_at TEXT NOT NULL,
    answered_at TEXT
);
CREATE INDEX network_chapters_by_status ON network_chapters (status, requested_at);

-- On a chapter: the networks it asked to join.
CREATE TABLE affiliations (
    id TEXT PRIMARY KEY,
    network TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    join_activity TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'member', 'rejected', 'left')),
    requested_at TEXT NOT NULL,
    answered_at TEXT
);

-- On a network: a proposal put to the member chapters (`scope`; they are
-- its share_with) and how their reports are combined (`network_rule`).
ALTER TABLE proposals ADD COLUMN scope TEXT CHECK (scope IN ('chapters', 'members'));
ALTER TABLE proposals ADD COLUMN network_rule TEXT CHECK (network_rule IN ('chapters', 'delegates'));

-- Each chapter's report as received: the URL of its result Note, the Note
-- exactly as signed (relayed and served unchanged) and whether its proof checked.
ALTER TABLE proposal_chapter_results ADD COLUMN report TEXT;
ALTER TABLE proposal_chapter_results ADD COLUMN document TEXT;
ALTER TABLE proposal_chapter_results ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;

-- On a chapter: the scope a network gave an offer ('chapters', 'members' or none).
ALTER TABLE proposal_offers ADD COLUMN scope TEXT;
