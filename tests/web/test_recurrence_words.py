"""A recurring event's rule as people say it, in English and German."""
from __future__ import annotations

from datetime import datetime

import pytest

from web.event_form import repeat_choice
from web.recurrence_words import recurrence_in_words

START = datetime(2026, 6, 30, 18, 30)  # the last Tuesday of June


@pytest.mark.parametrize(("rule", "english", "german"), [
    ("FREQ=MONTHLY;BYDAY=-1TU", "Last Tuesday of every month, 18:30", "Letzter Dienstag jedes Monats, 18:30"),
    ("FREQ=WEEKLY", "Every Tuesday, 18:30", "Jeden Dienstag, 18:30"),
    ("FREQ=WEEKLY;INTERVAL=2;COUNT=6", "Every 2 weeks on Tuesday, 18:30, 6 times",
     "Alle 2 Wochen am Dienstag, 18:30, 6-mal"),
    ("FREQ=DAILY;COUNT=1", "Every day, 18:30, once", "Jeden Tag, 18:30, einmal"),
])
def test_rules_in_words(rule: str, english: str, german: str) -> None:
    assert recurrence_in_words(rule, START, "Europe/London", "en") == english
    assert recurrence_in_words(rule, START, "Europe/London", "de") == german


def test_a_rule_without_plain_words_is_still_shown() -> None:
    said = recurrence_in_words("FREQ=MONTHLY;BYDAY=1TU,3TU", START, "Europe/London", "en")
    assert said == "Repeats by the rule FREQ=MONTHLY;BYDAY=1TU,3TU"


def test_the_edit_form_reopens_the_option_chosen() -> None:
    assert repeat_choice("FREQ=MONTHLY;BYDAY=-1TU;COUNT=6", START, "Europe/London") == {
        "repeat": "monthly-last", "rrule": "", "repeat_count": "6", "repeat_until": ""}
    assert repeat_choice("FREQ=DAILY", START, "Europe/London")["repeat"] == "custom"
