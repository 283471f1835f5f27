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
from fedchapter.errors import N_, Problems, ValidationError
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
        raise ValidationError(unknown[0], N_("unknown field; accepted fields are %(fields)s"),
                              fields=", ".join(sorted(ACCEPTED_FIELDS)))
    # Every field is read, so a form can show every problem at once.
    problems = Problems()
    method = problems.take(lambda: _method(body.get("method")))
    options = problems.take(lambda: _options(method, body.get("options"))) if method is not None else None
    # In the order the API has always reported them: its answer names the first.
    values: dict[str, Any] = {
        "title": problems.take(lambda: fields.text(body.get("title"), "title", limit=MAX_TITLE, required=True)),
        "body": problems.take(lambda: fields.text(body.get("body"), "body", limit=MAX_BODY, required=True)),
    }
    if method is not None and options is not None:
        values["seats"] = problems.take(lambda: _seats(method, body.get("seats"), len(options)))
    if method is not None:
        values["stv_rule"] = problems.take(lambda: _stv_rule(method, body.get("stv_rule")))
    values["closes_at"] = problems.take(lambda: _closes_at(body.get("closes_at"), now))
    values["quorum"] = problems.take(lambda: _quorum(body.get("quorum")))
    if method is not None:
        values["threshold"] = problems.take(lambda: _threshold(method, body.get("threshold")))
    values["hide_results"] = problems.take(lambda: _flag(body.get("hide_results"), "hide_results"))
    values["share_with"] = problems.take(lambda: _share_with(body.get("share_with")))
    values["status"] = problems.take(lambda: _status(body.get("status")))
    network = problems.take(lambda: _network_fields(body))
    problems.raise_any()
    assert method is not None and options is not None and network is not None
    return ProposalDraft(method=method, options=options, **values, **network)


def _method(value: object) -> Method:
    choices = ", ".join(method.value for method in Method)
    if value is None:
        raise ValidationError("method", N_("is required: one of %(options)s"),
                              plain=N_("choose one of the options"), options=choices)
    try:
        return Method(value)
    except ValueError:
        raise ValidationError("method", N_("must be one of %(options)s"),
                              plain=N_("choose one of the options"), options=choices) from None


def _options(method: Method, value: object) -> tuple[str, ...]:
    fixed = method.fixed_options
    if fixed is not None:
        if value is None or value == [] or value == list(fixed):
            return fixed
        raise ValidationError("options", N_("a %(method)s proposal always has the options %(options)s"),
                              plain=N_("this way of deciding has its own options: leave this empty"),
                              method=method.value, options=", ".join(fixed))
    if value is None:
        raise ValidationError("options", N_("are required for a %(method)s proposal"),
                              plain=N_("give the options, one per line"), method=method.value)
    if not isinstance(value, list):
        raise ValidationError("options", N_("must be a list of option names"))
    if not 2 <= len(value) <= MAX_OPTIONS:
        raise ValidationError("options", N_("give from 2 to %(most)s options"), most=MAX_OPTIONS)
    seen: set[str] = set()
    options: list[str] = []
    for number, item in enumerate(value):
        field = f"options.{number}"
        name = fields.text(item, field, limit=MAX_OPTION, required=True)
        # Mastodon votes name the option, so names must differ beyond case.
        if name.casefold() in seen:
            raise ValidationError(field, N_("%(name)s is listed twice"), name=repr(name),
                                  plain=N_("an option is listed twice: %(name)s"))
        seen.add(name.casefold())
        options.append(name)
    return tuple(options)


def _seats(method: Method, value: object, option_count: int) -> int:
    if value is None:
        return 1
    seats = fields.whole_number(value, "seats", minimum=1)
    if method is Method.IRV and seats != 1:
        raise ValidationError("seats", N_("instant-runoff fills one seat; use stv for several"),
                              plain=N_("an instant-runoff vote fills one seat; choose STV for several"))
    if method is not Method.STV and method is not Method.IRV:
        raise ValidationError("seats", N_("a %(method)s proposal has no seats"),
                              plain=N_("only a ranked vote fills seats: leave this empty"), method=method.value)
    if not 1 <= seats < option_count:
        raise ValidationError("seats", N_("must be from 1 to %(most)s (fewer than the options)"),
                              most=option_count - 1)
    return seats


def _stv_rule(method: Method, value: object) -> StvRule:
    if value is None:
        return StvRule.SCOTTISH
    if method is not Method.STV:
        raise ValidationError("stv_rule", N_("applies only to stv proposals"))
    try:
        return StvRule(value)
    except ValueError:
        raise ValidationError("stv_rule", N_("must be scottish or meek"),
                              plain=N_("choose one of the options")) from None


def _closes_at(value: object, now: datetime) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("closes_at", N_("is required: a date and time with its offset, 2026-07-01T18:00:00+01:00"),
                              plain=N_("enter a date and a time"))
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("closes_at", N_("is not an ISO 8601 date and time"),
                              plain=N_("enter a date and a time")) from None
    if moment.utcoffset() is None:
        raise ValidationError("closes_at", N_("needs an offset or Z, so every chapter reads the same moment"))
    if moment <= now:
        raise ValidationError("closes_at", N_("must be in the future"))
    if moment - now > LONGEST_VOTE:
        raise ValidationError("closes_at", N_("must be within a year"))
    return moment


def _quorum(value: object) -> Quorum | None:
    if value is None or value == "":
        return None
    try:
        return Quorum.parse(value)
    except ValueError as error:
        raise ValidationError("quorum", "%(reason)s", reason=str(error),
                              plain=N_("enter a number of voters, or a share of members such as 25%%")) from None


def _threshold(method: Method, value: object) -> Threshold | None:
    if value is None or value == "":
        return None
    if method.is_ranked:
        raise ValidationError("threshold", N_("a ranked ballot elects by quota; a threshold does not apply"))
    try:
        return Threshold(value)
    except ValueError:
        choices = ", ".join(threshold.value for threshold in Threshold)
        raise ValidationError("threshold", N_("must be one of %(options)s"),
                              plain=N_("choose one of the options"), options=choices) from None


def _flag(value: object, field: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError(field, N_("must be true or false"))
    return value


def _share_with(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_SHARE_WITH:
        raise ValidationError("share_with", N_("must be a list of at most %(most)s actor URLs"), most=MAX_SHARE_WITH)
    actors: list[str] = []
    for number, item in enumerate(value):
        field = f"share_with.{number}"
        if not isinstance(item, str) or len(item) > MAX_URL:
            raise ValidationError(field, N_("must be an actor URL"),
                                  plain=N_("give each chapter's address, such as https://example.org/actor"))
        parts = urlsplit(item.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(field, N_("must be an http(s) actor URL"),
                                  plain=N_("give each chapter's address, such as https://example.org/actor"))
        if item.strip() not in actors:
            actors.append(item.strip())
    return tuple(actors)


def _status(value: object) -> Status | None:
    if value is None:
        return None
    if value not in (Status.DRAFT.value, Status.OPEN.value):
        raise ValidationError("status", N_("must be draft or open"), plain=N_("choose one of the options"))
    return Status(value)


def _network_fields(body: dict[str, Any]) -> dict[str, Any]:
    scope, rule = body.get("scope"), body.get("network_rule")
    if scope is None:
        if rule is not None:
            raise ValidationError("network_rule", N_("applies only to a proposal with a scope"))
        return {}
    if scope not in {item.value for item in Scope}:
        raise ValidationError("scope", N_("must be chapters or members"), plain=N_("choose one of the options"))
    if scope == Scope.MEMBERS.value:
        # One ballot of every member, counted with the proposal's own method: no rule combines reports.
        if rule is not None:
            raise ValidationError("network_rule", N_("applies only to scope chapters; scope members counts ballots"))
        return {"scope": Scope.MEMBERS}
    if rule is not None and rule not in {item.value for item in NetworkRule}:
        raise ValidationError("network_rule", N_("must be chapters or delegates"),
                              plain=N_("choose one of the options"))
    return {"scope": Scope(scope), "network_rule": NetworkRule(rule or NetworkRule.CHAPTERS.value)}
