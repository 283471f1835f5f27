"""Conditional GETs for the feeds and the ActivityPub documents: an ETag (and,
where a stored timestamp covers everything shown, a Last-Modified) on every
200, and 304 with no body when the client already holds that answer.

The validator is a weak ETag made of the reader's class and a hash of the
body as sent, not a version counter, because:
- it changes exactly when what the document shows changes, whatever changed
  it and in whichever process: an edit, a deletion, a vote or a follower
  arriving through the inbox worker, the chapter's profile. A counter would
  have to be bumped on every one of those write paths (a dozen services and
  the inbox handlers), and one forgotten path is a stale 304 for good;
- the hash is of the very bytes this reader gets, so a 304 only tells a
  client it already holds what it is entitled to; the class ("public" or
  "members") in the tag keeps members' and others' answers apart anyway;
- hashing a few kB costs microseconds next to building the document; the
  feeds' bytes come from a cache keyed on the stored versions
  (web/calendar_cache.py), so there the tag comes for free.
It is weak (W/) because it stands for the content, not the byte encoding.

Last-Modified is sent only from a stored timestamp that moves whenever the
document changes (an event's ``updated_at`` for its .ics); documents that
also show counts, lists or deletions carry the ETag alone, since a date that
does not move would answer 304 to a stale copy. If-None-Match wins over
If-Modified-Since (RFC 9110 §13.2.2).
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from hashlib import blake2b

from starlette.requests import Request
from starlette.responses import Response

from fedchapter.readers import Reader
from fedchapter.visibility import Visibility

PUBLIC = "public"
MEMBERS = "members"
# What decides who gets which answer on a per-reader URL: the session cookie,
# an API token, or a signed fetch.
_PER_READER_VARY = ("Cookie", "Authorization", "Signature")


def reader_class(reader: Reader) -> str:
    """The class of readers who all get the same feed."""
    return MEMBERS if reader.is_member else PUBLIC


def visibility_class(visibility: Visibility) -> str:
    """An object's document is the same for everyone allowed to see it."""
    return PUBLIC if visibility.is_public else MEMBERS


def etag_for(body: bytes, media_type: str | None, klass: str) -> str:
    # The media type is hashed too: one URL serves HTML and AS2 JSON.
    digest = blake2b(body, digest_size=12)
    digest.update((media_type or "").encode())
    return f'W/"{klass}-{digest.hexdigest()}"'


def _matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 §8.8.3.2), as If-None-Match asks."""
    ours = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == ours:
            return True
    return False


def client_holds(if_none_match: str | None, if_modified_since: str | None,
                 etag: str, last_modified: datetime | None) -> bool:
    """The request's validators match the answer (``last_modified``: the date
    the answer was sent with, if any): a 304 will do."""
    if if_none_match is not None:
        return _matches(if_none_match, etag)
    if last_modified is not None and if_modified_since is not None:
        return _not_modified_since(if_modified_since, last_modified)
    return False


def _not_modified_since(if_modified_since: str, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored (RFC 9110 §13.1.3)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since


def _merge_vary(existing: str | None, extra: tuple[str, ...]) -> str:
    names = [name.strip() for name in (existing or "").split(",") if name.strip()]
    for name in extra:
        if name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return ", ".join(names)


def conditional(
    request: Request,
    response: Response,
    *,
    klass: str = PUBLIC,
    per_reader: bool = False,
    last_modified: datetime | None = None,
    now: datetime | None = None,
) -> Response:
    """Give a 200 its validators, or answer 304 when the request's match.

    ``klass``: the reader class the answer was made for. ``per_reader``: the
    same URL answers differently to other readers (Vary names what decides,
    and members' answers are private to the reader). ``last_modified`` needs
    ``now`` (the service clock at the time the data was read).
    """
    if response.status_code != 200 or request.method not in ("GET", "HEAD"):
        return response
    headers = {
        "ETag": etag_for(response.body, response.media_type, klass),
        # Revalidate every time (that is what the tag is for); members' answers
        # are never stored by shared caches.
        "Cache-Control": "private, no-cache" if klass == MEMBERS else "no-cache",
    }
    vary = _merge_vary(response.headers.get("vary"), _PER_READER_VARY if per_reader else ())
    if vary:
        headers["Vary"] = vary
    if last_modified is not None and now is not None:
        # A date still in the current second could also be the date of an edit
        # made later in that second: only a second that is over is a validator.
        if last_modified.replace(microsecond=0) + timedelta(seconds=1) <= now:
            headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
    sent_date = last_modified if "Last-Modified" in headers else None
    if client_holds(request.headers.get("if-none-match"), request.headers.get("if-modified-since"),
                    headers["ETag"], sent_date):
        return Response(status_code=304, headers=headers)
    for name, value in headers.items():
        response.headers[name] = value
    return response


def conditional_object(
    request: Request,
    response: Response,
    visibility: Visibility,
    *,
    last_modified: datetime | None = None,
    now: datetime | None = None,
) -> Response:
    """``conditional`` for one object's document (AS2 or .ics): the same for
    everyone allowed to see it, and private to each reader when members-only."""
    return conditional(request, response, klass=visibility_class(visibility),
                       per_reader=not visibility.is_public, last_modified=last_modified, now=now)
