-- Proposals put to the members. Options, share_with and the frozen result are
-- JSON; the result is written once, at the close, with the member count then.
CREATE TABLE proposals (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('consent', 'yes-no', 'single', 'multiple', 'irv', 'stv')),
    options TEXT NOT NULL,
    seats INTEGER NOT NULL DEFAULT 1,
    stv_rule TEXT NOT NULL DEFAULT 'scottish' CHECK (stv_rule IN ('scottish', 'meek')),
    quorum TEXT,
    threshold TEXT CHECK (threshold IN ('simple-majority', 'two-thirds', 'unanimity')),
    hide_results INTEGER NOT NULL DEFAULT 0,
    share_with TEXT NOT NULL DEFAULT '[]',
    author TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'decided')),
    created_at TEXT NOT NULL,
    opened_at TEXT,
    closes_at TEXT NOT NULL,
    closed_at TEXT,
    outcome_statement TEXT NOT NULL DEFAULT '',
    result TEXT,
    adopted_from TEXT,
    origin_chapter TEXT,
    -- The durable "counts changed since the last Update(Question)" flag: a
    -- worker (or the next vote) flushes it at most once per batch interval.
    counts_dirty INTEGER NOT NULL DEFAULT 0,
    counts_published_at TEXT
);
CREATE INDEX proposals_by_status ON proposals (status, closes_at);
CREATE INDEX proposals_dirty ON proposals (counts_dirty) WHERE counts_dirty = 1;
CREATE UNIQUE INDEX proposals_adopted_from ON proposals (adopted_from) WHERE adopted_from IS NOT NULL;

-- One row per member per proposal: the vote as it stands (one member, one vote).
CREATE TABLE proposal_votes (
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    choices TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL CHECK (channel IN ('site', 'fediverse')),
    cast_at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, voter)
);

-- Who voted when, and by which path; never what they chose.
CREATE TABLE proposal_vote_log (
    id INTEGER PRIMARY KEY,
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('cast', 'changed')),
    channel TEXT NOT NULL CHECK (channel IN ('site', 'fediverse')),
    at TEXT NOT NULL
);
CREATE INDEX proposal_vote_log_by_proposal ON proposal_vote_log (proposal_id, id);

-- Poll-vote Notes already counted, so a Note delivered twice counts once.
CREATE TABLE proposal_vote_notes (
    note_id TEXT PRIMARY KEY,
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    received_at TEXT NOT NULL
);

-- Proposals other chapters shared with us, waiting to be adopted.
CREATE TABLE proposal_offers (
    question_id TEXT PRIMARY KEY,
    origin_chapter TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    method TEXT NOT NULL,
    options TEXT NOT NULL,
    seats INTEGER NOT NULL DEFAULT 1,
    stv_rule TEXT NOT NULL DEFAULT 'scottish',
    quorum TEXT,
    threshold TEXT,
    closes_at TEXT NOT NULL,
    received_at TEXT NOT NULL
);

-- Decisions reported back by the chapters we shared a proposal with.
CREATE TABLE proposal_chapter_results (
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    chapter TEXT NOT NULL,
    result TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, chapter)
);
