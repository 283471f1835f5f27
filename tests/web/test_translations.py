"""Every string the site shows has a German translation, with the same
placeholders, and the compiled catalog the app loads matches the .po file.

When this fails after you added a string: run `make translations`, then fill
in the new msgstr entries of web/locale/de/LC_MESSAGES/messages.po and run
`make translations` again (it compiles the .mo).
"""
from __future__ import annotations

import re
from configparser import ConfigParser
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.support.instances import Instance

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "web" / "locale" / "de" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def shown_strings() -> set[str]:
    """The msgids pybabel extracts with babel.cfg: all templates and web/ Python."""
    config = ConfigParser()
    config.read(ROOT / "babel.cfg")
    method_map = [(section.split(":", 1)[1].strip(), section.split(":", 1)[0].strip())
                  for section in config.sections()]
    options_map = {pattern: dict(config[f"{method}: {pattern}"]) for pattern, method in method_map}
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords={"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _filled(string: object) -> bool:
    """A plural entry is translated only when every form is."""
    if isinstance(string, (list, tuple)):
        return all(string)
    return bool(string)


def test_every_shown_string_has_a_german_translation() -> None:
    with (LOCALE / "messages.po").open("rb") as file:
        catalog = read_po(file, locale="de")
    untranslated = sorted(
        text for text in shown_strings()
        if (entry := catalog.get(text)) is None or not _filled(entry.string) or entry.fuzzy
    )
    assert untranslated == [], f"{len(untranslated)} strings lack German: {untranslated[:20]}"


def test_translations_keep_their_placeholders() -> None:
    with (LOCALE / "messages.po").open("rb") as file:
        catalog = read_po(file, locale="de")
    wrong = [entry.id for entry in catalog if entry.id and entry.string
             and set(PLACEHOLDER.findall(str(entry.id))) != set(PLACEHOLDER.findall(str(entry.string)))]
    assert wrong == []


def _key(value: object) -> object:
    """A plural entry's id and string are sequences (singular, plural...)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_the_compiled_catalog_matches_the_po_file() -> None:
    with (LOCALE / "messages.po").open("rb") as po_file, (LOCALE / "messages.mo").open("rb") as mo_file:
        source, compiled = read_po(po_file, locale="de"), read_mo(mo_file)
    expected = {_key(entry.id): _key(entry.string) for entry in source
                if entry.id and _filled(entry.string) and not entry.fuzzy}
    actual = {_key(entry.id): _key(entry.string) for entry in compiled if entry.id}
    assert actual == expected, "run `make translations` to compile the catalog"


async def test_pages_speak_german_by_choice_cookie_or_browser_language(london: Instance) -> None:
    chosen = await london.client.get("/login?lang=de")
    assert "<h1>Anmelden</h1>" in chosen.text and 'lang="de"' in chosen.text
    assert "<h1>Anmelden</h1>" in (await london.client.get("/login")).text  # the cookie remembers
    london.client.cookies.clear()
    browser = await london.client.get("/login", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"})
    assert "<h1>Anmelden</h1>" in browser.text
    english = await london.client.get("/login", headers={"Accept-Language": "fr, en;q=0.8"})
    assert "<h1>Log in</h1>" in english.text
