"""Site reports in three editions (SPEC §8), as PDF bytes.

`manager`: everything for the site, with the score's evidence, the protocol, the roster,
the check-in record, interaction summaries and charts. `liaison`: the site's profile and
hours, the protocol in force, the check-ins and the liaison factor; no interaction data
of any kind. `research`: scores, trend and counts with small-cell suppression; no
narrative and no single interaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Site
from agreements.periods import Quarter
from agreements.research_days import research_day
from consultations.selectors import for_report as consultation_record
from reports import chief
from reports import data as report_data
from reports.pdf import render_pdf, report_markup
from reports.transparency import transparency_rows
from score_replies.edition import CriterionLine, LiaisonFactor
from score_replies.selectors import reply_beside_score
from scoring.cache import score_site
from scoring.charts import MonthBar, monthly_bars, score_trend, trend_points
from scoring.intervals import ScoreView
from scoring.readings import site_views

TITLES = {
    "manager": gettext_lazy("Manager edition"),
    "liaison": gettext_lazy("Liaison edition"),
    "research": gettext_lazy("Research edition"),
}
NOTES = {
    "manager": gettext_lazy(
        "For the site and its partners: holds no narrative and no client detail."
    ),
    "liaison": gettext_lazy("For police liaison officers: holds no interaction data."),
    "research": gettext_lazy(
        "For research: counts from 1 to %(t)s are shown as <%(T)s (small-cell suppression)."
    ),
}


def _trend_chart(meta: report_data.Meta, cards: list[ScoreView]) -> Any:
    title = _("%(site)s: total score by month") % {"site": meta.site.name}
    return score_trend(trend_points(cards), title=title, chart_id="trend")


def _manager(meta: report_data.Meta) -> dict[str, Any]:
    site, as_of = meta.site, meta.as_of
    summary = report_data.interaction_summary(site, as_of)
    visits = report_data.attendance_by_month(site, summary.months, as_of)
    bars = [MonthBar(m, n) for m, n in zip(summary.months, summary.breaches_by_month, strict=True)]
    with_visits = [
        MonthBar(m, n, line=v)
        for m, n, v in zip(summary.months, summary.breaches_by_month, visits, strict=True)
    ]
    last = Quarter.of(as_of)
    roster = report_data.roster(site, as_of)
    checkins = report_data.checkin_record(site, as_of)
    # Page 1: the summary for the meeting with the chief (reports.chief).
    chief_summary = chief.summary(
        trend=meta.trend,
        breach_rows=summary.recent_breaches,
        versions=chief.versions_of(site),
        past_checkins=checkins.past,
        assignments=roster.all,
        schedule_active=bool(checkins.schedules),
    )
    return {
        "summary": summary,
        "chief": chief_summary,
        "requests": transparency_rows(site, first=last.shift(-3), last=last),
        "roster": roster,
        "checkins": checkins,
        **report_data.protocol_section(site, as_of),
        "score_reply": reply_beside_score(site, as_of),
        # Issue 19: the community's comments on the protocol and the site's answers. The
        # manager edition only: police never read a consultation, researchers neither.
        "consultations": consultation_record(site, as_of),
        "breaches_chart": monthly_bars(bars, title=_("Breaches per month"), chart_id="breaches"),
        "attendance_chart": monthly_bars(
            with_visits, title=_("Attendance beside breaches"), chart_id="attendance",
            line_label=_("mean daily visits"),
        ) if any(v is not None for v in visits) else "",
    }  # fmt: skip


def _liaison(meta: report_data.Meta) -> dict[str, Any]:
    site, as_of = meta.site, meta.as_of
    return {
        "hours": site.hours.all(),
        "checkins": report_data.checkin_record(site, as_of),
        "liaison_factor": meta.card.factor("dedicated_liaison"),
        **report_data.protocol_section(site, as_of),
        # The police service's reply, as in the manager edition. The research edition
        # never prints one (it reads aggregates, not one service's words).
        "score_reply": reply_beside_score(site, as_of),
    }


def liaison_factor(site: Site, day: date) -> LiaisonFactor:
    """The liaison edition's factor as of `day`, for the reply page of `score_replies`
    (registered in reports.apps): the same figures the edition prints."""
    factor = score_site(site, day).factor("dedicated_liaison")
    return LiaisonFactor(
        score=factor.score,
        criteria=tuple(CriterionLine(c.key, c.points, c.max, c.evidence) for c in factor.criteria),
    )


def _research(meta: report_data.Meta) -> dict[str, Any]:
    from reports.research import research_context

    return research_context(meta, settings.HR_POLICE_SUPPRESSION_THRESHOLD)


BUILDERS = {"manager": _manager, "liaison": _liaison, "research": _research}


def build_report(site: Site, edition: str, as_of: date | None = None, by: str = "") -> bytes:
    return _report(site, edition, as_of, by, render_pdf)


def report_html(site: Site, edition: str, as_of: date | None = None, by: str = "") -> str:
    """The HTML a report's PDF is rendered from (for tests and previews)."""
    return _report(site, edition, as_of, by, report_markup)


def _report(
    site: Site, edition: str, as_of: date | None, by: str, render: Callable[[str, Any], Any]
) -> Any:
    if edition not in BUILDERS:
        raise ValueError(f"Unknown edition {edition!r}; choose manager, liaison or research.")
    day = as_of or site.today()
    if edition == "research":
        # As everywhere researchers read scores: the end of a complete month.
        day = research_day(site, day, timezone.now())
    meta = report_data.meta(site, edition, day, by or _("the command line"))
    threshold = settings.HR_POLICE_SUPPRESSION_THRESHOLD
    # The research edition prints no figure that pins a suppressed count: intervals
    # (scoring.intervals), as on the scorecard and in the score API.
    cards = site_views(site, meta.trend, exact=edition != "research", threshold=threshold)
    # Times print on the site's clock, from the web or the command line alike.
    with timezone.override(site.tz):
        context = {
            "meta": meta,
            "score": cards[-1],
            "edition_title": TITLES[edition],
            "edition_note": NOTES[edition] % {"t": threshold - 1, "T": threshold},
            "trend_chart": _trend_chart(meta, cards),
            **BUILDERS[edition](meta),
        }
        return render(f"reports/{edition}.html", context)
