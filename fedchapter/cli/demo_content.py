"""The demo chapter's records: minutes, a news post, proposals with votes and
comments, made through the chapter's own JSON API (in process), so the demo
shows exactly what members would make from the site or a script."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import httpx

from fedchapter.settings import Settings


class DemoApi:
    """One member's view of the API: their bearer token and the in-process app."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(path, json=body, headers=self.headers)
        if response.status_code >= 400:
            raise RuntimeError(f"demo: POST {path} answered {response.status_code}: {response.text[:300]}")
        return response.json()  # type: ignore[no-any-return]


def _last_month_meeting(today: date) -> date:
    first = today.replace(day=1)
    last_of_previous = first - timedelta(days=1)
    return last_of_previous - timedelta(days=(last_of_previous.weekday() - 1) % 7)


async def add_demo_content(settings: Settings, client: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    secretary = DemoApi(client, tokens["maya"])
    facilitator = DemoApi(client, tokens["tom"])
    members = {name: DemoApi(client, tokens[name]) for name in ("admin", "maya", "tom", "priya", "jonas")}
    supporter = DemoApi(client, tokens["lucy"])
    meeting = _last_month_meeting(date.today())

    minutes = await secretary.post("/api/v1/minutes", {
        "title": f"General meeting, {meeting:%-d %B %Y}",
        "meeting_date": meeting.isoformat(),
        "place": "Birkbeck, Malet Street",
        "facilitator": "Tom Reilly",
        "minute_taker": "Maya Okafor",
        "attendance": 14,
        "present": ["maya", "tom", "priya", "jonas"],
        "agenda": [
            {"title": "Tenants' union solidarity", "notes":
                "Report from the Hackney branch: three evictions resisted this month. "
                "The union asks for people at the **rally** and for help with leafleting."},
            {"title": "Proposal Two: a participatory budget for the chapter", "notes":
                "Discussion of the steering committee's draft. Concerns about the timeline were answered."},
            {"title": "International conference", "notes": "Two volunteers needed for the welcome desk."},
        ],
        "decisions": [
            {"text": "Support Proposal Two", "for": 14, "against": 0, "abstain": 0, "outcome": "carried"},
            {"text": "Join the tenants' union rally as a chapter", "for": 12, "against": 0, "abstain": 2,
             "outcome": "carried"},
            {"text": "Move meetings to Wednesdays", "for": 3, "against": 9, "abstain": 2, "outcome": "rejected"},
        ],
        "actions": [
            {"text": "Book the room at Birkbeck for next month", "owner": "maya",
             "due": (meeting + timedelta(days=14)).isoformat()},
            {"text": "Print 500 leaflets for the rally", "owner": "jonas",
             "due": (meeting + timedelta(days=10)).isoformat()},
            {"text": "Send the budget draft to the international", "owner": "tom",
             "due": (meeting + timedelta(days=7)).isoformat()},
        ],
        "visibility": "public",
    })
    await secretary.post("/api/v1/minutes", {
        "title": f"Steering committee, {meeting - timedelta(days=7):%-d %B %Y}",
        "meeting_date": (meeting - timedelta(days=7)).isoformat(),
        "attendance": 5,
        "agenda": [{"title": "Finances", "notes": "Balance £412.50. Two members behind on dues: contacted."}],
        "decisions": [{"text": "Propose a participatory budget to the general meeting", "for": 5,
                       "against": 0, "abstain": 0, "outcome": "carried"}],
        "actions": [],
        "visibility": "members",
    })
    await secretary.post("/api/v1/posts", {
        "title": "Welcome to our new home on the fediverse",
        "summary": "Follow @london from Mastodon to get our events, minutes and proposals.",
        "body": "We have moved our website to **fedchapter**, a server we run ourselves. "
                "Follow us from Mastodon or any fediverse app and our events, minutes and proposals "
                "appear in your timeline; reply and your comment appears here.",
    })
    await members["priya"].post("/api/v1/comments", {
        "object": minutes["ap_id"],
        "content": "Thanks for the minutes! I can help Jonas with the leaflets on Saturday.",
    })
    await supporter.post("/api/v1/comments", {
        "object": minutes["ap_id"],
        "content": "Is the rally accessible by wheelchair? Asking for a friend.",
    })

    closes = (datetime.now(timezone.utc) + timedelta(days=10)).replace(microsecond=0).isoformat()
    budget = await facilitator.post("/api/v1/proposals", {
        "title": "Adopt a participatory budget for the chapter",
        "body": "Proposed by the steering committee: members decide together, each quarter, how the "
                "chapter's money is spent. Details in the minutes of the steering committee.",
        "method": "consent", "closes_at": closes, "threshold": "simple-majority",
    })
    await members["priya"].post(f"/api/v1/proposals/{budget['id']}/vote", {"choice": "agree"})
    await members["jonas"].post(f"/api/v1/proposals/{budget['id']}/vote",
                                {"choice": "disagree", "reason": "Quarterly is too often for a small chapter."})
    venue = await facilitator.post("/api/v1/proposals", {
        "title": "Hold the autumn social at the Lamb pub",
        "body": "A simple poll: you can vote from Mastodon too.",
        "method": "yes-no", "closes_at": closes, "quorum": "30%",
    })
    await members["maya"].post(f"/api/v1/proposals/{venue['id']}/vote", {"choice": "yes"})
    delegates = await facilitator.post("/api/v1/proposals", {
        "title": "Elect two delegates to the international conference",
        "body": "Ranked ballot, counted by STV (Scottish rule).",
        "method": "stv", "seats": 2, "stv_rule": "scottish", "closes_at": closes,
        "options": ["Maya Okafor", "Tom Reilly", "Priya Natarajan", "Jonas Weber"],
    })
    rankings = {
        "admin": ["Priya Natarajan", "Maya Okafor", "Tom Reilly"],
        "maya": ["Maya Okafor", "Priya Natarajan"],
        "tom": ["Tom Reilly", "Maya Okafor", "Jonas Weber"],
        "priya": ["Priya Natarajan", "Jonas Weber", "Maya Okafor"],
        "jonas": ["Jonas Weber", "Priya Natarajan", "Tom Reilly"],
    }
    for name, ranking in rankings.items():
        await members[name].post(f"/api/v1/proposals/{delegates['id']}/vote", {"ranking": ranking})
    await facilitator.post(f"/api/v1/proposals/{delegates['id']}/close", {})
