-- Membership: join requests, invitations, remote members, role terms and the
-- security state of local logins (throttling, forced password changes).

-- (Invitations first: join_requests refers to them, and PostgreSQL checks that.)
-- Invitation links: the token is shown once; only its hash is kept.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    note TEXT NOT NULL DEFAULT '',
    max_uses INTEGER NOT NULL CHECK (max_uses >= 1),
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);

-- A visitor who joins gets an account at once (role 'supporter') and a join
-- request; approval makes them a member. One open request per user.
CREATE TABLE join_requests (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    message TEXT NOT NULL DEFAULT '',
    invitation_id INTEGER REFERENCES invitations (id),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users (id)
);
CREATE INDEX join_requests_by_state ON join_requests (state, id);

-- Fediverse accounts elsewhere that are members of this chapter.
CREATE TABLE remote_members (
    actor_id TEXT PRIMARY KEY,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    handle TEXT,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('supporter', 'member', 'secretary', 'facilitator')),
    added_by INTEGER REFERENCES users (id),
    added_at TEXT NOT NULL
);

-- Who held which office when: exactly one of user_id / remote_actor_id.
-- Ended terms stay, so "who took minutes last month" has an answer.
CREATE TABLE role_terms (
    id INTEGER PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('secretary', 'facilitator', 'admin')),
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    remote_actor_id TEXT,
    holder_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    CHECK ((user_id IS NULL) <> (remote_actor_id IS NULL) OR ended_at IS NOT NULL)
);
CREATE INDEX role_terms_current ON role_terms (role, ended_at);

-- Failed logins, keyed 'user:NAME' or 'client:ADDRESS'; kept in the database
-- so a lockout survives a restart. Old rows are pruned on each failure.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, failed_at);

-- Accounts whose password an admin reset: they must choose a new one.
CREATE TABLE password_change_required (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    since TEXT NOT NULL
);
