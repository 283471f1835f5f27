"""The organisers' answer to a remote Join, sent later than the Join itself
(an "organiser approves" event): an Accept or a Reject from the chapter,
embedding the Join as the participant's server knows it.

Only its id was kept, so the Join is rebuilt from the stored RSVP: the id is
what Mobilizon and others match the answer by (as the follow answers do)."""
from __future__ import annotations

from typing import Any

from fedchapter.actors import LocalActor
from fedchapter.events.model import Event
from fedchapter.events.records import Rsvp
from federation.local_actors import chapter_actor
from federation.outbound import Outbound
from federation.ports import ChapterStore, LocalActorStore
from federation.urls import Urls
from federation.vocabulary import context


async def send_join_answer(outbound: Outbound, urls: Urls, group: LocalActor, join: dict[str, Any],
                           participant: str, verb: str, reason: str | None = None) -> None:
    """The chapter's Accept or Reject of ``join``, to ``participant`` (a reason goes in ``summary``)."""
    document: dict[str, Any] = {
        "@context": context(),
        "id": outbound.new_activity_id(),
        "type": verb,
        "actor": urls.actor(group.username),
        "object": {key: value for key, value in join.items() if key != "@context"},
        "to": [participant],
    }
    if reason:
        document["summary"] = reason
    await outbound.send(document, group, [participant])


class EventJoinAnswers:
    def __init__(self, *, outbound: Outbound, urls: Urls, chapter: ChapterStore, actors: LocalActorStore) -> None:
        self.outbound = outbound
        self.urls = urls
        self.chapter = chapter
        self.actors = actors

    async def accept(self, event: Event, rsvp: Rsvp) -> None:
        await self._send("Accept", event, rsvp, None)

    async def reject(self, event: Event, rsvp: Rsvp, reason: str) -> None:
        await self._send("Reject", event, rsvp, reason)

    async def _send(self, verb: str, event: Event, rsvp: Rsvp, reason: str | None) -> None:
        group = await chapter_actor(self.chapter, self.actors)
        join = {"id": rsvp.join_activity, "type": "Join", "actor": rsvp.participant,
                "object": self.urls.event(event.id)}
        await send_join_answer(self.outbound, self.urls, group, join, rsvp.participant, verb, reason)
