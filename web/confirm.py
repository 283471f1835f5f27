"""A second step before something that cannot be undone (deleting an event,
closing a vote), without JavaScript: the page's button posts to the action,
which answers with this page unless the form says ``confirmed=yes``; its own
button posts again with it. (The CSP allows no inline script, and a step a
person must see works for everyone.)"""
from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from web.templating import render

CONFIRMED = "confirmed"


def is_confirmed(form: FormData) -> bool:
    return form.get(CONFIRMED) == "yes"


def confirm_page(request: Request, *, question: str, explanation: str, action: str,
                 confirm_label: str, back: str) -> Response:
    """``question`` and the rest are already in the page's language."""
    return render(request, "confirm.html", {
        "question": question, "explanation": explanation, "action": action,
        "confirm_label": confirm_label, "back": back,
    })
