"""Repository of proposals, their votes, the vote log, offers from other
chapters and the decisions those chapters report back."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from fedchapter.clock import from_iso, to_iso
from fedchapter.proposals.model import (
    ChapterResult,
    Method,
    Proposal,
    ProposalOffer,
    Status,
    StvRule,
    Vote,
    VoteChannel,
    VoteRecord,
)
from fedchapter.proposals.rules import Quorum, Threshold
from fedchapter.networks.tally import tally_order
from fedchapter.proposals.tally import ProposalResult
from storage.database import Database

_COLUMNS = (
    "id, title, body, method, options, seats, stv_rule, quorum, threshold, hide_results, share_with,"
    " author, status, created_at, opened_at, closes_at, closed_at, outcome_statement, result,"
    " adopted_from, origin_chapter, scope, network_rule"
)


def _optional_time(text: str | None) -> datetime | None:
    return None if text is None else from_iso(text)


def _quorum(text: str | None) -> Quorum | None:
    return None if text is None else Quorum.parse(text)


def _ballot_settings(row: sqlite3.Row) -> dict[str, Any]:
    """What proposals and offers both carry: the text, method, options and rules."""
    return {
        "title": row["title"],
        "body": row["body"],
        "method": Method(row["method"]),
        "options": tuple(json.loads(row["options"])),
        "seats": row["seats"],
        "stv_rule": StvRule(row["stv_rule"]),
        "quorum": _quorum(row["quorum"]),
        "threshold": None if row["threshold"] is None else Threshold(row["threshold"]),
    }


def _proposal(row: sqlite3.Row) -> Proposal:
    return Proposal(
        id=row["id"],
        **_ballot_settings(row),
        hide_results=bool(row["hide_results"]),
        share_with=tuple(json.loads(row["share_with"])),
        author=row["author"],
        status=Status(row["status"]),
        created_at=from_iso(row["created_at"]),
        opened_at=_optional_time(row["opened_at"]),
        closes_at=from_iso(row["closes_at"]),
        closed_at=_optional_time(row["closed_at"]),
        outcome_statement=row["outcome_statement"],
        result=None if row["result"] is None else ProposalResult.from_dict(json.loads(row["result"])),
        adopted_from=row["adopted_from"],
        origin_chapter=row["origin_chapter"],
        scope=row["scope"],
        network_rule=row["network_rule"],
    )


def _vote(row: sqlite3.Row) -> Vote:
    return Vote(
        voter=row["voter"],
        choices=tuple(json.loads(row["choices"])),
        reason=row["reason"],
        channel=VoteChannel(row["channel"]),
        cast_at=from_iso(row["cast_at"]),
    )


# fedchapter.networks.tally.supersedes in SQL, on the row being replaced: an
# Update without a tally (a plain count update) keeps the last one; a final
# tally gives way only to a final one; an older `updated` never replaces a
# newer one; an unknown `updated` on either side does not hold a tally back.
_NEWER_TALLY = (
    "(excluded.tally IS NOT NULL AND (proposal_offers.tally IS NULL OR ("
    "NOT (proposal_offers.tally_final = 1 AND excluded.tally_final = 0) AND ("
    "excluded.tally_updated IS NULL OR proposal_offers.tally_updated IS NULL"
    " OR excluded.tally_updated >= proposal_offers.tally_updated))))"
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class ProposalRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    # Proposals -----------------------------------------------------------------
    async def add(self, proposal: Proposal) -> None:
        await self.database.execute(
            f"INSERT INTO proposals ({_COLUMNS}) VALUES ({', '.join('?' * 23)})",
            (
                proposal.id, proposal.title, proposal.body, proposal.method.value, _dumps(proposal.options),
                proposal.seats, proposal.stv_rule.value,
                None if proposal.quorum is None else str(proposal.quorum),
                None if proposal.threshold is None else proposal.threshold.value,
                int(proposal.hide_results), _dumps(proposal.share_with), proposal.author,
                proposal.status.value, to_iso(proposal.created_at),
                None if proposal.opened_at is None else to_iso(proposal.opened_at),
                to_iso(proposal.closes_at),
                None if proposal.closed_at is None else to_iso(proposal.closed_at),
                proposal.outcome_statement,
                None if proposal.result is None else _dumps(proposal.result.to_dict()),
                proposal.adopted_from, proposal.origin_chapter, proposal.scope, proposal.network_rule,
            ),
        )

    async def get(self, proposal_id: str) -> Proposal | None:
        row = await self.database.fetchone(f"SELECT {_COLUMNS} FROM proposals WHERE id = ?", (proposal_id,))
        return None if row is None else _proposal(row)

    async def by_adopted_from(self, question_id: str) -> Proposal | None:
        row = await self.database.fetchone(
            f"SELECT {_COLUMNS} FROM proposals WHERE adopted_from = ?", (question_id,)
        )
        return None if row is None else _proposal(row)

    async def page(self, statuses: tuple[Status, ...], limit: int, offset: int) -> list[Proposal]:
        marks = ", ".join("?" * len(statuses))
        rows = await self.database.fetchall(
            f"SELECT {_COLUMNS} FROM proposals WHERE status IN ({marks})"
            " ORDER BY CASE status WHEN 'open' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END,"
            " CASE WHEN status IN ('open', 'draft') THEN closes_at END ASC, closes_at DESC, id"
            " LIMIT ? OFFSET ?",
            (*[status.value for status in statuses], limit, offset),
        )
        return [_proposal(row) for row in rows]

    async def open_ids_due(self, now: datetime) -> list[str]:
        rows = await self.database.fetchall(
            "SELECT id FROM proposals WHERE status = 'open' AND closes_at <= ? ORDER BY closes_at",
            (to_iso(now),),
        )
        return [row[0] for row in rows]

    async def set_opened(self, proposal_id: str, at: datetime) -> None:
        await self.database.execute(
            "UPDATE proposals SET status = 'open', opened_at = ? WHERE id = ? AND status = 'draft'",
            (to_iso(at), proposal_id),
        )

    async def set_closed(self, proposal_id: str, at: datetime, result: ProposalResult) -> bool:
        """Freeze the result; False when the proposal was not open (closed twice at once)."""
        cursor = await self.database.execute(
            "UPDATE proposals SET status = 'closed', closed_at = ?, result = ?, counts_dirty = 0"
            " WHERE id = ? AND status = 'open'",
            (to_iso(at), _dumps(result.to_dict()), proposal_id),
        )
        return cursor.rowcount > 0

    async def set_decided(self, proposal_id: str, statement: str) -> None:
        await self.database.execute(
            "UPDATE proposals SET status = 'decided', outcome_statement = ? WHERE id = ?",
            (statement, proposal_id),
        )

    # Votes ---------------------------------------------------------------------
    async def vote_of(self, proposal_id: str, voter: str) -> Vote | None:
        row = await self.database.fetchone(
            "SELECT voter, choices, reason, channel, cast_at FROM proposal_votes"
            " WHERE proposal_id = ? AND voter = ?",
            (proposal_id, voter),
        )
        return None if row is None else _vote(row)

    async def votes(self, proposal_id: str) -> list[Vote]:
        rows = await self.database.fetchall(
            "SELECT voter, choices, reason, channel, cast_at FROM proposal_votes"
            " WHERE proposal_id = ? ORDER BY cast_at, voter",
            (proposal_id,),
        )
        return [_vote(row) for row in rows]

    async def voter_count(self, proposal_id: str) -> int:
        return int(await self.database.fetchvalue(
            "SELECT COUNT(*) FROM proposal_votes WHERE proposal_id = ?", (proposal_id,)
        ))

    async def put_vote(self, proposal_id: str, vote: Vote, action: str) -> None:
        """Store the member's vote (replacing any earlier one), log it, and mark the counts dirty."""
        async with self.database.transaction():
            await self.database.execute(
                "INSERT INTO proposal_votes (proposal_id, voter, choices, reason, channel, cast_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (proposal_id, voter) DO UPDATE SET"
                " choices = excluded.choices, reason = excluded.reason, channel = excluded.channel,"
                " cast_at = excluded.cast_at",
                (proposal_id, vote.voter, _dumps(vote.choices), vote.reason, vote.channel.value,
                 to_iso(vote.cast_at)),
            )
            await self.database.execute(
                "INSERT INTO proposal_vote_log (proposal_id, voter, action, channel, at) VALUES (?, ?, ?, ?, ?)",
                (proposal_id, vote.voter, action, vote.channel.value, to_iso(vote.cast_at)),
            )
            await self.database.execute("UPDATE proposals SET counts_dirty = 1 WHERE id = ?", (proposal_id,))

    async def vote_log(self, proposal_id: str) -> list[VoteRecord]:
        rows = await self.database.fetchall(
            "SELECT voter, action, channel, at FROM proposal_vote_log WHERE proposal_id = ? ORDER BY id",
            (proposal_id,),
        )
        return [VoteRecord(voter=row["voter"], action=row["action"], channel=VoteChannel(row["channel"]),
                           at=from_iso(row["at"])) for row in rows]

    async def remember_vote_note(self, note_id: str, proposal_id: str, voter: str, at: datetime) -> bool:
        """True the first time a poll-vote Note is seen; False for a redelivery."""
        cursor = await self.database.execute(
            "INSERT OR IGNORE INTO proposal_vote_notes (note_id, proposal_id, voter, received_at)"
            " VALUES (?, ?, ?, ?)",
            (note_id, proposal_id, voter, to_iso(at)),
        )
        return cursor.rowcount > 0

    # Batched Update(Question) ------------------------------------------------------
    async def dirty_ids(self, published_before: datetime) -> list[str]:
        """Open proposals whose counts changed and whose last Update is old enough."""
        rows = await self.database.fetchall(
            "SELECT id FROM proposals WHERE counts_dirty = 1 AND status = 'open'"
            " AND (counts_published_at IS NULL OR counts_published_at <= ?)",
            (to_iso(published_before),),
        )
        return [row[0] for row in rows]

    async def next_deadlines(self) -> tuple[datetime | None, datetime | None, bool]:
        """(the earliest closing time of an open proposal, the oldest last Update
        among open proposals with dirty counts, whether one of those never had one)."""
        row = await self.database.fetchone(
            "SELECT (SELECT MIN(closes_at) FROM proposals WHERE status = 'open'),"
            " (SELECT MIN(counts_published_at) FROM proposals WHERE status = 'open' AND counts_dirty = 1),"
            " EXISTS (SELECT 1 FROM proposals WHERE status = 'open' AND counts_dirty = 1"
            " AND counts_published_at IS NULL)"
        )
        assert row is not None
        return _optional_time(row[0]), _optional_time(row[1]), bool(row[2])

    async def mark_counts_dirty(self, proposal_id: str) -> None:
        await self.database.execute("UPDATE proposals SET counts_dirty = 1 WHERE id = ?", (proposal_id,))

    async def mark_counts_published(self, proposal_id: str, at: datetime) -> None:
        await self.database.execute(
            "UPDATE proposals SET counts_dirty = 0, counts_published_at = ? WHERE id = ?",
            (to_iso(at), proposal_id),
        )

    # Offers from other chapters and their decisions ----------------------------------
    async def add_offer(self, offer: ProposalOffer) -> None:
        """Keep an offer (again, on its Update). Its tally replaces the kept
        one only when newer (fedchapter.networks.tally.supersedes): decided
        in this one statement, against the row as it is when written, so two
        inbox workers storing two Updates at once cannot go back in time."""
        updated, final = (None, False) if offer.tally is None else tally_order(offer.tally)
        await self.database.execute(
            "INSERT INTO proposal_offers (question_id, origin_chapter, title, body, method, options, seats,"
            " stv_rule, quorum, threshold, closes_at, received_at, scope, tally, tally_updated, tally_final)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (question_id) DO UPDATE SET title = excluded.title, body = excluded.body,"
            " closes_at = excluded.closes_at,"
            f" tally = CASE WHEN {_NEWER_TALLY} THEN excluded.tally ELSE proposal_offers.tally END,"
            f" tally_updated = CASE WHEN {_NEWER_TALLY} THEN excluded.tally_updated"
            " ELSE proposal_offers.tally_updated END,"
            f" tally_final = CASE WHEN {_NEWER_TALLY} THEN excluded.tally_final ELSE proposal_offers.tally_final END",
            (offer.question_id, offer.origin_chapter, offer.title, offer.body, offer.method.value,
             _dumps(offer.options), offer.seats, offer.stv_rule.value,
             None if offer.quorum is None else str(offer.quorum),
             None if offer.threshold is None else offer.threshold.value,
             to_iso(offer.closes_at), to_iso(offer.received_at), offer.scope,
             None if offer.tally is None else _dumps(offer.tally), updated, int(final)),
        )

    async def offers(self) -> list[ProposalOffer]:
        """Every offer, newest first (docs/interfaces.md lists adopted ones too, with their local id)."""
        rows = await self.database.fetchall("SELECT * FROM proposal_offers ORDER BY received_at DESC")
        return [_offer(row) for row in rows]

    async def adopted_ids(self) -> dict[str, str]:
        """Offer (Question id) → the local proposal that adopted it."""
        rows = await self.database.fetchall(
            "SELECT adopted_from, id FROM proposals WHERE adopted_from IS NOT NULL"
        )
        return {row[0]: row[1] for row in rows}

    async def offer(self, question_id: str) -> ProposalOffer | None:
        row = await self.database.fetchone("SELECT * FROM proposal_offers WHERE question_id = ?", (question_id,))
        return None if row is None else _offer(row)

    async def put_chapter_result(self, proposal_id: str, result: ChapterResult) -> None:
        document = {"outcome": result.outcome, "counts": result.counts, "voters": result.voters,
                    "quorum_met": result.quorum_met, "elected": list(result.elected)}
        await self.database.execute(
            "INSERT INTO proposal_chapter_results (proposal_id, chapter, result, reported_at, report, document,"
            " verified) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (proposal_id, chapter) DO UPDATE SET"
            " result = excluded.result, reported_at = excluded.reported_at, report = excluded.report,"
            " document = excluded.document, verified = excluded.verified",
            (proposal_id, result.chapter, _dumps(document), to_iso(result.reported_at), result.report,
             result.document, int(result.verified)),
        )

    async def chapter_results(self, proposal_id: str) -> list[ChapterResult]:
        rows = await self.database.fetchall(
            "SELECT chapter, result, reported_at, report, document, verified FROM proposal_chapter_results"
            " WHERE proposal_id = ?"
            " ORDER BY chapter",
            (proposal_id,),
        )
        results: list[ChapterResult] = []
        for row in rows:
            document = json.loads(row["result"])
            results.append(ChapterResult(
                chapter=row["chapter"], outcome=document["outcome"], counts=document["counts"],
                voters=document["voters"], quorum_met=document["quorum_met"],
                elected=tuple(document.get("elected", ())), reported_at=from_iso(row["reported_at"]),
                report=row["report"], document=row["document"], verified=bool(row["verified"]),
            ))
        return results


def _offer(row: sqlite3.Row) -> ProposalOffer:
    return ProposalOffer(
        question_id=row["question_id"],
        origin_chapter=row["origin_chapter"],
        **_ballot_settings(row),
        closes_at=from_iso(row["closes_at"]),
        received_at=from_iso(row["received_at"]),
        scope=row["scope"],
        tally=None if row["tally"] is None else json.loads(row["tally"]),
    )
