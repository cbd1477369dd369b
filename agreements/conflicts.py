"""What a page says when its save was refused because the record changed meanwhile.

The refusal itself is the version check in the services (agreements/versioning.py). A page
carries the version it loaded (hidden field `edit_version`) and, beside each field it
displays, the value it displayed (Django's `show_hidden_initial`: `initial-<name>`). When
a save is refused, `explain` compares those values with the record now: the fields that
differ are what changed, with their value then and now; the audit entries written since
the loaded version (one per version, newest first) say who and when, and name what changed
among values the page did not display. Where the user left a field alone and someone else
changed it, the form shown again takes the value now; where both changed it, the user's
value stays. The page shown again carries the version and values now, so saving it again
applies the user's input over what they have now seen.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.audit import Action, AuditEntry
from agreements.versioning import EditConflict, Versioned

VERSION_FIELD = "edit_version"
# Audit actions that move a record's version on (one entry per version).
CHANGES = (Action.UPDATE, Action.SHARE, Action.WEIGHTS)


class StalePage(Exception):
    """The page's version is missing, malformed or from the future: it was altered."""


def posted_version(request: HttpRequest, now: int) -> int:
    """The version the posted page loaded of a record now at version `now`; `StalePage`
    when it carries none, or one the record never had (the page was altered)."""
    raw = request.POST.get(VERSION_FIELD, "")
    if not raw.isdigit() or int(raw) > now:
        raise StalePage
    return int(raw)


def expect(loaded: int, now: int) -> None:
    """Before validating a posted form: refuse at once a version that moved on since the
    page loaded it; the service checks again, under a lock, when it saves."""
    if loaded != now:
        raise EditConflict


def watch(*page_forms: forms.BaseForm, only: Collection[str] | None = None) -> None:
    """Make each field a page displays carry the value it displayed, to be compared
    after a refusal (not file fields, hidden ones or those the user cannot change)."""
    for form in page_forms:
        for name, form_field in form.fields.items():
            shown = not isinstance(form_field.widget, forms.HiddenInput | forms.FileInput)
            if shown and not form_field.disabled and (only is None or name in only):
                form_field.show_hidden_initial = True


@dataclass
class Change:
    label: str
    before: str | None  # None: the page did not display it
    after: str
    by: str  # who and when, from the audit log; empty when it does not say
    in_form: str = ""  # "now": the form took the value now; "yours": the user's stays


@dataclass
class Conflict:
    """A refused save: why, what changed, and the version the page shown again carries."""

    problem: str
    status: int
    version: int
    changes: list[Change] = field(default_factory=list)


def gone(noun: str) -> Conflict:
    problem = _("Someone else deleted this %(noun)s after you opened this page.")
    return Conflict(problem % {"noun": noun}, 409, 0)


def entries_since(obj: models.Model, loaded: int, object_type: str = "") -> list[AuditEntry]:
    """The audit entries written since the page loaded version `loaded` of `obj`: every
    change that moved the version on wrote one, so they are the newest (now - loaded)."""
    assert isinstance(obj, Versioned)
    count = max(obj.edit_version - loaded, 0)
    return list(
        AuditEntry.objects.filter(
            object_type=object_type or obj._meta.model_name,
            object_id=str(obj.pk),
            action__in=CHANGES,
        ).order_by("-at", "-id")[:count]
    )


def _who(entry: AuditEntry) -> str:
    return _("%(who)s on %(when)s") % {
        "who": entry.actor or _("someone"),
        "when": timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
    }


def show(value: Any, form_field: forms.Field | None = None) -> str:
    """A value as a person reads it: choice labels, names of records, local times."""
    if isinstance(form_field, forms.ModelChoiceField) and not isinstance(value, models.Model):
        pks = [getattr(v, "pk", v) for v in value] if isinstance(value, list | tuple) else [value]
        try:
            queryset: Any = form_field.queryset
            value = list(queryset.filter(pk__in=[p for p in pks if p not in ("", None)]))
        except (ValueError, TypeError):
            value = []
        if not isinstance(form_field, forms.ModelMultipleChoiceField):
            value = value[0] if value else None
    if value in (None, "") or (isinstance(value, list | tuple) and not value):
        return _("(empty)")
    if isinstance(value, list | tuple | models.QuerySet):
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(form_field, forms.ChoiceField) and not isinstance(value, models.Model):
        choices: Any = form_field.choices
        labels = {str(k): v for k, v in choices if not isinstance(v, list | tuple)}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def show_stored(obj: models.Model, name: str) -> str:
    """A stored field's value now, for a change to a value the page did not display."""
    try:
        model_field = obj._meta.get_field(name)
    except FieldDoesNotExist:  # a name only the audit log knows (e.g. "hours")
        return ""
    if model_field.many_to_many:
        return show(list(getattr(obj, name).all()))
    if getattr(model_field, "choices", None):
        return show(getattr(obj, f"get_{name}_display")())
    return show(getattr(obj, name))


def _label(name: str, obj: models.Model | None, labels: Mapping[str, str]) -> str:
    if name in labels:
        return labels[name]
    try:
        found = obj._meta.get_field(name)  # type: ignore[union-attr]
        # A reverse relation (a schedule's check-ins) has no verbose name of its own.
        verbose = str(getattr(found, "verbose_name", name.replace("_", " ")))
    except FieldDoesNotExist:  # a name only the audit log knows
        verbose = name.replace("_", " ")
    return verbose[:1].upper() + verbose[1:]


@dataclass(frozen=True)
class Extra:
    """A value audited under a name that is no field of the record (its clauses, a
    summary kept elsewhere): its label and its display now. `on_page`: the page displays
    it, but its forms do not carry it, so the form shown again keeps what the user had."""

    label: str
    now: Callable[[Any], str]
    on_page: bool = False


def explain(
    *,
    noun: str,
    now: models.Model | None,
    loaded: int | None,
    version: int = 0,
    pairs: Iterable[tuple[forms.BaseForm, forms.BaseForm, str]] = (),
    entries: Sequence[AuditEntry] | None = None,
    extras: Mapping[str, Extra] | None = None,
    covered: Collection[str] = (),
    audit_names: Mapping[str, str] | None = None,
) -> Conflict:
    """Say what changed since the page loaded version `loaded` of `now` (the record as
    it is now), bring each posted form up to date where its user left a field alone, and
    give the version the page shown again carries.

    `pairs`: (posted form, unbound form of `now`, heading naming the form's rows or "")
    for each form on the page. `covered`: audited names that the page's forms display
    field by field (a site's "hours"), named in no row of their own. `audit_names`: a
    form field's name in the audit log, where they differ. `loaded` None: the page
    carried no valid version, so nothing can be said about changes (400). `now` not a
    versioned record: a record kept otherwise (the weights, at `version`).
    """
    if isinstance(now, Versioned):
        version = now.edit_version
    if entries is None:
        entries = entries_since(now, loaded) if now is not None and loaded is not None else []
    by: dict[str, str] = {}
    for entry in reversed(entries):  # the newest entry naming a field wins
        by.update(dict.fromkeys(entry.fields, _who(entry)))
    names = dict(audit_names or {})
    changes: list[Change] = []
    displayed: set[str] = set(covered)
    for posted, fresh, heading in pairs:
        data = posted.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        user_changed = set(posted.changed_data)
        for name, form_field in posted.fields.items():
            if not form_field.show_hidden_initial:
                continue
            bound = posted[name]
            displayed.add(names.get(name, name))
            then = form_field.hidden_widget().value_from_datadict(
                posted.data, posted.files, bound.html_initial_name
            )
            value_now, prepared = fresh[name].initial, fresh[name].value()
            _put(data, bound.html_initial_name, prepared)  # the page shown again loaded now
            if loaded is None or not form_field.has_changed(value_now, then):
                continue
            try:
                before = show(form_field.to_python(then), form_field)
            except forms.ValidationError:
                before = str(then)
            label = str(form_field.label or name)
            if heading:  # a row of a formset: "Monday: Closes"
                label = _("%(label)s: %(value)s") % {"label": heading, "value": label}
            after = show(value_now, form_field)
            change = Change(label, before, after, by.get(names.get(name, name), ""))
            if name in user_changed:
                change.in_form = "yours"
            else:
                change.in_form = "now"
                _put(data, bound.html_name, prepared)
            changes.append(change)
        posted.data = data
    if loaded is None:
        problem = _(
            "This page could not be checked against changes made since it was "
            "opened: it is out of date or was altered. Nothing was saved. Your "
            "entries are kept below: check them and save again."
        )
        return Conflict(problem, 400, version)
    extras = extras or {}
    labels = {n: str(extra.label) for n, extra in extras.items()}
    for entry in entries:
        for name in entry.fields:
            if name in displayed:
                continue
            displayed.add(name)
            extra = extras.get(name)
            after = extra.now(now) if extra else show_stored(now, name) if now else ""
            then = "" if extra and extra.on_page else None
            changes.append(Change(_label(name, now, labels), then, after, by.get(name, "")))
    problem = _(
        "Someone else saved this %(noun)s after you opened this page. "
        "Nothing of yours was saved. The form below holds your changes "
        "and, in the fields you left alone, the values now. Check it, "
        "then save again."
    )
    return Conflict(problem % {"noun": noun}, 409, version, changes)


def _put(data: Any, key: str, value: Any) -> None:
    if isinstance(value, list | tuple):
        data.setlist(key, [str(v) for v in value])
    else:
        data[key] = "" if value is None else value
