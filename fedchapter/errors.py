"""Errors the domain raises on purpose.

The web layer maps them to HTTP answers (ValidationError → 422, NotFound →
404, Forbidden → 403, Conflict → 409) and the inbox maps them to a refusal;
anything else escaping the domain is a bug.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from typing import Any, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """Base class: a request the domain refuses for a reason it can name."""


def N_(message: str) -> str:  # noqa: N802 - the name pybabel looks for
    """Marks a message for translation where it is written; it is translated
    where it is shown (web/form_errors.py), so the domain never imports web."""
    return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, and what, as a message id.

    `message` is an English template with ``%(name)s`` placeholders filled
    from `params`: the API sends it filled in (``text``), the site translates
    the template first. `plain`, when given, is the wording for people on a
    form (``choose one of the options``) where the API's message is for
    programs (``must be one of: carried, rejected``).
    """

    field: str | None
    message: str
    params: Mapping[str, Any] = dataclass_field(default_factory=dict)
    plain: str | None = None

    @property
    def text(self) -> str:
        return self.message % self.params if self.params else self.message

    def within(self, prefix: str) -> Problem:
        return replace(self, field=f"{prefix}.{self.field}" if self.field else prefix)


class ValidationError(DomainError):
    """Input that cannot be accepted: one or more Problems.

    `field` is a dotted path into the submitted body (`location.country`,
    `decisions.0.for`), or None when the error concerns the body as a whole;
    `field` and `message` are those of the first problem (what the API
    answers), `problems` all of them (what a form shows at once).
    """

    def __init__(self, field: str | None, message: str, *, plain: str | None = None, **params: Any) -> None:
        self._set((Problem(field, message, params, plain),))

    def _set(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        first = problems[0]
        self.field = first.field
        self.message = first.text
        self.args = (f"{first.field}: {first.text}" if first.field else first.text,)

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> ValidationError:
        if not problems:
            raise ValueError("a ValidationError needs at least one problem")
        error = cls.__new__(cls)
        error._set(tuple(problems))
        return error

    def within(self, prefix: str) -> ValidationError:
        """The same error placed under `prefix`, for input nested in a larger body."""
        return ValidationError.of([problem.within(prefix) for problem in self.problems])


class Problems:
    """Collects the problems of several fields so a form can show them all
    at once, instead of stopping at the first::

        problems = Problems()
        title = problems.take(lambda: read_title(data))   # None if refused
        ...
        problems.raise_any()
    """

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def take(self, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except ValidationError as error:
            self.found.extend(error.problems)
            return None

    def add(self, error: ValidationError) -> None:
        self.found.extend(error.problems)

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_any(self) -> None:
        if self.found:
            raise ValidationError.of(self.found)


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the asker)."""


class Forbidden(DomainError):
    """The asker may not do this."""


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a closed vote)."""
