"""What every API route shares: the caller, error answers and bounded pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import Field

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000


def caller(request: HttpRequest) -> Any:
    """The user the API authenticated (token or session)."""
    return request.auth  # type: ignore[attr-defined]


class BadQuery(Exception):
    """A query parameter whose value the operation refuses after reading it (ninja has
    checked its type): answered 422 with `loc` `["query", name]` (see `api.main`)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message


class Error(Schema):
    detail: str


class FieldError(Schema):
    """One refused value: where it was (`["body", "narrative"]`, `["query", "as_of"]`)
    and why. `type` is `pii_unconfirmed` for a PII warning the caller may confirm by
    sending the record again with `"pii_confirmed": true`; any other refusal (an
    identifier included) is `value_error` and cannot be confirmed away."""

    loc: list[str | int]
    msg: str
    type: str


class Confirmable(Schema):
    """A record with free text: the caller may confirm the guard's warnings."""

    pii_confirmed: bool = Field(
        False,
        description="Set to true to confirm that text the PII guard warned about (a "
        "passage that seems to describe a client: a tattoo, where someone sleeps…) "
        "describes police. Without it such text is refused with a 422 whose `type` is "
        "`pii_unconfirmed`. Never passes a refusal (an e-mail address, a phone number…). "
        "Recorded in the audit log (field names and warning kinds, not the text).",
    )


class ValidationErrors(Schema):
    """A 422 answer: every refused value, each naming its field or parameter."""

    detail: list[FieldError]


class PageQuery(Schema):
    """The `limit` and `offset` query parameters of every list."""

    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Rows per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")


class Pages(LimitOffsetPagination):
    """ninja's limit/offset pages (`{"items": [...], "count": n}`) with bounds, so that a
    huge `limit` or `offset` is a 422 naming the parameter, not a database overflow."""

    Input = PageQuery  # type: ignore[assignment]
