-- Minutes of meetings. `content` is the current text in the API's JSON shape
-- (read back through the same validation); the columns beside it are what
-- lists and access checks need without parsing it.
CREATE TABLE minutes (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    meeting_date TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
    state TEXT NOT NULL CHECK (state IN ('draft', 'circulated', 'approved', 'published')),
    revision INTEGER NOT NULL DEFAULT 1,
    content TEXT NOT NULL,
    author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX minutes_by_date ON minutes (state, meeting_date DESC, created_at DESC);

-- Earlier texts of published minutes, kept when a correction replaced them.
CREATE TABLE minutes_revisions (
    minutes_id TEXT NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    content TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    edited_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (minutes_id, revision)
);

-- The action items of each set of minutes, copied out of `content` on every
-- save so that "my open items" and "open items to carry forward" are queries.
CREATE TABLE minutes_actions (
    minutes_id TEXT NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
    carried_from TEXT,
    PRIMARY KEY (minutes_id, position)
);
CREATE INDEX minutes_actions_open ON minutes_actions (status, owner COLLATE NOCASE);
CREATE INDEX minutes_actions_carried ON minutes_actions (carried_from);
