"""Every macro a template imports is imported ``with context``. Jinja caches a
template imported without context, with the gettext it first saw: the role
names on /admin/roles stayed English on German pages once an English page had
been shown (and German on English pages the other way round)."""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
IMPORT = re.compile(r"{%-?\s*(?:from\s+\S+\s+import|import)\b.*?-?%}", re.S)


def test_every_template_import_carries_the_pages_language() -> None:
    without = [
        f"{template.relative_to(TEMPLATES)}: {statement}"
        for template in sorted(TEMPLATES.rglob("*.html"))
        for statement in IMPORT.findall(template.read_text(encoding="utf-8"))
        if "with context" not in statement
    ]
    assert without == []
