"""The proposal forms without JavaScript: the new-proposal form read into the
API's body, and a ballot as it was filled in, to give it back with its
problems beside each option, number or reason."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fedchapter.errors import N_, Problems, ValidationError
from fedchapter.proposals.model import Method, Proposal
from web.form_errors import Locator, Place, Translate, fields_at
from web.forms import Form

PROPOSAL_FIELDS = fields_at({
    "title": ("title", N_("Title")),
    "body": ("body", N_("The proposal (Markdown)")),
    "method": ("method", N_("How members decide")),
    "options": ("options", N_("Options")),
    "seats": ("seats", N_("Seats to fill (STV)")),
    "stv_rule": ("stv_rule", N_("STV counting rule")),
    "closes_at": ("closes_at", N_("Voting closes")),
    "quorum": ("quorum", N_("Quorum")),
    "threshold": ("threshold", N_("Threshold (not for ranked ballots)")),
    "share_with": ("share_with", N_("Share with other chapters")),
    "status": ("status-open", N_("Open it now?")),
})


def form_to_body(form: Form, timezone: str) -> tuple[dict[str, Any], Problems]:
    """The new-proposal form as the API's body (the closing time is typed in
    the chapter's zone), and what the form itself could not read."""
    problems = Problems()

    def lines(name: str) -> list[str]:
        return [line.strip() for line in (form.get(name) or "").splitlines() if line.strip()]

    body: dict[str, Any] = {"title": form.get("title", ""), "body": form.get("body", ""),
                            "method": form.get("method") or None, "hide_results": form.get("hide_results") == "on"}
    method = form.get("method", "")
    if method in ("single", "multiple", "irv", "stv"):
        body["options"] = lines("options")
    if method == "stv":
        raw_seats = (form.get("seats") or "").strip()
        if raw_seats and not raw_seats.isdigit():
            problems.add(ValidationError("seats", N_("enter a whole number")))
        elif raw_seats:
            body["seats"] = int(raw_seats)
        body["stv_rule"] = form.get("stv_rule") or None
    closes = (form.get("closes_at") or "").strip()
    if closes:
        try:
            body["closes_at"] = datetime.fromisoformat(closes).replace(tzinfo=ZoneInfo(timezone)).isoformat()
        except ValueError:
            problems.add(ValidationError("closes_at", N_("enter a date and a time")))
    for name in ("quorum", "threshold", "status"):
        if (form.get(name) or "").strip() and not (method in ("irv", "stv") and name == "threshold"):
            body[name] = form.get(name, "").strip()
    if lines("share_with"):
        body["share_with"] = lines("share_with")
    return body, problems


def typed_ballot(proposal: Proposal, form: Form) -> dict[str, Any]:
    """The ballot as it was filled in: numbers by option, the choice or ticks, the reason."""
    return {
        "ranks": [(form.get(f"rank-{number}") or "").strip() for number in range(len(proposal.options))],
        "choice": form.get("choice") or "",
        "choices": form.getlist("choices"),
        "reason": form.get("reason") or "",
    }


def ballot_locator(proposal: Proposal) -> Locator:
    """Where a ballot's problem is shown: beside the option's number
    (`rank.<option>`), the group of options, or the reason."""
    def locate(path: str, translate: Translate) -> Place | None:
        head, _, rest = path.partition(".")
        if head == "rank" and rest in proposal.options:
            return Place(f"rank-{proposal.options.index(rest)}", rest)
        if head == "ranking":
            return Place("ballot-ranking", translate(N_("Your order of preference")))
        if head in ("choice", "choices"):
            return Place("ballot-choice", translate(N_("Your choice")))
        if head == "reason":
            label = (N_("Your reason (required to block, welcome when you disagree)")
                     if proposal.method is Method.CONSENT else N_("A comment on your vote (optional)"))
            return Place("reason", translate(label))
        return None

    return locate
