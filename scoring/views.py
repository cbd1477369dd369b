"""Scorecards, the network dashboard and the rubric weights."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from agreements.access import (
    GRANTS,
    Permission,
    SiteAccess,
    is_network_admin,
    roles_by_site,
    visible_sites,
)
from agreements.audit import Action, AuditEntry
from agreements.conflicts import Conflict, StalePage, expect, explain, posted_version, watch
from agreements.forms import AsOfForm, DashboardForm, WeightsForm
from agreements.models import RubricWeights, Site
from agreements.research_days import research_day
from agreements.services import weights_set
from agreements.versioning import EditConflict
from agreements.views.base import apply_errors, site_context, site_view
from score_replies.selectors import may_read, reply_beside_score
from scoring import dashboard, reweigh
from scoring.cache import score_sites, trend
from scoring.charts import score_trend, trend_points
from scoring.perception_views import section_context
from scoring.readings import Reading, score_views, site_views
from scoring.rubric import BREACH_WINDOW, DEFAULT_WEIGHTS, FACTOR_KEYS, Ref, Scorecard
from scoring.scorecards import current_weights

FACTOR_TITLES = {
    "early_engagement": _("Early engagement and dialogue"),
    "senior_support": _("Support from police chiefs and senior administrators"),
    "dedicated_liaison": _("Dedicated police liaisons"),
    "entry_presence_agreement": _("Agreement on police entry and presence"),
    "regular_contact": _("Regular face-to-face, non-adversarial contact"),
}


def _ref_url(site: Site, ref: Ref, as_of: date) -> str:
    if ref.kind == "breaches":
        since = as_of - timedelta(days=BREACH_WINDOW - 1)
        listing = reverse("agreements:interactions_list", kwargs={"slug": site.slug})
        return f"{listing}?breach=true&date_from={since}&date_to={as_of}"
    name = "protocols_detail" if ref.kind == "protocols" else f"{ref.kind}_edit"
    try:
        return reverse(f"agreements:{name}", kwargs={"slug": site.slug, "pk": ref.id})
    except NoReverseMatch:
        return ""


@site_view(Permission.VIEW_SCORES)
def site_score(request: HttpRequest, access: SiteAccess) -> HttpResponse:
    site = access.site
    today = site.today()
    form = AsOfForm(request.GET or None, today=today)
    as_of = form.cleaned_data["as_of"] if form.is_bound and form.is_valid() else today
    if as_of != (snapped := access.score_day(as_of)):
        messages.info(
            request,
            gettext("Scores are shown at the end of complete months: %(day)s.") % {"day": snapped},
        )
        as_of = snapped
    # Managers and admins read exact scores and the records behind the evidence;
    # researchers read no figure that pins a suppressed count (intervals, SPEC §7) and no
    # record by name.
    manager = access.can(Permission.MANAGE)
    threshold = settings.HR_POLICE_SUPPRESSION_THRESHOLD
    raw = trend(site, as_of)
    cards = site_views(site, raw, exact=manager, threshold=threshold)
    card = cards[-1]
    notice = weights_notice(site, raw[-1]) if manager else None
    factors = [
        {
            "factor": factor,
            "title": FACTOR_TITLES[factor.key],
            "criteria": [
                (
                    c,
                    CRITERION_LABELS.get(c.key, c.key),
                    c.evidence,
                    [(ref, _ref_url(site, ref, as_of)) for ref in c.refs],
                )
                for c in factor.criteria
            ],
        }
        for factor in card.factors
    ]
    chart = score_trend(
        trend_points(cards), title=gettext("%(site)s: total score by month") % {"site": site.name}
    )
    return render(
        request,
        "agreements/site_score.html",
        site_context(
            access,
            form=form,
            card=card,
            factors=factors,
            chart=chart,
            trend=cards,
            score_page=True,
            weights_notice=notice,
            threshold=threshold,
            editions=access.editions,
            weights=[(FACTOR_TITLES[k], card.weights[k]) for k in FACTOR_KEYS],
            # The police service's reply to the month this score closes; never shown to
            # researchers, who read aggregates, not one service's words about one site.
            score_reply=reply_beside_score(site, as_of) if may_read(access) else None,
            # The perception gap beside these scores (issue 18): exact for managers and
            # admins, the research form (suppressed gaps, no score) for researchers.
            **section_context(request, access, {f.key: f.score for f in card.factors}),
        ),
    )


@login_required
def network_dashboard(request: HttpRequest) -> HttpResponse:
    sites = list(visible_sites(request.user, Permission.VIEW_SCORES))
    if not sites and not visible_sites(request.user).exists():
        return render(request, "agreements/dashboard.html", {"rows": [], "empty": True})
    if not sites:
        raise PermissionDenied(gettext("Your role does not include scores."))
    regions = sorted({s.region for s in sites})
    form = DashboardForm(request.GET or None, regions=regions, sort_keys=dashboard.SORT_KEYS)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    as_of = chosen.get("as_of")
    roles = roles_by_site(request.user)
    manage = GRANTS[Permission.MANAGE]
    managed = {s.id for s in sites if roles[s.id] & manage}
    # As on scorecards, per site: whoever reads a site they do not manage reads the end of
    # the newest month complete in that site's time zone (a site behind UTC is still in
    # its last evening when one ahead has moved on), and figures that would pin a
    # suppressed count as intervals.
    now = timezone.now()
    days = {
        s.id: as_of or s.today() if s.id in managed
        else research_day(s, as_of or s.today(), now)
        for s in sites
    }  # fmt: skip
    cards = score_sites(sites, days=days)
    threshold = settings.HR_POLICE_SUPPRESSION_THRESHOLD
    views = score_views([Reading(s, cards[s.id], s.id in managed) for s in sites], threshold)
    entries = [
        (dashboard.SiteFacts(s.slug, s.name, s.region, s.status), view)
        for s, view in zip(sites, views, strict=True)
    ]
    rows = dashboard.build_rows(entries)
    rows = [
        r for r in rows
        if (not chosen.get("region") or r.site.region == chosen["region"])
        and (not chosen.get("status") or r.site.status == chosen["status"])
        and (not chosen.get("band") or r.card.band.includes(chosen["band"]))
    ]  # fmt: skip
    distribution = dashboard.band_distribution(rows)
    shown = sorted(set(days.values()))
    sort = chosen.get("sort") or "-total"
    rows = dashboard.sort_rows(rows, sort)
    query = request.GET.copy()
    query.pop("sort", None)
    # (sort key, heading, shown on phones); an empty key is not sortable.
    columns = [
        ("name", gettext("Site"), True), ("total", gettext("Total"), True),
        ("", gettext("Band"), True),
        *((k, _short(k), True) for k in FACTOR_KEYS),
        ("region", gettext("Region"), False), ("status", gettext("Status"), False),
        ("", gettext("Region peers"), False), ("", gettext("Status peers"), False),
    ]  # fmt: skip
    weights = current_weights()
    return render(
        request,
        "agreements/dashboard.html",
        {
            "form": form,
            "rows": rows,
            "distribution": distribution,
            "total_sites": len(entries),
            "sort": sort,
            "columns": columns,
            "query": query.urlencode(),
            "weights": [(FACTOR_TITLES[k], weights[k]) for k in FACTOR_KEYS],
            "rubric": cards[sites[0].id].rubric,
            # The days scored, when not everyone's today: one, or a range across time zones.
            "as_of_days": shown if as_of or len(managed) < len(sites) else [],
            "has_ranges": any(not r.card.is_exact for r in rows),
            "threshold": threshold,
            "factor_titles": FACTOR_TITLES,
            "is_admin": is_network_admin(request.user),
        },
    )  # fmt: skip


CRITERION_LABELS = {
    "lead_time": _("Lead time"),
    "dialogues": _("Dialogues before opening"),
    "exemption_briefing": _("Exemption briefing"),
    "chief_support": _("Chief's support"),
    "senior_admin_support": _("Senior administrator's support"),
    "directive": _("Supporting directive"),
    "opposition": _("Senior opposition"),
    "primary": _("Primary liaison"),
    "backup": _("Backup liaison"),
    "contact_verified": _("Contact verified"),
    "protocol_acknowledged": _("Protocol acknowledged"),
    "status": _("Agreement status"),
    "coverage": _("Topics covered"),
    "compliance": _("Compliance"),
    "schedule": _("Check-in schedule"),
    "adherence": _("Adherence"),
    "non_operational_contact": _("Non-operational contact"),
}


def _short(key: str) -> str:
    return {
        "early_engagement": "F1",
        "senior_support": "F2",
        "dedicated_liaison": "F3",
        "entry_presence_agreement": "F4",
        "regular_contact": "F5",
    }[key]


def _weights_version(*, lock: bool = False) -> int:
    """New weights are a new row: the weights in effect are at the version of the newest
    row's id. `lock`: lock that row, so that a second administrator's save waits for the
    first, then sees the row it added."""
    rows = RubricWeights.objects.order_by("-changed_at", "-id")
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("pk", flat=True).first() or 0


def _weights_refused(form: WeightsForm, loaded: int | None) -> Conflict:
    """What changed since the page loaded the weights in effect at row `loaded`: each
    change is a new row and one audit entry naming the factors it changed."""
    recent = AuditEntry.objects.filter(object_type="rubricweights", action=Action.WEIGHTS)
    entries = [
        e for e in recent.order_by("-at", "-id")[:50]
        if loaded is not None and e.object_id.isdigit() and int(e.object_id) > loaded
    ]  # fmt: skip
    fresh = WeightsForm(initial=current_weights())
    return explain(
        noun=gettext("set of weights"),
        now=None,
        loaded=loaded,
        version=_weights_version(),
        pairs=[(form, fresh, "")],
        entries=entries,
    )


def _weights_preview(request: HttpRequest, weights: dict[str, int]) -> list[reweigh.Reweighed]:
    sites = list(visible_sites(request.user, Permission.VIEW_SCORES))
    cards = score_sites(sites)
    return reweigh.preview([(s.slug, s.name, cards[s.id]) for s in sites], weights)


def weights_notice(site: Site, card: Scorecard) -> reweigh.WeightsNotice | None:
    """For a site's managers, for a while after the rubric weights changed: the site's
    score with the previous and with the new weights. Derived from the two newest rows of
    weights (one query), so nothing is stored per site."""
    rows = list(RubricWeights.objects.order_by("-changed_at", "-id")[:2])
    if not rows:
        return None
    newest = rows[0]
    previous = rows[1].as_dict() if len(rows) > 1 else dict(DEFAULT_WEIGHTS)
    return reweigh.weights_notice(
        card,
        (newest.changed_at, newest.as_dict()),
        previous,
        today=site.today(),
        local_day=site.local(newest.changed_at).date(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_weights(request: HttpRequest) -> HttpResponse:
    if not is_network_admin(request.user):
        raise PermissionDenied(gettext("Only an administrator changes the rubric weights."))
    current = current_weights()
    version = _weights_version()
    form = WeightsForm(request.POST or None, initial=current)
    watch(form)  # the page is saved only if the weights in effect are those it showed
    conflict: Conflict | None = None
    loaded = None
    preview: list[reweigh.Reweighed] | None = None
    if request.method == "POST" and "preview" in request.POST:
        # A preview writes nothing: each site's total and band now and with the weights
        # typed, from the same (cached) scorecards, weighed again.
        if form.is_valid():
            preview = _weights_preview(request, {k: form.cleaned_data[k] for k in FACTOR_KEYS})
    elif request.method == "POST":
        try:
            loaded = posted_version(request, version)
            expect(loaded, version)
            if form.is_valid():
                chosen = {k: form.cleaned_data[k] for k in FACTOR_KEYS}
                if chosen == current:
                    messages.info(
                        request,
                        gettext("These are the weights in effect already: nothing changed."),
                    )
                    return redirect("agreements:weights")
                with transaction.atomic():
                    if _weights_version(lock=True) != loaded:
                        raise EditConflict
                    weights_set(weights=chosen, actor=request.user)
                messages.success(
                    request, gettext("The weights were changed; every score now uses them.")
                )
                return redirect("agreements:weights")
        except (StalePage, EditConflict):
            conflict = _weights_refused(form, loaded)
        except ValidationError as error:
            apply_errors(form, error)
    history = RubricWeights.objects.select_related("changed_by")[:20]
    return render(
        request,
        "agreements/weights.html",
        {"form": form, "history": history, "factor_keys": FACTOR_KEYS,
         "titles": FACTOR_TITLES, "current": current, "conflict": conflict,
         "version": conflict.version if conflict else version, "preview": preview},
        status=(conflict.status if conflict else None)
        or (422 if request.method == "POST" and preview is None else 200),
    )  # fmt: skip
