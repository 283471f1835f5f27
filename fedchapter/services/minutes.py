"""Use cases of minutes: write, circulate, approve, publish, correct, read.

Publishing and corrections are announced through the Publisher port inside
the same transaction as the write: published minutes go out as Create, a
correction as Update (its earlier text kept in the history), a deletion as
Delete. Drafts, circulated and approved minutes never leave the site.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import N_, NotFound, ValidationError
from fedchapter.minutes.model import (
    Minutes,
    MinutesContent,
    MinutesState,
    NextMeeting,
    OpenAction,
    Revision,
)
from fedchapter.minutes.workflow import check_transition, members_can_read
from fedchapter.publishing import Change, Publisher, UnitOfWork, Verb
from fedchapter.readers import Reader
from fedchapter.tokens import new_short_id
from fedchapter.visibility import Visibility

MAX_NOTE = 500


class MinutesStore(Protocol):
    async def save(self, minutes: Minutes) -> None: ...
    async def get(self, minutes_id: str) -> Minutes | None: ...
    async def latest(self, *, states: Iterable[MinutesState], visibilities: Iterable[Visibility],
                     limit: int, offset: int = 0) -> list[Minutes]: ...
    async def delete(self, minutes_id: str) -> bool: ...
    async def add_revision(self, revision: Revision) -> None: ...
    async def revisions(self, minutes_id: str) -> list[Revision]: ...
    async def open_actions(self, *, excluding: str | None = None) -> list[OpenAction]: ...
    async def open_actions_of(self, owner: str) -> list[OpenAction]: ...


# Does an event with this id exist?
EventExists = Callable[[str], Awaitable[bool]]
# Create the Event of the next meeting; answers its id.
ScheduleMeeting = Callable[[NextMeeting, MinutesContent], Awaitable[str]]


def readable_states(reader: Reader) -> tuple[MinutesState, ...]:
    if reader.may_publish_minutes:
        return tuple(MinutesState)
    if reader.is_member:
        return tuple(state for state in MinutesState if members_can_read(state))
    return (MinutesState.PUBLISHED,)


def may_read(reader: Reader, minutes: Minutes) -> bool:
    return minutes.state in readable_states(reader) and reader.may_see(minutes.visibility)


class MinutesService:
    def __init__(
        self,
        store: MinutesStore,
        publisher: Publisher,
        unit_of_work: UnitOfWork,
        *,
        event_exists: EventExists | None = None,
        schedule_meeting: ScheduleMeeting | None = None,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], str] = new_short_id,
    ) -> None:
        self.store = store
        self.publisher = publisher
        self.unit_of_work = unit_of_work
        self.event_exists = event_exists
        self.schedule_meeting = schedule_meeting
        self.clock = clock
        self.new_id = new_id

    async def _check_links(self, content: MinutesContent) -> None:
        if self.event_exists is None:
            return
        if content.event and not await self.event_exists(content.event):
            raise ValidationError("event", N_("no event with this id"))
        meeting = content.next_meeting
        if meeting is not None and meeting.event and not await self.event_exists(meeting.event):
            raise ValidationError("next_meeting.event", N_("no event with this id"))

    async def _with_meeting_event(self, minutes: Minutes) -> Minutes:
        """On publication, a next meeting with a date and a time becomes an Event
        (unless one is linked already), so members can RSVP to it."""
        meeting = minutes.content.next_meeting
        if self.schedule_meeting is None or meeting is None or meeting.event or meeting.time is None:
            return minutes
        event_id = await self.schedule_meeting(meeting, minutes.content)
        linked = dataclasses.replace(meeting, event=event_id)
        return dataclasses.replace(minutes, content=dataclasses.replace(minutes.content, next_meeting=linked))

    async def _check_carried(self, content: MinutesContent, minutes_id: str | None) -> None:
        carried = [(index, item.carried_from) for index, item in enumerate(content.actions) if item.carried_from]
        if not carried:
            return
        open_keys = {action.key for action in await self.store.open_actions(excluding=minutes_id)}
        own = await self.store.get(minutes_id) if minutes_id else None
        already = {item.carried_from for item in own.content.actions} if own else set()
        for index, key in carried:
            if key not in open_keys and key not in already:
                raise ValidationError(f"actions.{index}.carried_from", N_("no open action item with this key"))

    async def create(
        self, content: MinutesContent, *, author_user_id: int | None,
        state: MinutesState = MinutesState.PUBLISHED,
    ) -> Minutes:
        await self._check_links(content)
        await self._check_carried(content, None)
        now = self.clock()
        minutes = Minutes(
            id=self.new_id(), content=content, state=state, revision=1, author_user_id=author_user_id,
            created_at=now, updated_at=now, published_at=now if state is MinutesState.PUBLISHED else None,
        )
        async with self.unit_of_work.transaction():
            if minutes.is_published:
                minutes = await self._with_meeting_event(minutes)
            await self.store.save(minutes)
            if minutes.is_published:
                await self.publisher.publish(Change(Verb.CREATE, minutes, visibility=content.visibility))
        return minutes

    async def _existing(self, minutes_id: str) -> Minutes:
        minutes = await self.store.get(minutes_id)
        if minutes is None:
            raise NotFound("no such minutes")
        return minutes

    async def get(self, minutes_id: str, reader: Reader) -> Minutes:
        """The minutes if this reader may read them; NotFound otherwise (never Forbidden)."""
        minutes = await self.store.get(minutes_id)
        if minutes is None or not may_read(reader, minutes):
            raise NotFound("no such minutes")
        return minutes

    async def latest(self, reader: Reader, *, limit: int, offset: int = 0) -> list[Minutes]:
        visibilities = [v for v in Visibility if reader.may_see(v)]
        return await self.store.latest(states=readable_states(reader), visibilities=visibilities,
                                       limit=limit, offset=offset)

    async def published(self, *, public_only: bool, limit: int) -> list[Minutes]:
        visibilities = [Visibility.PUBLIC] if public_only else list(Visibility)
        return await self.store.latest(states=[MinutesState.PUBLISHED], visibilities=visibilities, limit=limit)

    async def correct(self, minutes_id: str, content: MinutesContent, *, editor: str, note: str = "") -> Minutes:
        """Replace the text. Published minutes get a new revision and an Update."""
        current = await self._existing(minutes_id)
        if len(note) > MAX_NOTE:
            raise ValidationError("note", N_("must be at most %(max_note)s characters"), max_note=MAX_NOTE)
        await self._check_links(content)
        await self._check_carried(content, minutes_id)
        now = self.clock()
        changed = dataclasses.replace(current, content=content, updated_at=now)
        async with self.unit_of_work.transaction():
            if current.is_published:
                changed = await self._with_meeting_event(changed)
                await self.store.add_revision(Revision(
                    minutes_id=current.id, revision=current.revision, content=current.content,
                    note=note.strip(), edited_by=editor, created_at=now,
                ))
                changed = dataclasses.replace(changed, revision=current.revision + 1)
            await self.store.save(changed)
            if current.is_published:
                await self._announce_correction(current, changed)
        return changed

    async def _announce_correction(self, before: Minutes, after: Minutes) -> None:
        if before.visibility is after.visibility or after.visibility is Visibility.PUBLIC:
            await self.publisher.publish(Change(Verb.UPDATE, after, visibility=after.visibility))
            return
        # Public minutes made members-only: withdraw them from followers, then
        # send the members their (new) copy.
        await self.publisher.publish(Change(Verb.DELETE, before, visibility=Visibility.PUBLIC))
        await self.publisher.publish(Change(Verb.CREATE, after, visibility=Visibility.MEMBERS))

    async def advance(self, minutes_id: str, state: MinutesState) -> Minutes:
        """Circulate, approve or publish."""
        current = await self._existing(minutes_id)
        check_transition(current.state, state)
        now = self.clock()
        changed = dataclasses.replace(current, state=state, updated_at=now)
        if state is MinutesState.PUBLISHED:
            changed = dataclasses.replace(changed, published_at=now)
        async with self.unit_of_work.transaction():
            if changed.is_published:
                changed = await self._with_meeting_event(changed)
            await self.store.save(changed)
            if changed.is_published:
                await self.publisher.publish(Change(Verb.CREATE, changed, visibility=changed.visibility))
        return changed

    async def delete(self, minutes_id: str) -> None:
        current = await self._existing(minutes_id)
        async with self.unit_of_work.transaction():
            await self.store.delete(minutes_id)
            if current.is_published:
                await self.publisher.publish(Change(Verb.DELETE, current, visibility=current.visibility))

    async def history(self, minutes_id: str) -> list[Revision]:
        return await self.store.revisions(minutes_id)

    async def actions_to_carry(self, *, excluding: str | None = None) -> list[OpenAction]:
        """Open items of earlier minutes, listed when drafting the next ones."""
        return await self.store.open_actions(excluding=excluding)

    async def actions_of(self, username: str) -> list[OpenAction]:
        """A member's own open action items."""
        return await self.store.open_actions_of(username)
