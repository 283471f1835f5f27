-- Our own actors: the chapter's Group, the instance Application, members' Persons.
-- Private keys live here, inside the data folder, with the rest of the chapter.
CREATE TABLE local_actors (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL CHECK (kind IN ('group', 'application', 'person')),
    display_name TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The one chapter this installation serves, and what its admins edit.
CREATE TABLE chapter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    actor_id INTEGER NOT NULL REFERENCES local_actors (id),
    instance_actor_id INTEGER NOT NULL REFERENCES local_actors (id),
    openness TEXT NOT NULL DEFAULT 'moderated'
        CHECK (openness IN ('open', 'moderated', 'invite_only')),
    approve_followers INTEGER NOT NULL DEFAULT 0
);

-- Local accounts. A supporter may comment and RSVP but does not vote.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL UNIQUE REFERENCES local_actors (id),
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL
        CHECK (role IN ('supporter', 'member', 'secretary', 'facilitator', 'admin')),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- API tokens are stored hashed: a stolen backup does not hand out access.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);
