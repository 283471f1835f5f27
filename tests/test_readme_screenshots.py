"""The README's screenshots are the browser tests' own: every picture it shows
is in docs/screenshots/, and a browser test says it makes it (a ``README:``
comment beside the check_page call that saves it to tests/artifacts/screenshots/,
from where it is copied). A picture nobody makes would silently grow stale."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PICTURE = re.compile(r"docs/screenshots/([\w.-]+\.png)")
NAME = re.compile(r"[\w-]+\.png")


def _shown_in_readme() -> set[str]:
    return set(PICTURE.findall((ROOT / "README.md").read_text(encoding="utf-8")))


def _made_by_browser_tests() -> set[str]:
    made: set[str] = set()
    for test in (ROOT / "tests" / "browser").glob("test_*.py"):
        for line in test.read_text(encoding="utf-8").splitlines():
            if "# README:" in line:
                made.update(NAME.findall(line.split("# README:", 1)[1]))
    return made


def test_the_readme_shows_screenshots() -> None:
    assert len(_shown_in_readme()) >= 6


def test_every_readme_screenshot_is_in_docs() -> None:
    missing = sorted(name for name in _shown_in_readme() if not (ROOT / "docs" / "screenshots" / name).is_file())
    assert missing == []


def test_every_readme_screenshot_is_made_by_a_browser_test() -> None:
    assert sorted(_shown_in_readme() - _made_by_browser_tests()) == []
