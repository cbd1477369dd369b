"""The audit log pages, sharing for mediation, and secret protocol links."""

from __future__ import annotations

from typing import Any

import django_filters
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from agreements import audit
from agreements.access import Permission, SiteAccess, is_network_admin
from agreements.audit import Action, AuditEntry
from agreements.conflicts import Conflict, StalePage, expect, explain, posted_version, watch
from agreements.filters import make_filterset
from agreements.models import Interaction, InteractionShare, ProtocolLink, Site
from agreements.selectors import protocol_in_force
from agreements.sharing import (
    interaction_share,
    interaction_unshare,
    protocol_link_create,
    protocol_link_for,
    protocol_link_revoke,
)
from agreements.versioning import EditConflict
from agreements.views.base import apply_errors, site_context, site_view
from mediation.rules import thread_side, waits_for
from mediation.selectors import last_author_roles
from workspace.forms_privacy import ProtocolLinkForm, ShareForm
from workspace.records import INTERACTIONS
from workspace.views.records import _get_object

AuditFilterSet = make_filterset(
    AuditEntry,
    choice_fields=("action",),
    date_field="at",
    ordering=(("at", "when"),),
    extra={"actor": django_filters.CharFilter(lookup_expr="icontains", label=_("User"))},
)


def _audit_page(request: HttpRequest, entries: QuerySet[AuditEntry], context: dict[str, Any]):  # type: ignore[no-untyped-def]
    filterset = AuditFilterSet(request.GET or None, queryset=entries)
    page = Paginator(filterset.qs, settings.HR_POLICE_PAGE_SIZE).get_page(request.GET.get("page"))
    if context.get("network"):
        page.object_list = _with_zones(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agreements/audit_list.html",
        {**context, "filterset": filterset, "page": page, "query": query.urlencode()},
    )


def _with_zones(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Each entry of the network's log told on its site's clock (`zone`), UTC for entries
    about no site or a site since deleted: one query for the page."""
    ids = {e.site_id for e in entries if e.site_id}
    zones = dict(Site.objects.filter(pk__in=ids).values_list("pk", "timezone")) if ids else {}
    for entry in entries:
        zone = zones.get(entry.site_id, "UTC") if entry.site_id else "UTC"
        entry.zone = zone  # type: ignore[attr-defined]
    return entries


@site_view(Permission.MANAGE)
def site_audit(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    entries = AuditEntry.objects.filter(site_id=access.site.pk)
    return _audit_page(request, entries, site_context(access, audit_page=True))


@login_required
def network_audit(request: HttpRequest) -> HttpResponse:
    if not is_network_admin(request.user):
        raise PermissionDenied(gettext("Only an administrator reads the whole audit log."))
    return _audit_page(request, AuditEntry.objects.all(), {"network": True})


# --- sharing for mediation ----------------------------------------------------------------


def _share_version(interaction: Interaction) -> int:
    """The version of the interaction's shared summary; 0 while it is not shared."""
    share = InteractionShare.objects.filter(interaction=interaction)
    return share.values_list("edit_version", flat=True).first() or 0


def _share_refused(interaction: Interaction, form: ShareForm, loaded: int | None) -> Conflict:
    """The summary shared, changed or unshared since the page loaded it (audited on the
    interaction, one entry per version)."""
    now = InteractionShare.objects.filter(interaction=interaction).first()
    version = now.edit_version if now else 0
    count = version - loaded if loaded is not None and version > loaded else 0
    entries = AuditEntry.objects.filter(
        object_type="interaction", object_id=str(interaction.pk), action=Action.SHARE
    ).order_by("-at", "-id")[:count]
    return explain(
        noun=str(Interaction._meta.verbose_name),
        now=None,
        loaded=loaded,
        version=version,
        pairs=[(form, ShareForm(instance=now), "")],
        entries=list(entries),
    )


def _consent_refusal(interaction: Interaction) -> ValidationError | None:
    """The model's refusal to share an interaction whose reporter did not agree to
    mediation (SPEC §2), or None: the same rule `interaction_share` applies on every path."""
    try:
        InteractionShare(interaction=interaction).clean()
    except ValidationError as error:
        return error
    return None


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def interaction_share_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    interaction: Interaction = _get_object(INTERACTIONS, access, pk)
    existing = InteractionShare.objects.filter(interaction=interaction).first()
    form = ShareForm(request.POST or None, instance=existing)
    watch(form)  # sharing is refused if someone shared, changed or unshared it meanwhile
    conflict: Conflict | None = None
    loaded = None
    if request.method == "POST":
        try:
            opened_at = existing.edit_version if existing else 0
            loaded = posted_version(request, opened_at)
            expect(loaded, opened_at)
            if not form.is_valid():
                # Refused however the post is worded: say why the model refuses it too.
                if (refusal := _consent_refusal(interaction)) is not None:
                    apply_errors(form, refusal)
            else:
                with transaction.atomic():
                    # Lock the interaction: its share may not exist yet to be locked.
                    list(Interaction.objects.select_for_update().filter(pk=pk).values("pk"))
                    if _share_version(interaction) != loaded:
                        raise EditConflict
                    interaction_share(
                        interaction=interaction,
                        summary=form.cleaned_data["summary"],
                        actor=request.user,
                        pii_confirmed=form.confirmed,
                    )
                shared = gettext(
                    "Shared with the site's liaison: they see the "
                    "category, the day, the distance band and your summary."
                )
                messages.success(request, shared)
                return redirect(INTERACTIONS.url("edit", access.site, interaction.pk))
        except (StalePage, EditConflict):
            conflict = _share_refused(interaction, form, loaded)
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "agreements/share_form.html",
        site_context(
            access,
            form=form,
            interaction=interaction,
            shared=existing,
            kind=INTERACTIONS,
            conflict=conflict,
            version=conflict.version if conflict else _share_version(interaction),
        ),
        status=(conflict.status if conflict else None)
        or (422 if request.method == "POST" else 200),
    )


@site_view(Permission.MANAGE)
@require_POST
def interaction_unshare_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    interaction: Interaction = _get_object(INTERACTIONS, access, pk)
    interaction_unshare(interaction=interaction, actor=request.user)
    messages.success(request, gettext("No longer shared: the liaison cannot see it any more."))
    return redirect(INTERACTIONS.url("edit", access.site, interaction.pk))


@site_view(Permission.VIEW_SHARED)
def shared_interactions(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    """What a liaison sees of the interaction log: only what was shared, redacted."""
    shares = (
        InteractionShare.objects.filter(interaction__site=access.site)
        .select_related("interaction", "interaction__mediation_thread")
        .annotate(last_reply_role=last_author_roles("interaction__mediation_thread"))
        .only(
            "summary", "shared_at", "interaction__category", "interaction__occurred_at",
            "interaction__distance_band", "interaction__site_id",
            "interaction__mediation_thread__id", "interaction__mediation_thread__status",
        )
    )  # fmt: skip
    page = Paginator(shares, settings.HR_POLICE_PAGE_SIZE).get_page(request.GET.get("page"))
    side = thread_side(access.roles)
    for share in page.object_list:
        thread = getattr(share.interaction, "mediation_thread", None)
        last = getattr(share, "last_reply_role", None)
        share.waits = thread is not None and waits_for(  # type: ignore[attr-defined]
            status=thread.status, last_author_role=last, side=side
        )
    return render(request, "agreements/shared_list.html", site_context(access, page=page))


# --- secret protocol links ----------------------------------------------------------------


@site_view(Permission.MANAGE)
@require_http_methods(["GET", "POST"])
def protocol_links(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    form = ProtocolLinkForm(request.POST or None)
    new_url = ""
    if request.method == "POST" and form.is_valid():
        try:
            _link, token = protocol_link_create(
                site=access.site,
                label=form.cleaned_data["label"],
                actor=request.user,
                pii_confirmed=form.confirmed,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            new_url = request.build_absolute_uri(f"/protocol/{token}/")
            form = ProtocolLinkForm()
    return render(
        request,
        "agreements/protocol_links.html",
        site_context(
            access,
            form=form,
            links=access.site.protocol_links.select_related("created_by"),
            new_url=new_url,
        ),
        status=422 if request.method == "POST" and form.errors else 200,
    )


@site_view(Permission.MANAGE)
@require_POST
def protocol_link_revoke_view(request: HttpRequest, access: SiteAccess, pk: int) -> HttpResponse:
    link = ProtocolLink.objects.filter(site=access.site, pk=pk).first()
    if link is None:
        raise Http404("No such link.")
    protocol_link_revoke(link=link, actor=request.user)
    messages.success(
        request, gettext("The link for %(label)s no longer opens anything.") % {"label": link.label}
    )
    return redirect("agreements:protocol_links", slug=access.site.slug)


def protocol_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The protocol in force, read-only, for whoever holds the secret link."""
    link = protocol_link_for(token)
    if link is None:
        raise Http404("This link does not open anything (it may have been revoked).")
    site = link.site
    protocol = protocol_in_force(site, site.today())
    audit.record(
        Action.VIEW, site=site, obj=link, detail=f"protocol read through link: {link.label}"
    )
    response = render(
        request,
        "agreements/protocol_public.html",
        {"site": site, "protocol": protocol,
         "clauses": protocol.clauses.all() if protocol else [], "hours": site.hours.all()},
    )  # fmt: skip
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
