"""The minutes as one HTML document: the `content` of the Article we federate
(servers that show an Article's content, and the Atom feed, show this).

Markdown notes are rendered safely; every other string is escaped; the whole
is sanitised once more at the end.
"""

from __future__ import annotations

from fedchapter.minutes.model import ActionItem, Decision, MinutesContent
from fedchapter.minutes.summary import decision_line, next_meeting_line
from fedchapter.text import escape, render_markdown, sanitize_html


def _action_line(item: ActionItem) -> str:
    line = escape(item.text)
    if item.owner:
        line += f" — {escape(item.owner)}"
    if item.due:
        line += f", by {item.due.isoformat()}"
    if not item.is_open:
        line = f"<s>{line}</s> (done)"
    return line


def _decision_item(decision: Decision) -> str:
    return f"<li>{escape(decision_line(decision))}</li>"


def minutes_html(content: MinutesContent, zone_name: str, locale: str = "en") -> str:
    details = [f"Meeting of {content.meeting_date.isoformat()}"]
    if content.place:
        details.append(content.place)
    parts = [f"<p>{escape(', '.join(details))}. {content.attendance} present.</p>"]
    people = []
    if content.facilitator:
        people.append(f"Facilitator: {content.facilitator}")
    if content.minute_taker:
        people.append(f"Minutes: {content.minute_taker}")
    if people:
        parts.append(f"<p>{escape('. '.join(people))}.</p>")
    if content.agenda:
        parts.append("<h2>Agenda</h2>")
        for item in content.agenda:
            parts.append(f"<h3>{escape(item.title)}</h3>")
            if item.notes:
                parts.append(render_markdown(item.notes))
    if content.decisions:
        parts.append("<h2>Decisions</h2><ul>" + "".join(map(_decision_item, content.decisions)) + "</ul>")
    if content.actions:
        items = "".join(f"<li>{_action_line(item)}</li>" for item in content.actions)
        parts.append(f"<h2>Action items</h2><ul>{items}</ul>")
    if content.next_meeting is not None:
        line = next_meeting_line(content.next_meeting, zone_name, locale)
        parts.append(f"<p>Next meeting: {escape(line)}.</p>")
    return sanitize_html("".join(parts))
