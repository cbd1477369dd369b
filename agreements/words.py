"""Vocabulary values as words inside a sentence, in the active language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# Vocabulary values as they read inside evidence sentences. The English is the value with
# spaces for underscores; the entries make the words translatable (the values stay as
# they are in the API). A value not listed reads as itself.
_WORDS: dict[str, StrPromise] = {
    "community_planning": pgettext_lazy("engagement kind, in a sentence", "community planning"),
    "dialogue": pgettext_lazy("engagement kind, in a sentence", "dialogue"),
    "exemption_briefing": pgettext_lazy("engagement kind, in a sentence", "exemption briefing"),
    "training": pgettext_lazy("engagement kind, in a sentence", "training"),
    "chief": pgettext_lazy("speaker rank, in a sentence", "chief"),
    "deputy_chief": pgettext_lazy("speaker rank, in a sentence", "deputy chief"),
    "senior_administrator": pgettext_lazy("speaker rank, in a sentence", "senior administrator"),
    "other": pgettext_lazy("in a sentence", "other"),
    "support": pgettext_lazy("stance, in a sentence", "support"),
    "neutral": pgettext_lazy("stance, in a sentence", "neutral"),
    "opposition": pgettext_lazy("stance, in a sentence", "opposition"),
    "draft": pgettext_lazy("protocol status, in a sentence", "draft"),
    "negotiating": pgettext_lazy("protocol status, in a sentence", "negotiating"),
    "signed": pgettext_lazy("protocol status, in a sentence", "signed"),
    "ended": pgettext_lazy("protocol status, in a sentence", "ended"),
    "primary": pgettext_lazy("liaison role, in a sentence", "primary"),
    "backup": pgettext_lazy("liaison role, in a sentence", "backup"),
    "meeting": pgettext_lazy("check-in format, in a sentence", "meeting"),
    "tour": pgettext_lazy("check-in format, in a sentence", "tour"),
    "visit": pgettext_lazy("check-in format, in a sentence", "visit"),
    "entry_during_hours": pgettext_lazy("agreement topic", "entry during hours"),
    "proximity_buffer": pgettext_lazy("agreement topic", "proximity buffer"),
    "entry_exceptions": pgettext_lazy("agreement topic", "entry exceptions"),
    "notification": pgettext_lazy("agreement topic", "notification"),
    "conflict_resolution": pgettext_lazy("agreement topic", "conflict resolution"),
    "plainclothes": pgettext_lazy("agreement topic", "plainclothes"),
    "information_sharing": pgettext_lazy("agreement topic", "information sharing"),
}


def word(value: str) -> str:
    """A vocabulary value as it reads in a sentence, in the active language."""
    found = _WORDS.get(value)
    return str(found) if found is not None else value.replace("_", " ")
