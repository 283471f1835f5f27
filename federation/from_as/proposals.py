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
            scope=_scope(ours(obj, "scope")),
            tally=read_tally(ours(obj, "tally")) if _scope(ours(obj, "scope")) == "chapters" else None,
        )
    except ValueError as error:
        raise ValueError(f"the shared proposal cannot be read: {error}") from None


# Bounds on what a network's tally may carry: it is kept and shown as sent.
MAX_TALLY_CHAPTERS = 1000


def read_tally(value: Any) -> dict[str, Any] | None:
    """A network's running tally (`fc:tally`, docs/networks.md) as the API shows
    it: only the known fields, each of its type; anything else is dropped."""
    if not isinstance(value, dict):
        return None
    chapters = [
        {"chapter": row["chapter"], "outcome": _text(row.get("outcome")), "weight": _whole(row.get("weight")),
         "voters": _whole(row.get("voters")), "reported_at": _text(row.get("reportedAt")),
         "report": _text(row.get("report"))}
        for row in (value.get("chapters") if isinstance(value.get("chapters"), list) else [])[:MAX_TALLY_CHAPTERS]
        if isinstance(row, dict) and isinstance(row.get("chapter"), str)
    ]
    pending = value.get("pending") if isinstance(value.get("pending"), list) else []
    weighted = value.get("weighted") if isinstance(value.get("weighted"), dict) else {}
    return {
        "network_rule": _text(value.get("networkRule")), "outcome": _text(value.get("outcome")),
        "final": value.get("final") is True, "chapters": chapters,
        "pending": [item for item in pending[:MAX_TALLY_CHAPTERS] if isinstance(item, str)],
        "weighted": {str(key)[:40]: _whole(count) or 0 for key, count in list(weighted.items())[:20]},
        "updated": _text(value.get("updated")),
    }


def _text(value: Any) -> str | None:
    return value[:2000] if isinstance(value, str) else None


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _scope(value: Any) -> str | None:
    """A network's scope (docs/networks.md); anything else means a plain shared proposal."""
    return value if value in ("chapters", "members") else None


def _body(obj: dict[str, Any], title: str) -> str:
    content = obj.get("content") if isinstance(obj.get("content"), str) else ""
    text = html_to_text(content)
    # Our Questions lead with the title (Mastodon shows no name); drop it once.
    if text.startswith(title.strip()):
        text = text[len(title.strip()):].lstrip()
    return text[:MAX_BODY]


@dataclass(frozen=True)
class ReadBallot:
    proposal_id: str
    chapter: str
    voter: str
    choices: tuple[str, ...]
    cast_at: datetime
    members: int


def read_forwarded_ballot(urls: Urls, obj: dict[str, Any]) -> ReadBallot | None:
    """A member's ballot a chapter forwards on one of our members proposals:
    a Note carrying ``fc:ballot``, replying to our Question."""
    ballot = ours(obj, "ballot")
    if obj.get("type") != "Note" or ballot is None:
        return None
    proposal_id = proposal_id_at(urls, first_id(obj.get("inReplyTo")))
    if proposal_id is None:
        return None
    chapter = first_id(obj.get("attributedTo"))
    if chapter is None or not isinstance(ballot, dict):
        raise ValueError("a forwarded ballot needs attributedTo and an fc:ballot object")
    voter, choices, cast_at, members = (ballot.get("voter"), ballot.get("choices"), ballot.get("castAt"),
                                        ballot.get("members"))
    if not isinstance(voter, str) or not voter.startswith(("https://", "http://")):
        raise ValueError("a forwarded ballot names its voter by actor URL")
    if not isinstance(choices, list) or not all(isinstance(choice, str) for choice in choices):
        raise ValueError("a forwarded ballot's choices are a list of options")
    if isinstance(members, bool) or not isinstance(members, int) or members < 0:
        raise ValueError("a forwarded ballot says how many voting members its chapter has")
    try:
        cast = from_iso(cast_at) if isinstance(cast_at, str) else None
    except ValueError:
        cast = None
    if cast is None:
        raise ValueError("a forwarded ballot needs castAt, a date and time")
    return ReadBallot(proposal_id=proposal_id, chapter=chapter, voter=voter,
                      choices=tuple(choice[:MAX_NAME] for choice in choices), cast_at=cast, members=members)
