"""Protocol versions: a draft is edited with its clauses on one page; a signed version
is read-only and can only be ended (or superseded by signing a newer version)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from agreements.access import Permission, SiteAccess
from agreements.choices import REQUIRED_TOPICS, ProtocolStatus, Topic
from agreements.conflicts import EditGuard, Extra, Refused, Watch, carry_over, form_watch
from agreements.forms import ClauseFormSet, ProtocolEndForm, ProtocolForm
from agreements.models import Protocol
from agreements.selectors import protocol_in_force
from agreements.services import protocol_end, protocol_new_version, protocol_save
from agreements.views.base import apply_errors, site_context, site_view
from workspace.records import PROTOCOLS
from workspace.views.records import _get_object


def _clauses(protocol: Protocol) -> list[list[str]]:
    return [[c.topic, c.text] for c in protocol.clauses.order_by("position", "pk")]


def _show_clauses(rows: list[list[str]]) -> str:
    return "\n".join(f"{Topic(topic).label}: {text}" for topic, text in rows)


def _other_versions(protocol: Protocol) -> list[list[Any]]:
    """The site's signed and ended versions: signing this one may end one of them."""
    others = (
        Protocol.objects.filter(
            site_id=protocol.site_id, status__in=[ProtocolStatus.SIGNED, ProtocolStatus.ENDED]
        )
        .exclude(pk=protocol.pk)
        .order_by("version")
    )
    return [[p.version, p.status, p.effective_from, p.ended_on] for p in others]


def _show_versions(rows: list[list[Any]]) -> str:
    def one(version: int, status: str, effective: str | None, ended: str | None) -> str:
        values = {"version": version, "status": ProtocolStatus(status).label.lower(),
                  "effective": effective, "ended": ended}  # fmt: skip
        if ended:
            return gettext("v%(version)s %(status)s, from %(effective)s to %(ended)s") % values
        return gettext("v%(version)s %(status)s, from %(effective)s") % values

    return pgettext("between items of a list", "; ").join(one(*row) for row in rows)


# What protocol pages show: the version's fields and clauses (audited as "clauses"), and the
# site's other signed versions, compared only when signing this one supersedes them.
PROTOCOL_WATCH: Watch = form_watch(
    ProtocolForm,
    also=("ended_on",),
    extras={
        "clauses": Extra(gettext_lazy("Clauses"), _clauses, _show_clauses),
        "other_versions": Extra(
            gettext_lazy("Signed versions of this site"), _other_versions, _show_versions
        ),
    },
)
NOT_SIGNING = ("other_versions",)
# The version's pages display its fields and clauses, not the site's other versions.
SHOWN = tuple(n for n in PROTOCOL_WATCH.names if n not in NOT_SIGNING)


def _guard(request: HttpRequest, protocol: Protocol) -> EditGuard:
    return EditGuard.for_record(request, protocol, PROTOCOL_WATCH, shown=SHOWN)


@site_view(Permission.MANAGE)
def protocol_detail(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    protocol: Protocol = _get_object(PROTOCOLS, access, pk)
    guard = _guard(request, protocol)
    return _detail(request, access, protocol, guard)


def _detail(
    request: HttpRequest, access: SiteAccess, protocol: Protocol, guard: EditGuard
) -> HttpResponse:
    """The version's page; its end and copy forms carry the version's fingerprint."""
    today = access.site.today()
    in_force = protocol_in_force(access.site, today)
    clauses = list(protocol.clauses.all())
    covered = {clause.topic for clause in clauses}
    return render(
        request,
        "agreements/protocol_detail.html",
        site_context(
            access,
            protocol=protocol,
            is_in_force=in_force is not None and in_force.pk == protocol.pk,
            review_overdue=bool(protocol.review_by and protocol.review_by < today),
            missing_topics=[Topic(t).label for t in REQUIRED_TOPICS if t not in covered],
            clauses=clauses,
            acknowledgements=protocol.acknowledgements.select_related("officer"),
            end_form=ProtocolEndForm(),
            kind=PROTOCOLS,
            guard=guard,
        ),
        status=guard.status or 200,
    )


def _edit(request: HttpRequest, access: SiteAccess, protocol: Protocol) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    # An existing version is saved only if nobody changed it since this page was opened;
    # signing it also requires the site's other signed versions to be as they were.
    guard = _guard(request, protocol) if protocol.pk else None
    signing = data is not None and data.get("status") == ProtocolStatus.SIGNED
    ignore = () if signing else NOT_SIGNING
    form = ProtocolForm(data, files, instance=protocol, site=access.site)
    # Enough empty clause forms to reach the seven topics of a complete agreement.
    existing = protocol.clauses.count() if protocol.pk else 0
    formset_class = type(
        "ClauseFormSet", (ClauseFormSet,), {"extra": max(2, len(REQUIRED_TOPICS) - existing)}
    )
    clauses = formset_class(data, instance=protocol, prefix="clauses")
    refused = guard is not None and guard.refused
    valid = request.method == "POST" and not refused and form.is_valid() and clauses.is_valid()
    # Clauses someone else removed make the form invalid: say why.
    stale_form = request.method == "POST" and not refused and not valid and guard is not None
    if stale_form and guard is not None and not guard.check(ignore=ignore):
        carry_over(form, guard)
    if valid:
        deleted = clauses.deleted_forms
        kept = [
            f.save(commit=False)
            for f in clauses.forms
            if f.cleaned_data and f not in deleted and (f.has_changed() or f.instance.pk)  # type: ignore[attr-defined]
        ]

        def save() -> Protocol:
            return protocol_save(
                protocol=form.save(commit=False),
                clauses=kept,
                removed_clauses=[f.instance for f in clauses.deleted_forms],
                actor=request.user,
            )

        try:
            saved = guard.run(save, ignore=ignore) if guard else save()
        except Refused:
            carry_over(form, guard)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Protocol version %(version)s was saved.") % {"version": saved.version},
            )
            return redirect(PROTOCOLS.url("detail", access.site, saved.pk))
    return render(
        request,
        "agreements/protocol_form.html",
        site_context(
            access, form=form, clauses=clauses, protocol=protocol, kind=PROTOCOLS, guard=guard
        ),
        status=(guard.status if guard else None) or (422 if request.method == "POST" else 200),
    )


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def protocol_create(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    return _edit(request, access, Protocol(site=access.site, created_on=access.site.today()))


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def protocol_edit(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    protocol: Protocol = _get_object(PROTOCOLS, access, pk)
    # A draft's form posted after someone else signed it is answered by the check against
    # concurrent edits, which says what changed.
    loaded = _guard(request, protocol).loaded
    opened_unsigned = loaded is not None and not loaded.had("status", ProtocolStatus.SIGNED)
    if protocol.is_signed and not opened_unsigned:
        messages.error(
            request, gettext("A signed version cannot be changed: start a new version instead.")
        )
        return redirect(PROTOCOLS.url("detail", access.site, protocol.pk))
    return _edit(request, access, protocol)


@site_view(Permission.MANAGE)
@require_POST
def protocol_end_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    protocol = _get_object(PROTOCOLS, access, pk)
    guard = _guard(request, protocol)
    form = ProtocolEndForm(request.POST)
    if guard.refused:
        return _detail(request, access, protocol, guard)
    if form.is_valid():
        try:
            guard.run(
                lambda: protocol_end(
                    protocol=protocol, ended_on=form.cleaned_data["ended_on"], actor=request.user
                ),
                ignore=NOT_SIGNING,
            )
        except Refused:
            return _detail(request, access, protocol, guard)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("Protocol version %(version)s was ended.") % {"version": protocol.version},
            )
    else:
        problems = [str(message) for message in form.errors.get("ended_on", [])]
        messages.error(
            request, gettext("Ended on: %(problems)s") % {"problems": " ".join(problems)}
        )
    return redirect(PROTOCOLS.url("detail", access.site, protocol.pk))


@site_view(Permission.MANAGE)
@require_POST
def protocol_copy(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    """Start a new draft version from this one, with its clauses."""
    source: Protocol = _get_object(PROTOCOLS, access, pk)
    # The copy starts from the clauses the manager read on this page, or not at all.
    guard = _guard(request, source)
    try:
        draft = guard.run(
            lambda: protocol_new_version(source=source, actor=request.user), ignore=NOT_SIGNING
        )
    except Refused:
        return _detail(request, access, source, guard)
    messages.success(
        request,
        gettext("Draft version %(draft)s starts from version %(source)s's clauses.")
        % {"draft": draft.version, "source": source.version},
    )
    return redirect(PROTOCOLS.url("edit", access.site, draft.pk))
