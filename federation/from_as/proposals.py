"""Reading what other servers send about proposals: a poll vote (Mastodon's
`Note{name, inReplyTo}`), a proposal another chapter shared (`Question` with
our namespace fields) and a chapter's decision (`Note` with `fc:result`).

Readers accept a superset: compact (`fc:method`) and expanded
(`https://fedchapter.org/ns#method`) names, lists where one value is expected.
Each returns None when the object is not of its kind, and raises ValueError
with a reason when it is but cannot be read.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fedchapter.clock import from_iso
from fedchapter.proposals.model import Method, ProposalOffer, StvRule
from fedchapter.proposals.rules import Quorum, Threshold
from fedchapter.text import html_to_text
from federation.urls import Urls
from federation.vocabulary import FEDCHAPTER_NS

MAX_NAME = 200
MAX_BODY = 20_000


def ours(obj: dict[str, Any], name: str) -> Any:
    """A term of our namespace, compact or expanded."""
    if f"fc:{name}" in obj:
        return obj[f"fc:{name}"]
    return obj.get(FEDCHAPTER_NS + name)


def first_id(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def addressed(obj: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for key in ("to", "cc", "audience"):
        value = obj.get(key)
        for item in value if isinstance(value, list) else [value]:
            identifier = first_id(item)
            if identifier:
                found.add(identifier)
    return found


def proposal_id_at(urls: Urls, url: str | None) -> str | None:
    """The short id in one of our proposal URLs, or None."""
    prefix = urls.proposal("")
    if not url or not url.startswith(prefix):
        return None
    rest = url[len(prefix):]
    return rest if rest and not any(mark in rest for mark in "/?#") else None


@dataclass(frozen=True)
class PollVote:
    note_id: str
    proposal_id: str
    option: str
    voter: str  # the Note's attributedTo


def read_poll_vote(urls: Urls, obj: dict[str, Any]) -> PollVote | None:
    """A Mastodon poll vote on one of our proposals: a Note with a `name`, no
    content, replying to our Question (app/services/vote_service.rb)."""
    if obj.get("type") != "Note" or ours(obj, "result") is not None:
        return None
    proposal_id = proposal_id_at(urls, first_id(obj.get("inReplyTo")))
    name = obj.get("name")
    if proposal_id is None or not isinstance(name, str) or not name.strip():
        return None
    if isinstance(obj.get("content"), str) and html_to_text(obj["content"]).strip():
        return None  # a reply with text is a comment, not a vote
    note_id, voter = first_id(obj.get("id")), first_id(obj.get("attributedTo"))
    if note_id is None or voter is None:
        raise ValueError("a poll vote needs an id and attributedTo")
    return PollVote(note_id=note_id, proposal_id=proposal_id, option=name.strip()[:MAX_NAME], voter=voter)


def read_chapter_result(urls: Urls, obj: dict[str, Any]) -> tuple[str, str, dict[str, Any]] | None:
    """(our proposal id, the reporting chapter, the result) from a decision Note."""
    result = ours(obj, "result")
    if obj.get("type") != "Note" or result is None:
        return None
    proposal_id = proposal_id_at(urls, first_id(obj.get("inReplyTo")))
    if proposal_id is None:
        return None
    chapter = first_id(obj.get("attributedTo"))
    if chapter is None or not isinstance(result, dict):
        raise ValueError("a decision needs attributedTo and an fc:result object")
    return proposal_id, chapter, result


def read_offer(obj: dict[str, Any], received_at: datetime) -> ProposalOffer | None:
    """A proposal another chapter shared: a Question with `fc:method`."""
    method_name = ours(obj, "method")
    if obj.get("type") != "Question" or method_name is None:
        return None
    question_id, origin = first_id(obj.get("id")), first_id(obj.get("attributedTo"))
    if question_id is None or origin is None:
        raise ValueError("a shared proposal needs an id and attributedTo")
    try:
        method = Method(method_name)
    except ValueError:
        raise ValueError(f"unknown proposal method {method_name!r}") from None
    choices = obj.get("anyOf") if method is Method.MULTIPLE else obj.get("oneOf")
    options = tuple(
        item["name"].strip()[:MAX_NAME] for item in choices or []
        if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip()
    )
    title = obj.get("name") if isinstance(obj.get("name"), str) else ""
    end_time = obj.get("endTime")
    if not title or not options or not isinstance(end_time, str):
        raise ValueError("a shared proposal needs a name, options and an endTime")
    try:
        closes_at = from_iso(end_time)
        quorum_value = ours(obj, "quorum")
        threshold_value = ours(obj, "threshold")
        seats = ours(obj, "seats")
        return ProposalOffer(
            question_id=question_id,
            origin_chapter=origin,
            title=title.strip()[:MAX_NAME],
            body=_body(obj, title),
            method=method,
            options=options,
            seats=seats if isinstance(seats, int) and not isinstance(seats, bool) and seats > 0 else 1,
            stv_rule=StvRule(ours(obj, "stvRule") or StvRule.SCOTTISH.value),
            quorum=None if quorum_value is None else Quorum.parse(quorum_value),
            threshold=None if threshold_value is None else Threshold(threshold_value),
            closes_at=closes_at,
            received_at=received_at,
        )
    except ValueError as error:
        raise ValueError(f"the shared proposal cannot be read: {error}") from None


def _body(obj: dict[str, Any], title: str) -> str:
    content = obj.get("content") if isinstance(obj.get("content"), str) else ""
    text = html_to_text(content)
    # Our Questions lead with the title (Mastodon shows no name); drop it once.
    if text.startswith(title.strip()):
        text = text[len(title.strip()):].lstrip()
    return text[:MAX_BODY]
