-- One row per (activity, recipient inbox). The payload stays in the outbox
-- (one copy for a fan-out to many servers). 'sending' rows carry a lease: a
-- worker that dies mid-send leaves a stale lease, which is queued again.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES outbox (activity_id),
    local_actor_id INTEGER NOT NULL REFERENCES local_actors (id),
    -- The inbox when known at queue time, else the recipient actor's id (the
    -- worker resolves it): one row per target, so a shared inbox gets one POST.
    target TEXT NOT NULL,
    inbox TEXT,
    recipient_actor_id TEXT,
    host TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'sending', 'delivered', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_at TEXT NOT NULL,
    lease_until TEXT,
    last_status INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (activity_id, target)
);
CREATE INDEX deliveries_due ON deliveries (state, next_try_at);
CREATE INDEX deliveries_by_host ON deliveries (host, state);

-- What we know of each server we deliver to. A server is marked unavailable
-- only after failing on several distinct days (Mastodon's rule), never by a
-- count of attempts; a short pause after a burst of failures lasts at most a minute.
CREATE TABLE delivery_hosts (
    host TEXT PRIMARY KEY,
    available INTEGER NOT NULL DEFAULT 1,
    paused_until TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_success_at TEXT,
    last_failure_at TEXT
);

-- The distinct UTC days on which a server failed since its last success.
CREATE TABLE delivery_host_failure_days (
    host TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (host, day)
);
