-- Every activity our inboxes accepted, stored raw before we answer 202; the
-- inbox worker then processes it. The activity id is unique, so a redelivery
-- changes nothing but the redelivered counter (which shows a peer retrying).
CREATE TABLE inbox (
    id INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL UNIQUE,
    actor_id TEXT NOT NULL,
    type TEXT NOT NULL,
    -- The actor whose inbox received it; NULL for the shared inbox.
    local_actor_id INTEGER REFERENCES local_actors (id),
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'processing', 'done', 'ignored', 'failed')),
    error TEXT,
    lease_until TEXT,
    redelivered INTEGER NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL,
    processed_at TEXT
);
CREATE INDEX inbox_by_state ON inbox (state, id);
