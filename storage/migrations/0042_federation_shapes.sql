-- Federation shapes (issue 14).

-- The outbox shows each live object once, as it is now: servers backfill from
-- it, and a stale Create next to its Update and Delete resurrected deleted
-- and pre-edit objects. 'listed' rows make the outbox; 'folded' ones (an
-- Update merged into its Create, a Delete) are still served at their id;
-- 'withdrawn' ones (anything about a deleted object) are served nowhere.
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'listed'
    CHECK (state IN ('listed', 'folded', 'withdrawn'));
DROP INDEX outbox_public;
CREATE INDEX outbox_public ON outbox (local_actor_id, public, state, id);

-- Content warnings: a reply's `summary` shown as the warning, its text behind it.
ALTER TABLE comments ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;
-- Media attached to a remote reply, as JSON [{"url", "media_type", "name"}]
-- (http(s) URLs only), shown as links.
ALTER TABLE comments ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
