"""The PII guard on every record a person types text into (issue 15 items 2 and 3).

`privacy.pii.check_free_text` is the field validator: it knows no site, so it refuses
identifiers only. `GuardedText` adds, at `full_clean()` time, what needs the site: the
names of the site's police officers (the roster, allowed where other personal names are
not) and the warnings about passages that may describe a client, which block the write
until the writer confirms that the text describes police.

Every write goes through a service that calls `full_clean()` (page, API, admin, bundle
import, commands), so putting the guard here covers every path at once.

The confirmation is transient: the caller sets `instance.pii_confirmed = True` before the
service validates, and nothing stores it on the record. What was confirmed (field names
and warning kinds, never the text) is left on the instance as `pii_confirmed_warnings`
for the audit entry (`agreements.audit.record`).

Text already stored is not checked again when an update leaves it unchanged: it was
checked (and any warning confirmed) when it was written. Re-checking it under a newer
guard would make an unrelated change (sharing, resolving, a status) fail on a field the
page does not even show; a writer who edits the text meets the newer guard in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from typing import Any, ClassVar
from urllib.parse import unquote_plus, urlsplit

from django.core.exceptions import ValidationError
from django.db import models

from privacy.pii import (
    ERROR_CODE,
    ROSTER_KINDS,
    STREET_ADDRESS,
    WARNING_CODE,
    assess,
    check_free_text,
    check_text,
    message_for,
)

# The site's police roster: names of the officers assigned to (or registered for) a site.
# The liaisons app, which owns officers and sits above this one, registers the lookup
# when it starts (`liaisons.apps`), so that this module imports nothing from it.
RosterLookup = Callable[[int], list[str]]
_roster_lookup: list[RosterLookup] = []


def register_roster(lookup: RosterLookup) -> None:
    _roster_lookup[:] = [lookup]


def site_roster(site_id: int | None) -> list[str]:
    """The names of the site's police officers; empty without a site or a lookup."""
    if site_id is None or not _roster_lookup:
        return []
    return _roster_lookup[0](site_id)


class GuardedText(models.Model):
    """A model with text fields a person types. Lists them in `guarded_text_fields`;
    `guard_site_id()` says whose roster applies."""

    guarded_text_fields: ClassVar[tuple[str, ...]] = ()

    # Set by the caller before full_clean; never a field (see the module docstring).
    pii_confirmed: bool = False
    # Set by full_clean: {field name: sorted warning kinds} the writer confirmed.
    pii_confirmed_warnings: dict[str, list[str]]
    # May be set by a caller that validates many records of one site (the bundle import),
    # to look the roster up once.
    pii_officers: list[str] | None = None

    class Meta:
        abstract = True

    def guard_site_id(self) -> int | None:
        return getattr(self, "site_id", None)

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.pii_confirmed_warnings = {}
        # A field the model's own validator refused for PII only is checked whole too, and
        # its refusals replaced by the whole guard's: the writer then reads every problem
        # at once (names and descriptions included), not one round after another.
        refused_by_validator = {
            name: errors.pop(name)
            for name in self.guarded_text_fields
            if name in errors and all(e.code == ERROR_CODE for e in errors[name])
        }
        fields = [
            name
            for name in self.guarded_text_fields
            if not (exclude and name in exclude) and name not in errors and getattr(self, name)
        ]
        if fields:
            officers = self._guard_officers()
            stored = self._stored_texts(fields)
            for name in fields:
                value = str(getattr(self, name))
                if stored.get(name) == value:
                    if name in refused_by_validator:  # as the validator found it
                        errors[name] = refused_by_validator[name]
                    continue  # checked when it was written (module docstring)
                try:
                    check_text(value, officers=officers, confirmed=self.pii_confirmed)
                except ValidationError as error:
                    errors.setdefault(name, []).extend(error.error_list)
                    continue
                if name in refused_by_validator:  # never looser than the field's validator
                    errors[name] = refused_by_validator[name]
                    continue
                if self.pii_confirmed:
                    kinds = {f.kind for f in assess(value, officers=officers).warnings}
                    if kinds:
                        self.pii_confirmed_warnings[name] = sorted(kinds)
        if errors:
            raise ValidationError(errors)

    def _guard_officers(self) -> list[str]:
        if self.pii_officers is None:
            self.pii_officers = site_roster(self.guard_site_id())
        return self.pii_officers

    def _stored_texts(self, fields: Iterable[str]) -> dict[str, str]:
        if self._state.adding or self.pk is None:
            return {}
        row = type(self)._default_manager.filter(pk=self.pk).values(*fields).first()
        return {name: str(value) for name, value in (row or {}).items()}


def confirmed_detail(confirmed: dict[str, list[str]]) -> str:
    """The audit entry's words for confirmed warnings: field names and kinds, no text."""
    parts = [f"{name} ({', '.join(kinds)})" for name, kinds in sorted(confirmed.items())]
    return "PII warnings confirmed: " + "; ".join(parts)


def has_unconfirmed_warning(error: ValidationError) -> bool:
    """True when a validation error holds a warning the writer may confirm."""
    return any(e.code == WARNING_CODE for e in _leaves(error))


def _leaves(error: ValidationError) -> list[ValidationError]:
    if hasattr(error, "error_dict"):
        return [leaf for errors in error.error_dict.values() for leaf in errors]
    return list(error.error_list)


# --------------------------------------------------------------------------------------
# Fields with their own rule.
# --------------------------------------------------------------------------------------


def check_public_address(text: str) -> None:
    """A site's own public address: a street address is expected here (it is the
    site's, printed on its door), any other identifier is refused."""
    # No roster here, so names are left alone as in every site-less check (a street
    # named after a person, "George St", is no one's name).
    refusals = [
        f for f in assess(text).refusals if f.kind != STREET_ADDRESS and f.kind not in ROSTER_KINDS
    ]
    if refusals:
        raise ValidationError([ValidationError(message_for(f), code=ERROR_CODE) for f in refusals])


def check_link(url: str) -> None:
    """A link to a public record: its path, query string and fragment are read as text,
    decoded ("?name=jo&dob=1990-01-02", "jo%40example.com"), so an identifier carried in
    a URL is refused like one typed in a narrative. The host is a publisher's name."""
    if not url:
        return
    parts = urlsplit(url)
    readable = " ".join(
        unquote_plus(part).replace("&", " ").replace("=", " ").replace("/", " ")
        for part in (parts.path, parts.query, parts.fragment)
        if part
    )
    if parts.username:
        readable = f"{unquote_plus(parts.username)} {readable}"
    # Slugs glue words to numbers ("call-416-555-0199"): part them, so that the number is
    # read as it would be in a sentence.
    check_free_text(_WORD_NUMBER_DASH.sub(" ", readable))


_WORD_NUMBER_DASH = re.compile(r"(?<=[^\W\d_])[-_](?=\d)|(?<=\d)[-_](?=[^\W\d_])")
