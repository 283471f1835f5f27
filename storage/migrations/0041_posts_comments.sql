-- News posts: the chapter's blog and bulletins.
CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
    language TEXT NOT NULL DEFAULT 'en',
    author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX posts_by_date ON posts (created_at DESC);

-- Comments under our objects (events, minutes, proposals, posts), local and
-- remote. `target` is the object's ActivityPub id; `in_reply_to` the direct
-- parent (the target or another comment). content_html is sanitised.
CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    target TEXT NOT NULL,
    in_reply_to TEXT NOT NULL,
    author_actor_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_url TEXT NOT NULL,
    author_handle TEXT NOT NULL,
    author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    content_html TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    state TEXT NOT NULL CHECK (state IN ('visible', 'hidden', 'deleted')),
    published TEXT NOT NULL,
    updated TEXT
);
CREATE INDEX comments_by_target ON comments (target, published);
CREATE INDEX comments_by_author ON comments (author_actor_id);

-- Objects whose comments a moderator closed.
CREATE TABLE comment_locks (
    target TEXT PRIMARY KEY,
    locked_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
