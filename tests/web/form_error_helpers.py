"""Reading a refused form as a person (and a screen reader) would: the
error beside its field, the field marked invalid and pointing at it, the
summary at the top linking to the field, the typed value still there."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag


def page_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def error_beside(html: str, input_id: str) -> str:
    """The error shown beside the input `input_id` (which must announce it)."""
    page = page_of(html)
    field = page.find(id=input_id)
    assert isinstance(field, Tag), f"no input {input_id}"
    error = page.find(id=f"{input_id}-error")
    assert isinstance(error, Tag), f"no error beside {input_id}"
    assert field.get("aria-invalid") == "true"
    assert f"{input_id}-error" in str(field.get("aria-describedby", "")).split()
    # Beside: in the same box as the input, after it.
    assert error.parent is field.parent and error in field.find_all_next(), input_id
    return error.get_text(" ", strip=True)


def summary(html: str) -> dict[str, str]:
    """The error summary's lines: the field it links to → what it says."""
    box = page_of(html).find(id="error-summary")
    assert isinstance(box, Tag), "no error summary"
    return {str(link["href"]).removeprefix("#"): link.get_text(" ", strip=True) for link in box.find_all("a")}


def value_of(html: str, input_id: str) -> str:
    """What the input shows: its value, its text, or its selected or checked option."""
    field = page_of(html).find(id=input_id)
    assert isinstance(field, Tag), f"no input {input_id}"
    if field.name == "textarea":
        return field.get_text()
    if field.name == "select":
        chosen = field.find("option", selected=True)
        return str(chosen["value"]) if isinstance(chosen, Tag) else ""
    if field.get("type") in ("radio", "checkbox"):
        return str(field["value"]) if field.has_attr("checked") else ""
    return str(field.get("value", ""))


def no_developer_words(html: str) -> None:
    """Nothing a programmer would write: body paths, option codes, exceptions."""
    text = page_of(html).get_text(" ")
    for words in ("must be one of", "rrule", "RRULE value", "COUNT", "Error(", "Exception", "ConnectError"):
        assert words not in text, words
    # Body paths: decisions.0.outcome, rank.Lucy Chen, next_meeting.date.
    assert not re.search(r"\b[a-z_]+\.\d+\.[a-z_]+|\brank\.\S|\bnext_meeting\.", text), text
