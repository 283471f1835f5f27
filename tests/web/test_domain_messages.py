"""Every message a refused form can show is translatable and translated.

The domain says what is wrong with input by raising ``ValidationError``
(fedchapter/errors.py) with a message id marked ``N_`` (and, for people, an
optional ``plain`` wording); web/form_errors.py translates it for the page.
This test reads the source: each ``ValidationError`` in fedchapter/,
federation/ and web/ must show a marked message, and every marked message
must have a German translation. An f-string or a bare literal fails here,
because nobody could translate it.

When this fails: wrap the message in ``N_("... %(name)s ...")`` with the
values as keyword arguments, run `make translations`, fill in the msgstr.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("fedchapter", "federation", "web")
CATALOG = ROOT / "web" / "locale" / "de" / "LC_MESSAGES" / "messages.po"


@dataclass(frozen=True)
class Shown:
    where: str
    message: str | None  # None: not a marked message


def _is_marked(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str))


class Module:
    """One source file: its N_ constants, its functions, and the calls to them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.constants: dict[str, str] = {}
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and _is_marked(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.constants[target.id] = node.value.args[0].value  # type: ignore[attr-defined]
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(parent.name, parent)
            if isinstance(parent, ast.ClassDef):
                for item in parent.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        self.functions[parent.name] = item  # calls to the class reach __init__

    def where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"

    def _enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None

    def messages(self, node: ast.AST, depth: int = 0) -> Iterator[Shown]:
        """The marked messages `node` can evaluate to (a None message when one is not marked)."""
        if depth > 4:
            yield Shown(self.where(node), None)
        elif _is_marked(node):
            yield Shown(self.where(node), node.args[0].value)  # type: ignore[attr-defined]
        elif isinstance(node, ast.IfExp):
            yield from self.messages(node.body, depth + 1)
            yield from self.messages(node.orelse, depth + 1)
        elif isinstance(node, ast.Name) and node.id in self.constants:
            yield Shown(self.where(node), self.constants[node.id])
        elif isinstance(node, ast.Name) and (function := self._enclosing_function(node)) is not None \
                and node.id in [arg.arg for arg in function.args.args]:
            yield from self._forwarded(function, node.id, depth + 1)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.functions:
            function = self.functions[node.func.id]
            for returned in ast.walk(function):
                if isinstance(returned, ast.Return) and returned.value is not None:
                    yield from self.messages(returned.value, depth + 1)
        else:
            yield Shown(self.where(node), None)

    def _forwarded(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, depth: int) -> Iterator[Shown]:
        """A helper's parameter: what every call in the module passes (or its default)."""
        names = [arg.arg for arg in function.args.args]
        offset = 1 if names and names[0] == "self" else 0
        index = names.index(name)
        defaults = dict(zip(names[len(names) - len(function.args.defaults):], function.args.defaults))
        calls = [call for call in ast.walk(self.tree) if isinstance(call, ast.Call)
                 and isinstance(call.func, ast.Name) and call.func.id in (function.name, self._class_of(function))]
        for call in calls:
            given = next((kw.value for kw in call.keywords if kw.arg == name), None)
            if given is None and index - offset < len(call.args):
                given = call.args[index - offset]
            if given is None:
                given = defaults.get(name)
            if given is None:
                yield Shown(self.where(call), None)
            else:
                yield from self.messages(given, depth)

    def _class_of(self, function: ast.AST) -> str | None:
        parent = self.parents.get(function)
        return parent.name if isinstance(parent, ast.ClassDef) and function.name == "__init__" else None  # type: ignore[attr-defined]

    def shown(self) -> Iterator[Shown]:
        """What each ValidationError raised here shows a person: `plain`, else the message."""
        for call in ast.walk(self.tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id == "ValidationError" and len(call.args) >= 2):
                continue
            plain = next((kw.value for kw in call.keywords if kw.arg == "plain"), None)
            yield from self.messages(plain if plain is not None else call.args[1])


def shown_messages() -> list[Shown]:
    return [shown for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
            for shown in Module(path).shown()]


def test_every_refusal_shows_a_message_marked_for_translation() -> None:
    unmarked = [shown.where for shown in shown_messages() if shown.message is None]
    assert unmarked == [], f"ValidationError messages not marked with N_(): {unmarked}"


def test_every_refusal_message_has_a_german_translation() -> None:
    with CATALOG.open("rb") as file:
        catalog = read_po(file, locale="de")
    messages = {shown.message for shown in shown_messages() if shown.message is not None}
    assert len(messages) > 150  # the scan found the domain's messages, not nothing
    untranslated = sorted(message for message in messages
                          if (entry := catalog.get(message)) is None or not entry.string or entry.fuzzy)
    assert untranslated == [], f"{len(untranslated)} refusal messages lack German: {untranslated[:20]}"


def test_the_scan_sees_through_helpers_that_pass_messages_on() -> None:
    # recurrence's _refuse(message, plain=NOT_USABLE): the plain wording is what people see.
    module = Module(ROOT / "fedchapter" / "events" / "recurrence.py")
    shown = {item.message for item in module.shown()}
    assert "the last date is before the event starts" in shown
    assert any(message and message.startswith("this repeating pattern cannot be used") for message in shown)
