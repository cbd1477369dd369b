"""Optimistic concurrency for edit pages: the second of two overlapping saves is refused.

When an edit page is rendered it carries, in a hidden field, a fingerprint of the
record's stored values as they were loaded (`fingerprint`): the time, and one keyed digest
(HMAC with the secret key, salted with the record's key and the field's name) per watched
value, signed. When the form comes back, the save runs in one transaction that first locks
the row, reads it again and compares digests (`EditGuard.run`). If anything changed in
between, nothing is written: the page is shown again with the user's input kept and a list
of what changed, what it is now and, when the audit log says so, who changed it and when.

The token holds no values: a signature is not encryption, and a page may watch fields it
does not display (a delete page, the outcome page's check-ins). What a field was when the
page was opened is shown only for the fields the page displayed: the page sends those
values back beside the token (`SHOWN_FIELD`), and each is believed only if it matches its
digest. The others are named as changed, with their value now.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from django.core import signing
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from agreements.audit import AuditEntry

TOKEN_FIELD = "loaded_as"
SHOWN_FIELD = "loaded_shown"  # the values the page displayed, as they were (not signed)
SALT = "hr_police.conflicts"

T = TypeVar("T")
Values = dict[str, Any]


# --- pure logic -----------------------------------------------------------------------------


def normalise(value: Any) -> Any:
    """A stored value as plain JSON (strings, numbers, booleans, lists, None), so that the
    values signed into a page compare equal to the same values read again."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set | frozenset):
        items = [normalise(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def plain(values: Mapping[str, Any]) -> Values:
    """Values as they come back from a signed token (tuples become lists)."""
    return json.loads(json.dumps({k: normalise(v) for k, v in values.items()}))


def record_scope(obj: models.Model) -> str:
    """The key of one stored record, so that a token taken from one record's page is
    refused on another's."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def digest(value: Any, *, scope: str, name: str) -> str:
    """A keyed digest of one stored value: equal values give equal digests; without the
    secret key, nothing can be learnt about the value, not even by guessing it."""
    data = json.dumps(normalise(value), sort_keys=True, separators=(",", ":"))
    return salted_hmac(f"{SALT}:{scope}", f"{name}\n{data}", algorithm="sha256").hexdigest()[:32]


def digests(values: Mapping[str, Any], *, scope: str) -> dict[str, str]:
    return {name: digest(value, scope=scope, name=name) for name, value in values.items()}


@dataclass(frozen=True)
class Loaded:
    """What a page held when it was opened: a digest of every value it watches and, for
    the values it displayed, the values themselves (checked against their digests)."""

    at: datetime
    scope: str
    digests: dict[str, str]
    values: Values = field(default_factory=dict)

    def had(self, name: str, value: Any) -> bool:
        """Whether `name` held `value` when the page was opened."""
        return constant_time_compare(
            self.digests.get(name, ""), digest(value, scope=self.scope, name=name)
        )


def fingerprint(values: Mapping[str, Any], *, scope: str, at: datetime | None = None) -> str:
    """Sign the time and a digest of each value a page watches; `scope` names the record,
    so that a token taken from one record's page is refused on another's."""
    moment = at or timezone.now()
    payload = {"at": moment.isoformat(), "d": digests(plain(values), scope=scope)}
    return signing.dumps(payload, salt=f"{SALT}:{scope}", compress=True)


def shown_values(values: Mapping[str, Any], names: Collection[str]) -> str:
    """The values among `values` that the page displays, to send back beside the token."""
    return json.dumps({n: v for n, v in plain(values).items() if n in names})


def read_fingerprint(
    token: str | None,
    *,
    scope: str,
    shown: str | None = None,
    names: Collection[str] | None = None,
) -> Loaded | None:
    """What a page held, or None when the token is missing, altered, belongs to another
    record, or (`names`) does not watch exactly these names, as after a deploy that
    changed what a page watches. Of the `shown` values, those matching their digests."""
    if not token:
        return None
    try:
        payload = signing.loads(token, salt=f"{SALT}:{scope}")
        loaded = Loaded(
            at=datetime.fromisoformat(payload["at"]), scope=scope, digests=dict(payload["d"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if names is not None and set(loaded.digests) != set(names):
        return None
    try:
        sent = json.loads(shown or "{}")
    except ValueError:
        sent = {}
    if isinstance(sent, dict):
        loaded.values.update({n: v for n, v in sent.items() if loaded.had(n, v)})
    return loaded


def changed_names(
    before: Mapping[str, Any], after: Mapping[str, Any], *, ignore: Iterable[str] = ()
) -> list[str]:
    """Names whose values differ between two snapshots, in the order of `after`."""
    skipped = set(ignore)
    names = [*after, *(k for k in before if k not in after)]
    return [n for n in names if n not in skipped and before.get(n) != after.get(n)]


# --- what a page watches on a record ---------------------------------------------------------


@dataclass(frozen=True)
class Extra:
    """A value shown on an edit page that is not a column of the record itself (its
    operating hours, its clauses, its police service's name)."""

    label: str | Promise  # module-level: gettext_lazy
    read: Callable[[Any], Any]
    show: Callable[[Any], str] = lambda raw: str(raw)


@dataclass(frozen=True)
class Watch:
    """The fields of one model an edit page shows, and how to show their values."""

    model: type[models.Model]
    fields: tuple[str, ...]
    extras: Mapping[str, Extra] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.fields, *self.extras)

    def values(self, obj: models.Model) -> Values:
        values: Values = {}
        for name in self.fields:
            model_field = obj._meta.get_field(name)
            if model_field.many_to_many:
                values[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
            elif model_field.is_relation:
                values[name] = getattr(obj, model_field.attname)  # type: ignore[union-attr]
            else:
                values[name] = getattr(obj, name)
        for name, extra in self.extras.items():
            values[name] = extra.read(obj)
        return plain(values)

    def label(self, name: str) -> str:
        if name in self.extras:
            return str(self.extras[name].label)
        verbose = str(getattr(self.model._meta.get_field(name), "verbose_name", name))
        return verbose[:1].upper() + verbose[1:]

    def show(self, name: str, raw: Any) -> str:
        if name in self.extras:
            return self.extras[name].show(raw) if raw not in (None, "", []) else _("(empty)")
        return show_value(self.model._meta.get_field(name), raw)


def show_value(model_field: Any, raw: Any) -> str:
    """A stored value as a person reads it: choice labels, names of related records,
    local times."""
    if raw in (None, "", []):
        return _("(empty)")
    if model_field.many_to_many or model_field.is_relation:
        related = model_field.related_model._default_manager.filter(
            pk__in=raw if isinstance(raw, list) else [raw]
        )
        names = sorted(str(obj) for obj in related)
        return ", ".join(names) if names else _("(a record since deleted)")
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(raw, raw))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if raw else _("no")
    if isinstance(model_field, models.DateTimeField):
        return timezone.localtime(datetime.fromisoformat(raw)).strftime("%Y-%m-%d %H:%M")
    if isinstance(model_field, models.TimeField):
        return str(raw)[:5]
    return str(raw)


def form_watch(
    form_class: Any, *, extras: Mapping[str, Extra] | None = None, also: Sequence[str] = ()
) -> Watch:
    """Watch the model fields a ModelForm edits (form-only fields are left to `extras`)."""
    model = form_class._meta.model
    names = {f.name for f in model._meta.get_fields()}
    fields = tuple(n for n in [*form_class._meta.fields, *also] if n in names)
    return Watch(model=model, fields=fields, extras=extras or {})


# --- refusing a stale save -----------------------------------------------------------------


@dataclass
class Change:
    name: str
    label: str
    before: str | None  # None: the page did not display it, so its value then is not known
    after: str
    by: str  # who changed it and when, from the audit log; empty when it does not say
    # After `carry_over`: "now" when the form shown again holds the value now, "yours"
    # when the user changed it too and the form holds the user's value, "absent" when the
    # page does not display it; empty when the form still holds the value from when the
    # page was opened.
    in_form: str = ""


class Refused(Exception):
    """The save was refused; nothing was written."""


def describe(
    watch: Watch, before: Mapping[str, Any], after: Mapping[str, Any], names: Iterable[str]
) -> list[tuple[str, str, str | None, str]]:
    """(name, label, value then, value now) for each changed name; the value then is None
    where `before` does not hold it."""
    return [
        (n, watch.label(n), watch.show(n, before[n]) if n in before else None,
         watch.show(n, after.get(n)))
        for n in names
    ]  # fmt: skip


def who_changed(
    object_type: str, object_id: str | None, since: datetime, names: Iterable[str]
) -> dict[str, str]:
    """For each field name, the latest audit entry since `since` that names it: who and
    when, as one line."""
    entries = AuditEntry.objects.filter(object_type=object_type, at__gte=since)
    if object_id is not None:
        entries = entries.filter(object_id=object_id)
    found: dict[str, str] = {}
    wanted = set(names)
    for entry in entries.order_by("-at", "-id")[:50]:
        who = _("%(who)s on %(when)s") % {
            "who": entry.actor or _("someone"),
            "when": timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
        }
        for name in entry.fields:
            if name in wanted and name not in found:
                found[name] = who
    return found


@dataclass(frozen=True)
class PageToken:
    """What one form of a page carries: the token, and the values it displays."""

    token: str
    shown: str


def form_labels(form_class: Any) -> dict[str, str]:
    """The labels a form gives its fields, to name changes as the page names the fields."""
    return {name: str(f.label) for name, f in form_class.base_fields.items() if f.label}


class EditGuard:
    """One edit page's fingerprint of what it watches, and the check before saving.

    Build it before the form validates (validating a ModelForm changes its instance):
    on GET it fingerprints the values as loaded; on POST it reads the signed token back.
    After a refusal, `token` fingerprints the current values, so that saving the same form
    again (having seen what changed) is accepted. `shown` names the watched values the
    page displays (all by default); only those travel in the page (`shown_json`).
    """

    def __init__(
        self,
        request: HttpRequest,
        *,
        watch: Watch,
        scope: str,
        load: Callable[[], Values],
        lock_and_read: Callable[[], Values | None],
        noun: str,
        audit_type: str,
        audit_id: str | None,
        labels: Mapping[str, str] | None = None,
        shown: Collection[str] | None = None,
    ) -> None:
        self.watch = watch
        self.scope = scope
        self.shown = frozenset(watch.names if shown is None else shown)
        self.lock_and_read = lock_and_read
        self.noun = noun
        self.audit_type = audit_type
        self.audit_id = audit_id
        self.labels = dict(labels or {})
        self.changes: list[Change] = []
        self.problem = ""
        self.status: int | None = None
        self.loaded: Loaded | None = None
        self.current: Values = {}
        self.carried = False  # the form shown again was brought up to date (`carry_over`)
        if request.method == "POST":
            self.token = request.POST.get(TOKEN_FIELD, "")
            self.loaded = read_fingerprint(
                self.token, scope=scope, shown=request.POST.get(SHOWN_FIELD), names=watch.names
            )
            if self.loaded is not None:
                self.shown_json = shown_values(self.loaded.values, self.shown)
            else:
                self._sign(load())
                self.problem = _(
                    "This page could not be checked against changes made since it was "
                    "opened: it is out of date or was altered. Nothing was saved. Your "
                    "entries are kept below: check them and save again."
                )
                self.status = 400
        else:
            self._sign(load())

    def _sign(self, values: Values) -> None:
        self.token = fingerprint(values, scope=self.scope)
        self.shown_json = shown_values(values, self.shown)

    @classmethod
    def for_record(
        cls,
        request: HttpRequest,
        obj: models.Model,
        watch: Watch,
        *,
        labels: Mapping[str, str] | None = None,
        shown: Collection[str] | None = None,
        site_id: int | None = None,
    ) -> EditGuard:
        """The guard of one stored record's edit page. `site_id`: the site whose page
        this is, for records that belong to no one site (officers)."""
        model = type(obj)
        pk = obj.pk
        lock_site = getattr(obj, "site_id", None) or site_id

        def lock_and_read() -> Values | None:
            # Writes lock the site first (services._lock_site), then the record: the same
            # order here, also for an officer, whose save writes an audit entry naming the
            # site (on PostgreSQL that insert waits on the site's lock: taking the officer's
            # row first would deadlock with a site's write that references the officer).
            if lock_site is not None:
                from agreements.models import Site

                list(Site.objects.select_for_update().filter(pk=lock_site).values_list("pk"))
            fresh = model._default_manager.select_for_update().filter(pk=pk).first()
            if fresh is None:
                return None
            # The record was loaded before the lock, and saving it writes every column: take
            # the columns this page does not watch as they are now, so that a change
            # committed to them meanwhile (an officer's account, who logged an interaction)
            # is not undone. The watched ones are compared, and the form's values applied.
            for column in model._meta.concrete_fields:
                if not column.primary_key and column.name not in watch.fields:
                    setattr(obj, column.attname, getattr(fresh, column.attname))
            return watch.values(fresh)

        return cls(
            request,
            watch=watch,
            scope=record_scope(obj),
            load=lambda: watch.values(obj),
            lock_and_read=lock_and_read,
            noun=str(obj._meta.verbose_name),
            audit_type=obj._meta.model_name or "",
            audit_id=str(pk),
            labels=labels,
            shown=shown,
        )

    @staticmethod
    def token_for(obj: models.Model, watch: Watch, *, shown: Collection[str]) -> PageToken:
        """The fingerprint a page showing several records puts in each one's form, with
        the values among `shown` (those the page displays of it)."""
        values = watch.values(obj)
        return PageToken(
            token=fingerprint(values, scope=record_scope(obj)),
            shown=shown_values(values, shown),
        )

    @property
    def refused(self) -> bool:
        return bool(self.problem)

    def run(self, save: Callable[[], T], *, ignore: Iterable[str] = ()) -> T:
        """Lock, compare with the page's values, and save only if they agree; all in one
        transaction. Raises `Refused` (nothing written) otherwise."""
        if self.loaded is None:
            raise Refused(self.problem)
        with transaction.atomic():
            current = self.lock_and_read()
            if current is None:
                self._refuse(_("Someone else deleted this %(noun)s after you opened this page."))
            else:
                now = digests(current, scope=self.scope)
                names = changed_names(self.loaded.digests, now, ignore=ignore)
                if names:
                    self._explain(current, names)
                    self.current = current
                    self._sign(current)
                    self._refuse(
                        _(
                            "Someone else saved this %(noun)s after you opened this page. "
                            "Nothing of yours was saved. The form below holds your changes "
                            "and, in the fields you left alone, the values now. Check it, "
                            "then save again."
                        )
                    )
            return save()

    def check(self, *, ignore: Iterable[str] = ()) -> bool:
        """Whether what the page shows is still what is stored (False after explaining
        what changed). For a form that failed validation because the record changed, e.g.
        a clause someone else deleted."""
        try:
            self.run(lambda: None, ignore=ignore)
        except Refused:
            return False
        return True

    def _explain(self, current: Values, names: list[str]) -> None:
        assert self.loaded is not None
        by = who_changed(self.audit_type, self.audit_id, self.loaded.at, names)
        self.changes = [
            Change(name, self.labels.get(name, label), before, after, by.get(name, ""))
            for name, label, before, after in describe(
                self.watch, self.loaded.values, current, names
            )
        ]

    def _refuse(self, message: str) -> None:
        self.problem = message % {"noun": self.noun}
        self.status = 409
        raise Refused(self.problem)


def carry_over(form: Any, guard: EditGuard | None) -> None:
    """After a refusal, put the values now into the fields of `form` that the user left as
    they were when the page was opened, so that saving again applies only the user's own
    edits; where the user changed a field someone else changed too, the user's value stays
    (and the change is marked). Fields other than the record's own columns (hours, clauses)
    keep what the user entered."""
    if guard is None or guard.loaded is None or not guard.changes:
        return
    guard.carried = True
    data = form.data.copy()  # a QueryDict: kept multi-valued
    for change in guard.changes:
        name = change.name
        if name not in guard.shown:
            change.in_form = "absent"  # not on the page: nothing to say about the form
            continue
        if name not in form.fields or name not in guard.watch.fields or form.fields[name].disabled:
            continue
        model_field = guard.watch.model._meta.get_field(name)
        if isinstance(model_field, models.FileField) or name not in guard.loaded.values:
            continue  # a value the page did not display: whether the user changed it is unknown
        then = _python(model_field, guard.loaded.values.get(name))
        if form.fields[name].has_changed(then, form[name].data):
            change.in_form = "yours"
            continue
        now = _python(model_field, guard.current.get(name))
        key = form.add_prefix(name)
        if model_field.many_to_many:
            data.setlist(key, [str(pk) for pk in now or []])
        else:
            data[key] = "" if now is None else now
        change.in_form = "now"
    form.data = data


def _python(model_field: Any, raw: Any) -> Any:
    """A signed (JSON) value back as the form field expects it."""
    if raw is None or model_field.many_to_many or model_field.is_relation:
        return raw
    return model_field.to_python(raw)
