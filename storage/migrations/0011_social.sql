-- Who follows our actors. 'pending' while an admin decides (approve_followers).
CREATE TABLE followers (
    id INTEGER PRIMARY KEY,
    local_actor_id INTEGER NOT NULL REFERENCES local_actors (id),
    actor_id TEXT NOT NULL,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    follow_activity_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
    created_at TEXT NOT NULL,
    UNIQUE (local_actor_id, actor_id)
);
CREATE INDEX followers_by_state ON followers (local_actor_id, state, id);

-- Whom our actors follow (other chapters, accounts).
CREATE TABLE following (
    id INTEGER PRIMARY KEY,
    local_actor_id INTEGER NOT NULL REFERENCES local_actors (id),
    actor_id TEXT NOT NULL,
    follow_activity_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    created_at TEXT NOT NULL,
    UNIQUE (local_actor_id, actor_id)
);

-- Every activity our actors published, as sent. The public ones make the outbox.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL UNIQUE,
    local_actor_id INTEGER NOT NULL REFERENCES local_actors (id),
    type TEXT NOT NULL,
    object_id TEXT,
    public INTEGER NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outbox_public ON outbox (local_actor_id, public, id);
CREATE INDEX outbox_by_object ON outbox (object_id);
