-- Actors and whole domains the chapter refuses: their posts are answered 403,
-- nothing is delivered to them.
CREATE TABLE blocks (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('actor', 'domain')),
    value TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (kind, value)
);

-- Objects we deleted: their URLs answer 410 Gone.
CREATE TABLE tombstones (
    url TEXT PRIMARY KEY,
    former_type TEXT NOT NULL,
    deleted_at TEXT NOT NULL
);
