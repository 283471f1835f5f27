-- Who the chapter relays remote replies from (FEP-1b12 Announce), and how
-- many relays one remote actor may cause per hour. 'followers_and_members':
-- replies by the chapter's accepted followers and its members are relayed,
-- others are shown here only; 'moderated': others' replies wait hidden until
-- a moderator shows them, and are relayed then.
ALTER TABLE chapter ADD COLUMN relay_replies TEXT NOT NULL DEFAULT 'followers_and_members'
    CHECK (relay_replies IN ('followers_and_members', 'moderated'));
ALTER TABLE chapter ADD COLUMN relays_per_actor_hour INTEGER NOT NULL DEFAULT 10
    CHECK (relays_per_actor_hour >= 0);

-- Every relay of a remote reply (its Create, or an Update of it), so the cap
-- per actor per hour holds across processes, and so an Update or Delete is
-- relayed only for a reply whose Create was.
CREATE TABLE reply_relays (
    object_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    relayed_at TEXT NOT NULL
);
CREATE INDEX reply_relays_by_actor ON reply_relays (actor_id, relayed_at);
CREATE INDEX reply_relays_by_object ON reply_relays (object_id);

-- When each server last answered each activity type: a server that times
-- out on one type while it answers others is not down, so those timeouts do
-- not count towards marking it unavailable (federation.delivery.policy).
CREATE TABLE delivery_host_types (
    host TEXT NOT NULL,
    activity_type TEXT NOT NULL,
    last_success_at TEXT NOT NULL,
    PRIMARY KEY (host, activity_type)
);
