-- Networks of chapters, second part (docs/networks.md): member ballots
-- forwarded by the chapters (`scope: "members"`) and results relayed by a
-- network to its member chapters.

-- On a network: each person's ballot on a `scope: "members"` proposal, as
-- forwarded (and vouched for) by one member chapter. One row per voter: a
-- voter reached through a second chapter is refused, not counted twice.
CREATE TABLE network_ballots (
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    chapter TEXT NOT NULL,
    choices TEXT NOT NULL,
    cast_at TEXT NOT NULL,
    -- The forwarded Note exactly as signed (its FEP-8b32 proof checked).
    document TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, voter)
);
CREATE INDEX network_ballots_by_chapter ON network_ballots (proposal_id, chapter);

-- On a network: how many voting members each chapter said it has (the
-- latest ballot's word), so a quorum counts every member chapter's members.
CREATE TABLE network_ballot_electorates (
    proposal_id TEXT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    chapter TEXT NOT NULL,
    members INTEGER NOT NULL CHECK (members >= 0),
    PRIMARY KEY (proposal_id, chapter)
);

-- On a chapter: another chapter's result on a network proposal offered to
-- us, relayed by the network (FEP-1b12 Announce) and kept only once its
-- integrity proof checked against the reporting chapter's key.
CREATE TABLE relayed_reports (
    question_id TEXT NOT NULL,
    chapter TEXT NOT NULL,
    relayed_by TEXT NOT NULL,
    report TEXT,
    outcome TEXT NOT NULL,
    document TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (question_id, chapter)
);
