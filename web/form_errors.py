"""A refused form, as people see it: every problem at once, each beside its
field in the field's own words and the page's language, and a summary at
the top linking to the fields.

The domain raises ``ValidationError`` with one or more ``Problem``s: a
dotted path into the API body (``decisions.0.outcome``) and an English
message id with parameters. A form says where each path is on the page with
a *locator* (path → the input's id and label); this module translates the
messages through the request's catalogue. Templates use the macros
``error_summary``, ``field_error`` and ``invalid`` of ``_forms.html``::

    errors = form_errors(request, error, fields_at({"title": ("e-title", N_("Title"))}))
    return render(request, "x.html", {"errors": errors, ...}, status_code=422)
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from starlette.requests import Request

from fedchapter.errors import DomainError, Problem, ValidationError
from web.i18n import gettext_for

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Place:
    """Where a body path sits on the page: the input's id and its label (translated)."""

    input_id: str
    label: str


# (path, translate) → where it is on the page, or None for "not on this form".
Locator = Callable[[str, Translate], Place | None]


@dataclass(frozen=True)
class FieldError:
    message: str  # translated, plain words
    input_id: str | None = None  # None: about the form as a whole
    label: str | None = None

    @property
    def error_id(self) -> str:
        return f"{self.input_id}-error"

    @property
    def sentence(self) -> str:
        """The message as a sentence beside its field."""
        text = self.message[:1].upper() + self.message[1:]
        return text if text.endswith((".", "!", "?", ":")) else f"{text}."


class FormErrors:
    """The problems of one submitted form, in the order they were found."""

    def __init__(self, items: list[FieldError]) -> None:
        self.items = items

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[FieldError]:
        return iter(self.items)

    def at(self, input_id: str) -> list[FieldError]:
        return [item for item in self.items if item.input_id == input_id]

    @property
    def first_id(self) -> str | None:
        return next((item.input_id for item in self.items if item.input_id), None)


def message_for(problem: Problem, translate: Translate) -> str:
    """The problem in plain words in the page's language (English if a
    translation's placeholders do not fit, rather than failing the page)."""
    template = problem.plain or problem.message
    translated = translate(template)
    try:
        return translated % problem.params if problem.params else translated
    except (KeyError, ValueError, TypeError):
        return template % problem.params if problem.params else template


def form_errors(request: Request, error: ValidationError, locate: Locator) -> FormErrors:
    translate = gettext_for(request)
    items: list[FieldError] = []
    for problem in error.problems:
        place = locate(problem.field, translate) if problem.field else None
        message = message_for(problem, translate)
        if place is not None and any(item.input_id == place.input_id for item in items):
            continue  # one problem per field at a time: the first found
        if place is None:
            items.append(FieldError(message))
        else:
            items.append(FieldError(message, place.input_id, place.label))
    return FormErrors(items)


def plain_message(request: Request, error: DomainError) -> str:
    """A refusal as one line for a form that shows a single message: every
    problem of a ValidationError in plain words, or another domain error's
    message, in the page's language where the catalogue has it."""
    translate = gettext_for(request)
    if isinstance(error, ValidationError):
        return "; ".join(message_for(problem, translate) for problem in error.problems)
    return translate(str(error))


def fields_at(table: Mapping[str, tuple[str, str]]) -> Locator:
    """A locator from a table: body path → (input id, label message id).
    A path not in the table is matched by its first part (``location.lat``
    finds ``location`` when only that is listed)."""
    def locate(path: str, translate: Translate) -> Place | None:
        found = table.get(path) or table.get(path.split(".")[0])
        return Place(found[0], translate(found[1])) if found else None

    return locate

