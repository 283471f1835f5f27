"""Repositories of the network's member ballots (``scope: "members"``) and of
results a network relayed to this chapter (docs/networks.md)."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from fedchapter.clock import from_iso, to_iso
from fedchapter.networks.model import NetworkBallot, RelayedReport
from storage.database import Database


def _ballot(row: sqlite3.Row) -> NetworkBallot:
    return NetworkBallot(voter=row["voter"], chapter=row["chapter"], choices=tuple(json.loads(row["choices"])),
                         cast_at=from_iso(row["cast_at"]), document=row["document"])


class NetworkBallotRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def ballot(self, proposal_id: str, voter: str) -> NetworkBallot | None:
        row = await self.database.fetchone(
            "SELECT voter, chapter, choices, cast_at, document FROM network_ballots"
            " WHERE proposal_id = ? AND voter = ?", (proposal_id, voter))
        return None if row is None else _ballot(row)

    async def ballots(self, proposal_id: str) -> list[NetworkBallot]:
        rows = await self.database.fetchall(
            "SELECT voter, chapter, choices, cast_at, document FROM network_ballots"
            " WHERE proposal_id = ? ORDER BY voter", (proposal_id,))
        return [_ballot(row) for row in rows]

    async def put_ballot(self, proposal_id: str, ballot: NetworkBallot, members: int, at: datetime) -> None:
        async with self.database.transaction():
            await self.database.execute(
                "INSERT INTO network_ballots (proposal_id, voter, chapter, choices, cast_at, document, received_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (proposal_id, voter) DO UPDATE SET"
                " choices = excluded.choices, cast_at = excluded.cast_at, document = excluded.document,"
                " received_at = excluded.received_at",
                (proposal_id, ballot.voter, ballot.chapter, json.dumps(list(ballot.choices), ensure_ascii=False),
                 to_iso(ballot.cast_at), ballot.document, to_iso(at)))
            await self.database.execute(
                "INSERT INTO network_ballot_electorates (proposal_id, chapter, members) VALUES (?, ?, ?)"
                " ON CONFLICT (proposal_id, chapter) DO UPDATE SET members = excluded.members",
                (proposal_id, ballot.chapter, members))

    async def electorate(self, proposal_id: str) -> int:
        total = await self.database.fetchvalue(
            "SELECT COALESCE(SUM(members), 0) FROM network_ballot_electorates WHERE proposal_id = ?", (proposal_id,))
        return int(total or 0)


class RelayedReportRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def put(self, report: RelayedReport) -> None:
        await self.database.execute(
            "INSERT INTO relayed_reports (question_id, chapter, relayed_by, report, outcome, document, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (question_id, chapter) DO UPDATE SET"
            " relayed_by = excluded.relayed_by, report = excluded.report, outcome = excluded.outcome,"
            " document = excluded.document, received_at = excluded.received_at",
            (report.question_id, report.chapter, report.relayed_by, report.report, report.outcome, report.document,
             to_iso(report.received_at)))

    async def for_question(self, question_id: str) -> list[RelayedReport]:
        rows = await self.database.fetchall(
            "SELECT question_id, chapter, relayed_by, report, outcome, document, received_at FROM relayed_reports"
            " WHERE question_id = ? ORDER BY chapter", (question_id,))
        return [RelayedReport(question_id=row["question_id"], chapter=row["chapter"], relayed_by=row["relayed_by"],
                              report=row["report"], outcome=row["outcome"], document=row["document"],
                              received_at=from_iso(row["received_at"])) for row in rows]
