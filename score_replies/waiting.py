"""What a reply asks of whom, for the home page (`agreements.waiting`).

- Managers (`score_reply_new`): a reply written or re-worded in the last NEW_REPLY_DAYS
  days at a site they manage. No "seen" state to keep: the line goes away by itself, and
  the e-mail has told them already.
- Liaisons (`score_reply_window`): the newest complete month at a site they serve has no
  reply yet, and it ended at most REPLY_WINDOW_DAYS days ago (site time). Replying stays
  possible afterwards; only the reminder stops.

Two queries at most, whatever the number of sites or replies.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from agreements.choices import Role
from agreements.models import Site
from agreements.research_days import last_complete_month_end
from agreements.types import AnyUser
from agreements.waiting import Waiting
from score_replies.models import ScoreReply
from score_replies.months import NEW_REPLY_DAYS, Month, month_refusal, window_closes


def _url(slug: str, month: Month) -> str:
    return f"{reverse('score_replies:site_replies', kwargs={'slug': slug})}?month={month}"


def _month_words(month: Month) -> str:
    return formats.date_format(month.first_day(), "YEAR_MONTH_FORMAT")


def waiting(user: AnyUser, roles: Mapping[int, frozenset[str]]) -> list[Waiting]:
    managed = sorted(site_id for site_id, held in roles.items() if Role.MANAGER in held)
    served = sorted(site_id for site_id, held in roles.items() if Role.LIAISON in held)
    return _new_replies(managed) + _windows(served)


def _new_replies(site_ids: list[int]) -> list[Waiting]:
    if not site_ids:
        return []
    since = timezone.now() - timedelta(days=NEW_REPLY_DAYS)
    rows = (
        ScoreReply.objects.filter(site_id__in=site_ids, updated_at__gte=since)
        .order_by("site__name", "-month")
        .values_list("site_id", "site__slug", "site__name", "month")
    )
    return [
        Waiting(
            site_id=site_id,
            text=gettext("%(site)s: the police service replied to the %(month)s scorecard.")
            % {"site": name, "month": _month_words(Month.of(month))},
            url=_url(slug, Month.of(month)),
            kind="score_reply_new",
        )
        for site_id, slug, name, month in rows
    ]


def _windows(site_ids: list[int]) -> list[Waiting]:
    if not site_ids:
        return []
    now = timezone.now()
    sites = list(Site.objects.filter(pk__in=site_ids).order_by("name"))
    open_months: dict[int, Month] = {}
    for site in sites:
        last = last_complete_month_end(site, now)
        month = Month.of(last)
        if month_refusal(month, opened_on=site.opened_on, last_complete=last):
            continue
        if site.today() <= window_closes(month):
            open_months[site.pk] = month
    if not open_months:
        return []
    answered = set(
        ScoreReply.objects.filter(
            site_id__in=open_months, month__in={m.first_day() for m in open_months.values()}
        ).values_list("site_id", "month")
    )
    return [
        Waiting(
            site_id=site.pk,
            text=gettext(
                "%(site)s: the %(month)s scorecard is complete; your service may reply to it."
            )
            % {"site": site.name, "month": _month_words(month)},
            url=_url(site.slug, month),
            kind="score_reply_window",
        )
        for site in sites
        if site.pk in open_months
        for month in [open_months[site.pk]]
        if (site.pk, month.first_day()) not in answered
    ]
