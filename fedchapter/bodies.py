"""The shapes of the smaller API request bodies (news posts, comments,
remote members, networks), described once (``fedchapter.body_schema``):
checked at the API and shown in its OpenAPI document. The events, minutes and
proposals bodies live beside their parsers (``*/bodies.py``)."""
from __future__ import annotations

from fedchapter.body_schema import Boolean, Integer, ListOf, Obj, Text
from fedchapter.posts import READ_ONLY_FIELDS as POST_READ_ONLY
from fedchapter.roles import Role
from fedchapter.visibility import Visibility

POST_BODY = Obj(
    {"title": Text(), "body": Text(description="Markdown"), "summary": Text(),
     "visibility": Text.of(Visibility), "language": Text(description="BCP 47 tag")},
    required=("title", "body"),
    echoed=POST_READ_ONLY,
    closed=True,
)
COMMENT_BODY = Obj(
    {"object": Text(description="the ActivityPub id of what is commented on"),
     "content": Text(description="Markdown"), "in_reply_to": Text(description="the comment answered"),
     "summary": Text(description="a content warning")},
    required=("object", "content"),
    closed=True,
)
HIDDEN_BODY = Obj({"hidden": Boolean()}, closed=True)
LOCK_BODY = Obj({"object": Text(), "locked": Boolean()}, required=("object",), closed=True)
REMOTE_MEMBER_BODY = Obj(
    {"actor": Text(description="@name@host or an actor URL"), "role": Text.of(Role)},
    required=("actor",),
)
AFFILIATION_BODY = Obj({"network": Text(description="the network's @name@host or actor URL")},
                       required=("network",))
MEMBER_CHAPTER_CHANGES = Obj(
    {"weight": Integer(minimum=1, description="delegates it sends: 1 for a local group, 3 with national reach"),
     "delegates": ListOf(Text())},
)
