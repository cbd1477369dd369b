"""The append-only audit log (SPEC §2): who did what, when, to which record, from where.

Entries name records and the fields that changed, never their values: the log must not
become a second copy of narratives. No foreign keys, so that deleting a site or a user
never rewrites history; the site and actor are kept as id and name at the time.

Append-only means: the model refuses to save an existing entry or to delete one, its
queryset refuses bulk update and delete, and the admin shows it read-only. The single
exception is `expire_ips`, which blanks addresses older than the retention period.

Entries about an interaction (its creation, changes, reads, sharing) keep the hour at
its site and no finer, like the interaction itself (agreements/hour_stamp.py); every
other entry keeps the exact time. docs/privacy.md says what that leaves.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agreements.hour_stamp import site_zone, this_hour, to_the_hour

APPEND_ONLY = "The audit log is append-only: entries are never changed or deleted."


class Action(models.TextChoices):
    LOGIN = "login", gettext_lazy("Signed in")
    LOGIN_FAILED = "login_failed", gettext_lazy("Failed sign-in")
    LOGOUT = "logout", gettext_lazy("Signed out")
    CREATE = "create", gettext_lazy("Created")
    UPDATE = "update", gettext_lazy("Changed")
    DELETE = "delete", gettext_lazy("Deleted")
    VIEW = "view", gettext_lazy("Viewed")
    SHARE = "share", gettext_lazy("Shared")
    UNSHARE = "unshare", gettext_lazy("Unshared")
    EXPORT = "export", gettext_lazy("Exported")
    DOWNLOAD = "download", gettext_lazy("Downloaded")
    IMPORT = "import", gettext_lazy("Imported")
    WEIGHTS = "weights", gettext_lazy("Changed weights")
    LINK = "link", gettext_lazy("Secret link")
    NOTIFY = "notify", gettext_lazy("E-mailed")


# Records whose entries are kept to the hour: an interaction, its share for mediation,
# its mediation thread and the thread's replies (mediation/models.py), and a peer report
# (peer_reports/models.py): its filing and every look-up of its follow-up code.
HOURLY_OBJECTS = frozenset(
    {"interaction", "interactionshare", "sharedthread", "threadreply", "peerreport"}
)


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(APPEND_ONLY)

    def expire_ips(self, *, older_than_days: int) -> int:
        """Blank the addresses of entries older than the retention period."""
        cutoff = timezone.now() - timedelta(days=older_than_days)
        stale = self.filter(at__lt=cutoff, ip__isnull=False)
        return models.QuerySet.update(stale, ip=None)


class AuditEntry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.IntegerField(null=True, blank=True)
    actor = models.CharField(
        max_length=150, blank=True, help_text=gettext_lazy("Username at the time.")
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    site_id = models.IntegerField(null=True, blank=True, db_index=True)
    site = models.CharField(
        max_length=60, blank=True, help_text=gettext_lazy("Site slug at the time.")
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    fields = models.JSONField(
        default=list, blank=True, help_text=gettext_lazy("Names only, never values.")
    )
    detail = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        app_label = "agreements"
        ordering = ["-at", "-id"]
        verbose_name_plural = gettext_lazy("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or '—'} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY)
        if self.object_type in HOURLY_OBJECTS and (self.at.second or self.at.microsecond):
            # An entry written without `record` still keeps no finer than the hour.
            from agreements.models import Site  # the model module imports this one

            site = Site.objects.filter(pk=self.site_id).first() if self.site_id else None
            self.at = to_the_hour(self.at, site_zone(site))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(APPEND_ONLY)


# The address of the request being served, set by AuditContextMiddleware.
_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: from the header the proxy writes when
    HR_POLICE_CLIENT_IP_HEADER names one, else the connection's. The audit log and login
    throttling (django-axes' AXES_CLIENT_IP_CALLABLE) both read it, so a lockout holds for
    the client that failed, not for everyone behind the proxy. A value that is not an
    address is dropped (None) rather than stored: it would not fit the address columns."""
    header = settings.HR_POLICE_CLIENT_IP_HEADER
    if header and header in request.META:
        raw = str(request.META[header]).split(",")[0].strip()
    else:
        raw = str(request.META.get("REMOTE_ADDR") or "")
    try:
        return str(ipaddress.ip_address(raw)) if raw else None
    except ValueError:
        return None


# Who is acting, for writes that do not pass an actor (account changes recorded by the
# receivers in accounts.signals): the request being served, or what `acting_as` names.
_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "request", default=None
)
_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("actor", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(client_ip(request))
        asking = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(asking)
            _client_ip.reset(token)


@contextlib.contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Name the actor of the writes inside (a service's `actor`, a command's name)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def without_address() -> Iterator[None]:
    """Entries written inside keep no address, whatever the request's: a read whose
    reader must stay unknown to those who read the log (a peer report's follow-up code,
    looked up by its reporter)."""
    token = _client_ip.set(None)
    try:
        yield
    finally:
        _client_ip.reset(token)


def current_actor() -> Any:
    """Who is acting now: what `acting_as` named, else the signed-in user of the request
    being served (read late: the API sets it after the middleware), else None."""
    named = _actor.get()
    if named is not None:
        return named
    request = _request.get()
    return getattr(request, "user", None) if request is not None else None


def record(
    action: str,
    *,
    actor: Any = None,
    site: Any = None,
    obj: models.Model | None = None,
    fields: Iterable[str] = (),
    detail: str = "",
    ip: str | None = None,
    hourly: bool = False,
) -> AuditEntry:
    """Write one entry. `actor` is a user (or None for commands), `site` a Site.

    `hourly`: the entry is tied to an interaction although it names none (an API request
    that wrote or read one), so it keeps the hour at `site` only; entries naming an
    interaction always do."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    # A write that passed with confirmed PII warnings says so: which fields, which kinds
    # of warning, never the text (agreements.pii_guard).
    confirmed = getattr(obj, "pii_confirmed_warnings", None) if obj is not None else None
    if confirmed and action in (Action.CREATE, Action.UPDATE, Action.SHARE, Action.LINK):
        from agreements.pii_guard import confirmed_detail  # a model module; no cycle at use

        detail = "; ".join(part for part in (detail, confirmed_detail(confirmed)) if part)
    if site is None and obj is not None:
        # A site is its own site; other records name theirs.
        site = obj if obj._meta.model_name == "site" else getattr(obj, "site", None)
        if site is None and getattr(obj, "interaction_id", None):
            site = obj.interaction.site  # type: ignore[attr-defined]
    object_type = obj._meta.model_name or "" if obj is not None else ""
    at = this_hour(site) if hourly or object_type in HOURLY_OBJECTS else timezone.now()
    return AuditEntry.objects.create(
        at=at,
        actor_id=actor.pk if authenticated else None,
        actor=actor.get_username() if authenticated else (detail_actor(actor)),
        action=action,
        site_id=site.pk if site is not None else None,
        site=site.slug if site is not None else "",
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        fields=sorted(fields),
        detail=detail[:200],
        ip=ip or _client_ip.get(),
    )


def record_reads(objs: Sequence[models.Model], *, actor: Any, site: Any, detail: str = "") -> None:
    """One VIEW entry per record read in a list (a page of the interaction log through
    the API, narratives included), written in one insert so that a page costs the same
    number of queries whatever its length. The entries are those `record` would write."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    ip = _client_ip.get()
    # bulk_create skips `AuditEntry.save`, so the hour rule is applied here: reads of an
    # interaction keep the hour at its site, like every entry about one.
    at = this_hour(site)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=at if obj._meta.model_name in HOURLY_OBJECTS else timezone.now(),
            actor_id=actor.pk if authenticated else None,
            actor=actor.get_username() if authenticated else detail_actor(actor),
            action=Action.VIEW,
            site_id=site.pk,
            site=site.slug,
            object_type=obj._meta.model_name or "",
            object_id=str(obj.pk),
            detail=detail[:200],
            ip=ip,
        )
        for obj in objs
    )


def detail_actor(actor: Any) -> str:
    """Who acted when no signed-in user did: a command line, or an unknown user name."""
    return actor if isinstance(actor, str) else ""


def changed_fields(instance: models.Model) -> list[str]:
    """Names of the concrete fields whose values differ from the stored row (all
    non-empty fields for a new record). One query for an existing record."""
    names = [f.attname for f in instance._meta.concrete_fields if not f.primary_key and f.editable]
    if instance.pk is None or instance._state.adding:
        return [n.removesuffix("_id") for n in names if getattr(instance, n) not in (None, "")]
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
    if stored is None:
        return [n.removesuffix("_id") for n in names]
    return [n.removesuffix("_id") for n in names if stored[n] != getattr(instance, n)]
