"""Reading the `POST /api/v1/proposals` body (and the new-proposal form).

Every refusal is a ValidationError naming the field at fault (`options.2`),
so the API answers 422 with `field`; wrong types are refusals, never crashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from fedchapter import input as fields
from fedchapter.errors import ValidationError
from fedchapter.networks.model import NetworkRule, Scope
from fedchapter.proposals.model import Method, Status, StvRule
from fedchapter.proposals.rules import Quorum, Threshold

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_OPTION = 200
MAX_OPTIONS = 50
MAX_SHARE_WITH = 100
MAX_URL = 2_000
LONGEST_VOTE = timedelta(days=366)

ACCEPTED_FIELDS = frozenset({
    "title", "body", "method", "options", "seats", "stv_rule", "closes_at", "quorum", "threshold",
    "hide_results", "share_with", "status", "scope", "network_rule",
})


@dataclass(frozen=True, kw_only=True)
class ProposalDraft:
    """A checked proposal as its author wrote it, before it gets an id."""

    title: str
    body: str
    method: Method
    options: tuple[str, ...]
    closes_at: datetime
    seats: int = 1
    stv_rule: StvRule = StvRule.SCOTTISH
    quorum: Quorum | None = None
    threshold: Threshold | None = None
    hide_results: bool = False
    share_with: tuple[str, ...] = ()
    # What the author asked for; None lets their role decide (members draft, facilitators open).
    status: Status | None = None
    # On a network: put to the member chapters, and how their reports combine (docs/networks.md).
    scope: Scope | None = None
    network_rule: NetworkRule | None = None


def read_proposal(body: dict[str, Any], now: datetime) -> ProposalDraft:
    unknown = sorted(set(body) - ACCEPTED_FIELDS)
    if unknown:
        raise ValidationError(unknown[0], f"unknown field; accepted fields are {', '.join(sorted(ACCEPTED_FIELDS))}")
    method = _method(body.get("method"))
    options = _options(method, body.get("options"))
    return ProposalDraft(
        title=fields.text(body.get("title"), "title", limit=MAX_TITLE, required=True),
        body=fields.text(body.get("body"), "body", limit=MAX_BODY, required=True),
        method=method,
        options=options,
        seats=_seats(method, body.get("seats"), len(options)),
        stv_rule=_stv_rule(method, body.get("stv_rule")),
        closes_at=_closes_at(body.get("closes_at"), now),
        quorum=_quorum(body.get("quorum")),
        threshold=_threshold(method, body.get("threshold")),
        hide_results=_flag(body.get("hide_results"), "hide_results"),
        share_with=_share_with(body.get("share_with")),
        status=_status(body.get("status")),
        **_network_fields(body),
    )


def _method(value: object) -> Method:
    choices = ", ".join(method.value for method in Method)
    if value is None:
        raise ValidationError("method", f"is required: one of {choices}")
    try:
        return Method(value)
    except ValueError:
        raise ValidationError("method", f"must be one of {choices}") from None


def _options(method: Method, value: object) -> tuple[str, ...]:
    fixed = method.fixed_options
    if fixed is not None:
        if value is None or value == [] or value == list(fixed):
            return fixed
        raise ValidationError("options", f"a {method} proposal always has the options {', '.join(fixed)}")
    if value is None:
        raise ValidationError("options", f"are required for a {method} proposal")
    if not isinstance(value, list):
        raise ValidationError("options", "must be a list of option names")
    if not 2 <= len(value) <= MAX_OPTIONS:
        raise ValidationError("options", f"give from 2 to {MAX_OPTIONS} options")
    seen: set[str] = set()
    options: list[str] = []
    for number, item in enumerate(value):
        field = f"options.{number}"
        name = fields.text(item, field, limit=MAX_OPTION, required=True)
        # Mastodon votes name the option, so names must differ beyond case.
        if name.casefold() in seen:
            raise ValidationError(field, f"{name!r} is listed twice")
        seen.add(name.casefold())
        options.append(name)
    return tuple(options)


def _seats(method: Method, value: object, option_count: int) -> int:
    if value is None:
        return 1
    seats = fields.whole_number(value, "seats", minimum=1)
    if method is Method.IRV and seats != 1:
        raise ValidationError("seats", "instant-runoff fills one seat; use stv for several")
    if method is not Method.STV and method is not Method.IRV:
        raise ValidationError("seats", f"a {method} proposal has no seats")
    if not 1 <= seats < option_count:
        raise ValidationError("seats", f"must be from 1 to {option_count - 1} (fewer than the options)")
    return seats


def _stv_rule(method: Method, value: object) -> StvRule:
    if value is None:
        return StvRule.SCOTTISH
    if method is not Method.STV:
        raise ValidationError("stv_rule", "applies only to stv proposals")
    try:
        return StvRule(value)
    except ValueError:
        raise ValidationError("stv_rule", "must be scottish or meek") from None


def _closes_at(value: object, now: datetime) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("closes_at", "is required: a date and time with its offset, 2026-07-01T18:00:00+01:00")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("closes_at", "is not an ISO 8601 date and time") from None
    if moment.utcoffset() is None:
        raise ValidationError("closes_at", "needs an offset or Z, so every chapter reads the same moment")
    if moment <= now:
        raise ValidationError("closes_at", "must be in the future")
    if moment - now > LONGEST_VOTE:
        raise ValidationError("closes_at", "must be within a year")
    return moment


def _quorum(value: object) -> Quorum | None:
    if value is None or value == "":
        return None
    try:
        return Quorum.parse(value)
    except ValueError as error:
        raise ValidationError("quorum", str(error)) from None


def _threshold(method: Method, value: object) -> Threshold | None:
    if value is None or value == "":
        return None
    if method.is_ranked:
        raise ValidationError("threshold", "a ranked ballot elects by quota; a threshold does not apply")
    try:
        return Threshold(value)
    except ValueError:
        choices = ", ".join(threshold.value for threshold in Threshold)
        raise ValidationError("threshold", f"must be one of {choices}") from None


def _flag(value: object, field: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError(field, "must be true or false")
    return value


def _share_with(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_SHARE_WITH:
        raise ValidationError("share_with", f"must be a list of at most {MAX_SHARE_WITH} actor URLs")
    actors: list[str] = []
    for number, item in enumerate(value):
        field = f"share_with.{number}"
        if not isinstance(item, str) or len(item) > MAX_URL:
            raise ValidationError(field, "must be an actor URL")
        parts = urlsplit(item.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(field, "must be an http(s) actor URL")
        if item.strip() not in actors:
            actors.append(item.strip())
    return tuple(actors)


def _status(value: object) -> Status | None:
    if value is None:
        return None
    if value not in (Status.DRAFT.value, Status.OPEN.value):
        raise ValidationError("status", "must be draft or open")
    return Status(value)


def _network_fields(body: dict[str, Any]) -> dict[str, Any]:
    scope, rule = body.get("scope"), body.get("network_rule")
    if scope is None:
        if rule is not None:
            raise ValidationError("network_rule", "applies only to a proposal with a scope")
        return {}
    if scope not in {item.value for item in Scope}:
        raise ValidationError("scope", "must be chapters or members")
    if scope == Scope.MEMBERS.value:
        # One ballot of every member, counted with the proposal's own method: no rule combines reports.
        if rule is not None:
            raise ValidationError("network_rule", "applies only to scope chapters; scope members counts ballots")
        return {"scope": Scope.MEMBERS}
    if rule is not None and rule not in {item.value for item in NetworkRule}:
        raise ValidationError("network_rule", "must be chapters or delegates")
    return {"scope": Scope(scope), "network_rule": NetworkRule(rule or NetworkRule.CHAPTERS.value)}
