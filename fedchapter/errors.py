"""Errors the domain raises on purpose.

The web layer maps them to HTTP answers (ValidationError → 422, NotFound →
404, Forbidden → 403, Conflict → 409) and the inbox maps them to a refusal;
anything else escaping the domain is a bug.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a request the domain refuses for a reason it can name."""


class ValidationError(DomainError):
    """Input that cannot be accepted.

    `field` is a dotted path into the submitted body (`location.country`,
    `decisions.0.for`), or None when the error concerns the body as a whole.
    """

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message

    def within(self, prefix: str) -> ValidationError:
        """The same error placed under `prefix`, for input nested in a larger body."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return ValidationError(field, self.message)


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the asker)."""


class Forbidden(DomainError):
    """The asker may not do this."""


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a closed vote)."""
