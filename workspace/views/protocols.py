"""Protocol versions: a draft is edited with its clauses on one page and signed on a
confirmation page that says what signing does; a signed version is read-only and can be
withdrawn before it takes effect, or ended (or superseded by signing a newer version)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from agreements.access import Permission, SiteAccess
from agreements.choices import REQUIRED_TOPICS, Topic
from agreements.conflicts import (
    Conflict,
    Extra,
    StalePage,
    expect,
    explain,
    posted_version,
    watch,
)
from agreements.forms import (
    ClauseFormSet,
    ProtocolEndForm,
    ProtocolForm,
    ProtocolSignForm,
    ProtocolWithdrawForm,
)
from agreements.models import Protocol
from agreements.pii_forms import warned_fields
from agreements.protocol_rules import shown_status
from agreements.selectors import protocol_in_force
from agreements.services import (
    protocol_end,
    protocol_new_version,
    protocol_save,
    protocol_sign,
    protocol_withdraw,
    signing_effects,
    withdraw_refusal,
)
from agreements.versioning import EditConflict
from agreements.views.base import apply_errors, site_context, site_view
from consultations.forms import OpenForm
from consultations.selectors import answered_of, version_panel
from liaisons.views import diff_page
from workspace.records import PROTOCOLS
from workspace.views.records import _get_object


def _show_clauses(protocol: Protocol) -> str:
    clauses = protocol.clauses.order_by("position", "pk")
    return "\n".join(f"{Topic(c.topic).label}: {c.text}" for c in clauses) or gettext("(empty)")


def _refused(
    protocol_pk: int, loaded: int | None, form: ProtocolForm | None = None, *, on_page: bool
) -> Conflict:
    """What changed in the version since its page loaded it. The clauses (audited as
    "clauses") are shown as they are now; `on_page`: the page displayed them in its form,
    which keeps the user's (a clause removed meanwhile cannot be edited any more)."""
    now = Protocol.objects.get(pk=protocol_pk)
    pairs = [(form, ProtocolForm(instance=now, site=now.site), "")] if form else []
    clauses = Extra(gettext("Clauses"), _show_clauses, on_page=on_page)
    return explain(
        noun=gettext("protocol version"),
        now=now,
        loaded=loaded,
        pairs=pairs,
        extras={"clauses": clauses},
    )


@site_view(Permission.MANAGE)
def protocol_detail(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    protocol: Protocol = _get_object(PROTOCOLS, access, pk)
    return _detail(request, access, protocol)


def _detail(
    request: HttpRequest,
    access: SiteAccess,
    protocol: Protocol,
    conflict: Conflict | None = None,
    withdraw_form: ProtocolWithdrawForm | None = None,
) -> HttpResponse:
    """The version's page; its end, withdraw and copy forms carry the version it shows."""
    if conflict is not None:
        protocol = Protocol.objects.get(pk=protocol.pk)  # as it is now
    today = access.site.today()
    in_force = protocol_in_force(access.site, today)
    clauses = list(protocol.clauses.all())
    covered = {clause.topic for clause in clauses}
    status = 422 if withdraw_form is not None and withdraw_form.errors else 200
    return render(
        request,
        "agreements/protocol_detail.html",
        site_context(
            access,
            protocol=protocol,
            shown=shown_status(protocol, today),
            may_withdraw=withdraw_refusal(protocol, today) is None,
            withdraw_form=withdraw_form or ProtocolWithdrawForm(),
            has_other_versions=Protocol.objects.filter(site=access.site)
            .exclude(pk=protocol.pk)
            .exists(),
            is_in_force=in_force is not None and in_force.pk == protocol.pk,
            review_overdue=bool(protocol.review_by and protocol.review_by < today),
            missing_topics=[Topic(t).label for t in REQUIRED_TOPICS if t not in covered],
            clauses=clauses,
            acknowledgements=protocol.acknowledgements.select_related("officer"),
            end_form=ProtocolEndForm(),
            kind=PROTOCOLS,
            conflict=conflict,
            version=protocol.edit_version,
            # Issue 19: the version's community consultation, and opening one.
            consultation_panel=version_panel(protocol, today),
            consultation_form=OpenForm(today=today),
        ),
        status=conflict.status if conflict else status,
    )


def _edit(request: HttpRequest, access: SiteAccess, protocol: Protocol) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    # An existing version is saved only if nobody changed it since this page was opened.
    form = ProtocolForm(data, files, instance=protocol, site=access.site)
    if protocol.pk:
        watch(form)
    # Enough empty clause forms to reach the seven topics of a complete agreement.
    existing = protocol.clauses.count() if protocol.pk else 0
    formset_class = type(
        "ClauseFormSet", (ClauseFormSet,), {"extra": max(2, len(REQUIRED_TOPICS) - existing)}
    )
    clauses = formset_class(data, instance=protocol, prefix="clauses")
    conflict: Conflict | None = None
    loaded = None
    try:
        if request.method == "POST" and protocol.pk:
            loaded = posted_version(request, protocol.edit_version)
            expect(loaded, protocol.edit_version)
        if request.method == "POST" and form.is_valid() and clauses.is_valid():
            deleted = clauses.deleted_forms
            kept = [
                f.save(commit=False)
                for f in clauses.forms
                if f.cleaned_data and f not in deleted and (f.has_changed() or f.instance.pk)  # type: ignore[attr-defined]
            ]
            saved = protocol_save(
                protocol=form.save(commit=False),
                clauses=kept,
                removed_clauses=[f.instance for f in clauses.deleted_forms],
                actor=request.user,
            )
            messages.success(
                request,
                gettext("Protocol version %(version)s was saved.") % {"version": saved.version},
            )
            return redirect(PROTOCOLS.url("detail", access.site, saved.pk))
    except (StalePage, EditConflict):
        conflict = _refused(protocol.pk, loaded, form, on_page=True)
    except ValidationError as error:
        apply_errors(form, error)
    if request.method == "POST" and clauses.is_bound:
        # The clauses' warnings are confirmed by the protocol form's box.
        warned = [f"{f[name].auto_id}_error" for f in clauses.forms for name in warned_fields(f)]
        if warned:
            form.offer_confirmation(warned_fields(form), described_by=warned)
    return render(
        request,
        "agreements/protocol_form.html",
        site_context(
            access,
            form=form,
            clauses=clauses,
            protocol=protocol,
            kind=PROTOCOLS,
            conflict=conflict,
            version=conflict.version if conflict else protocol.edit_version,
        ),
        status=(conflict.status if conflict else None)
        or (422 if request.method == "POST" else 200),
    )


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def protocol_create(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    return _edit(request, access, Protocol(site=access.site, created_on=access.site.today()))


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def protocol_edit(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    protocol: Protocol = _get_object(PROTOCOLS, access, pk)
    # A draft's form posted after someone else signed it (an older version) is answered
    # by the check against concurrent edits, which says what changed.
    posted = request.POST.get("edit_version", "")
    opened_before = posted.isdigit() and int(posted) < protocol.edit_version
    if protocol.is_signed and not opened_before:
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
    loaded = None
    try:
        loaded = posted_version(request, protocol.edit_version)
        expect(loaded, protocol.edit_version)
    except (StalePage, EditConflict):
        return _detail(request, access, protocol, _refused(pk, loaded, on_page=False))
    if form.is_valid():
        try:
            protocol_end(
                protocol=protocol, ended_on=form.cleaned_data["ended_on"], actor=request.user
            )
        except EditConflict:
            return _detail(request, access, protocol, _refused(pk, loaded, on_page=False))
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
    loaded = None
    try:
        loaded = posted_version(request, source.edit_version)
        expect(loaded, source.edit_version)
        draft = protocol_new_version(source=source, actor=request.user)
    except (StalePage, EditConflict):
        return _detail(request, access, source, _refused(pk, loaded, on_page=False))
    messages.success(
        request,
        gettext("Draft version %(draft)s starts from version %(source)s's clauses.")
        % {"draft": draft.version, "source": source.version},
    )
    return redirect(PROTOCOLS.url("edit", access.site, draft.pk))


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def protocol_sign_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    """Sign a version in its own step: the page says which required topics it leaves
    out (a warning to acknowledge), which version it ends and from which day, and shows
    exactly what police will read; POST signs it as the page showed it."""
    protocol: Protocol = _get_object(PROTOCOLS, access, pk)
    if protocol.is_signed:
        messages.error(request, gettext("This version is already signed."))
        return redirect(PROTOCOLS.url("detail", access.site, protocol.pk))
    today = access.site.today()
    initial = {"signed_on": today, "effective_from": protocol.effective_from}
    missing = bool(signing_effects(protocol, None).missing_topics)
    form = ProtocolSignForm(
        request.POST if request.method == "POST" else None, initial=initial, missing=missing
    )
    conflict: Conflict | None = None
    loaded = None
    if request.method == "POST":
        try:
            loaded = posted_version(request, protocol.edit_version)
            expect(loaded, protocol.edit_version)
            if form.is_valid():
                protocol_sign(
                    protocol=protocol,
                    signed_on=form.cleaned_data["signed_on"],
                    effective_from=form.cleaned_data["effective_from"],
                    missing_acknowledged=form.cleaned_data.get("missing_acknowledged", False),
                    actor=request.user,
                )
                messages.success(
                    request,
                    gettext("Protocol version %(version)s was signed.")
                    % {"version": protocol.version},
                )
                return redirect(PROTOCOLS.url("detail", access.site, protocol.pk))
        except (StalePage, EditConflict):
            conflict = _refused(protocol.pk, loaded, on_page=False)
            protocol = Protocol.objects.get(pk=protocol.pk)
        except ValidationError as error:
            protocol = Protocol.objects.get(pk=protocol.pk)  # the unsigned version, unchanged
            apply_errors(form, error)
    day = getattr(form, "cleaned_data", {}).get("effective_from")
    effects = signing_effects(protocol, day or protocol.effective_from)
    return render(
        request,
        "agreements/protocol_sign.html",
        site_context(
            access,
            protocol=protocol,
            form=form,
            effects=effects,
            missing_labels=[Topic(t).label for t in effects.missing_topics],
            clauses=list(protocol.clauses.all()),
            # Issue 19: signing closes the consultation; say what it leaves unanswered.
            answered=answered_of(protocol),
            consultation_list=reverse("consultations:list", args=[access.site.slug]),
            kind=PROTOCOLS,
            conflict=conflict,
            version=conflict.version if conflict else protocol.edit_version,
        ),
        status=(conflict.status if conflict else None)
        or (422 if request.method == "POST" else 200),
    )


@site_view(Permission.MANAGE)
@require_POST
def protocol_withdraw_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    """Withdraw a signed version that has not taken effect (with a reason)."""
    protocol: Protocol = _get_object(PROTOCOLS, access, pk)
    form = ProtocolWithdrawForm(request.POST)
    loaded = None
    try:
        loaded = posted_version(request, protocol.edit_version)
        expect(loaded, protocol.edit_version)
        if form.is_valid():
            protocol_withdraw(protocol=protocol, reason=form.cleaned_data["reason"],
                              actor=request.user)  # fmt: skip
            messages.success(
                request,
                gettext("Protocol version %(version)s was withdrawn: it is back in negotiation.")
                % {"version": protocol.version},
            )
            return redirect(PROTOCOLS.url("detail", access.site, protocol.pk))
    except (StalePage, EditConflict):
        return _detail(request, access, protocol, _refused(pk, loaded, on_page=False))
    except ValidationError as error:
        protocol = Protocol.objects.get(pk=protocol.pk)
        apply_errors(form, error)
    return _detail(request, access, protocol, withdraw_form=form)


@site_view(Permission.MANAGE)
def protocol_compare(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    """Compare any two versions of the site's protocol, drafts included (managers)."""
    versions = list(Protocol.objects.filter(site=access.site).order_by("-version"))
    return diff_page(request, access, versions, manager=True, kind=PROTOCOLS)
