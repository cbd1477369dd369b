"""Protocol versions: a draft is edited with its clauses on one page; a signed version
is read-only and can only be ended (or superseded by signing a newer version)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from agreements.access import Permission, SiteAccess
from agreements.choices import REQUIRED_TOPICS, Topic
from agreements.forms import ClauseFormSet, ProtocolEndForm, ProtocolForm
from agreements.models import Protocol
from agreements.records import PROTOCOLS
from agreements.selectors import protocol_in_force
from agreements.services import protocol_end, protocol_new_version, protocol_save
from agreements.views.base import apply_errors, site_context, site_view
from agreements.views.records import _get_object


@site_view(Permission.MANAGE)
def protocol_detail(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    protocol: Protocol = _get_object(PROTOCOLS, access, pk)
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
        ),
    )


def _edit(request: HttpRequest, access: SiteAccess, protocol: Protocol) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ProtocolForm(data, files, instance=protocol, site=access.site)
    # Enough empty clause forms to reach the seven topics of a complete agreement.
    existing = protocol.clauses.count() if protocol.pk else 0
    formset_class = type(
        "ClauseFormSet", (ClauseFormSet,), {"extra": max(2, len(REQUIRED_TOPICS) - existing)}
    )
    clauses = formset_class(data, instance=protocol, prefix="clauses")
    if request.method == "POST" and form.is_valid() and clauses.is_valid():
        deleted = clauses.deleted_forms
        kept = [
            f.save(commit=False)
            for f in clauses.forms
            if f.cleaned_data and f not in deleted and (f.has_changed() or f.instance.pk)  # type: ignore[attr-defined]
        ]
        try:
            saved = protocol_save(
                protocol=form.save(commit=False),
                clauses=kept,
                removed_clauses=[f.instance for f in clauses.deleted_forms],
                actor=request.user,
            )
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
        site_context(access, form=form, clauses=clauses, protocol=protocol, kind=PROTOCOLS),
        status=422 if request.method == "POST" else 200,
    )


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def protocol_create(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    return _edit(request, access, Protocol(site=access.site, created_on=access.site.today()))


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def protocol_edit(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    protocol: Protocol = _get_object(PROTOCOLS, access, pk)
    if protocol.is_signed:
        messages.error(
            request, gettext("A signed version cannot be changed: start a new version instead.")
        )
        return redirect(PROTOCOLS.url("detail", access.site, protocol.pk))
    return _edit(request, access, protocol)


@site_view(Permission.MANAGE)
@require_POST
def protocol_end_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    protocol = _get_object(PROTOCOLS, access, pk)
    form = ProtocolEndForm(request.POST)
    if form.is_valid():
        try:
            protocol_end(
                protocol=protocol, ended_on=form.cleaned_data["ended_on"], actor=request.user
            )
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
    draft = protocol_new_version(source=source, actor=request.user)
    messages.success(
        request,
        gettext("Draft version %(draft)s starts from version %(source)s's clauses.")
        % {"draft": draft.version, "source": source.version},
    )
    return redirect(PROTOCOLS.url("edit", access.site, draft.pk))
