"""What a calendar feed holds: the selectors that read check-ins for a site or an
officer, and the HTTP response that carries the feed.

Feeds hold check-ins only. The queries below name the columns they read, and `notes`
is never among them: a calendar lands on phones and in shared mailboxes, far outside
the app's access rules. Each selector runs a fixed number of queries, whatever the
number of check-ins.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.choices import CheckInStatus
from agreements.models import Site
from liaisons.calendar import FeedEvent, build_calendar
from liaisons.models import CheckIn, CheckInSchedule, LiaisonAssignment, LiaisonOfficer

# The feed covers about six months back and twelve ahead: enough for a calendar app
# to show the recent record and plan the year, small enough to stay quick to poll.
WINDOW_BACK = timedelta(days=183)
WINDOW_AHEAD = timedelta(days=366)

# The only check-in columns a feed reads (with the site's name and timezone, and the
# schedule's location). `notes` is deliberately absent.
_CHECKIN_FIELDS = (
    "id",
    "site_id",
    "schedule_id",
    "scheduled_start",
    "duration_minutes",
    "format",
    "status",
    "schedule__location",
)


def _checkins_in_window(now: datetime) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(
            scheduled_start__gte=now - WINDOW_BACK, scheduled_start__lt=now + WINDOW_AHEAD
        )
        .select_related("schedule")
        .only(*_CHECKIN_FIELDS)
        .order_by("scheduled_start", "id")
    )


def checkin_event(checkin: CheckIn, site: Site) -> FeedEvent:
    """One check-in as a calendar event, in the site's local time.

    The end is worked out on the absolute timeline and then shown in local time, so a
    check-in that runs across a daylight-saving change still lasts its real duration.
    """
    tz = site.tz
    start = checkin.scheduled_start.astimezone(tz)
    end = (checkin.scheduled_start + timedelta(minutes=checkin.duration_minutes)).astimezone(tz)
    schedule = checkin.schedule
    return FeedEvent(
        uid=f"checkin-{checkin.pk}@hr-police",
        start=start,
        end=end,
        summary=_("Check-in: %(format)s at %(site)s")
        % {"format": checkin.get_format_display().lower(), "site": site.name},
        location=schedule.location if schedule is not None else "",
        cancelled=checkin.status == CheckInStatus.CANCELLED,
    )


def site_events(site: Site, *, now: datetime | None = None) -> list[FeedEvent]:
    """Every check-in of `site` in the window. One query."""
    checkins = _checkins_in_window(now or timezone.now()).filter(site=site)
    return [checkin_event(c, site) for c in checkins]


def officer_events(
    officer: LiaisonOfficer,
    *,
    site_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> list[FeedEvent]:
    """The check-ins an officer is part of, limited to `site_ids` when given: those of
    sites where the officer's assignment is active on the check-in's local date, and
    those of schedules that expect the officer. Three queries."""
    assignments = list(
        LiaisonAssignment.objects.filter(officer=officer).values_list("site_id", "start", "end")
    )
    expected = set(
        CheckInSchedule.objects.filter(expected_officers=officer).values_list("pk", flat=True)
    )
    # A subquery and an IN list rather than a join to the expected officers, which would
    # repeat a check-in once for every officer its schedule expects.
    candidates = (
        _checkins_in_window(now or timezone.now())
        .filter(Q(site_id__in={a[0] for a in assignments}) | Q(schedule_id__in=expected))
        .select_related("site")
        .only(*_CHECKIN_FIELDS, "site__name", "site__timezone")
    )
    if site_ids is not None:
        candidates = candidates.filter(site_id__in=list(site_ids))
    events = []
    for checkin in candidates:
        site = checkin.site
        local_day = checkin.scheduled_start.astimezone(site.tz).date()
        if checkin.schedule_id in expected or _assigned_on(assignments, site.pk, local_day):
            events.append(checkin_event(checkin, site))
    return events


def _assigned_on(assignments: list[tuple[int, date, date | None]], site_id: int, day: date) -> bool:
    return any(
        sid == site_id and start <= day and (end is None or end >= day)
        for sid, start, end in assignments
    )


def site_calendar(site: Site, *, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    return build_calendar(
        _("Check-ins · %(name)s") % {"name": site.name},
        site_events(site, now=now),
        generated_at=now,
        timezones=[site.timezone],
    )


def officer_calendar(
    officer: LiaisonOfficer, *, site_ids: Iterable[int] | None = None, now: datetime | None = None
) -> bytes:
    now = now or timezone.now()
    events = officer_events(officer, site_ids=site_ids, now=now)
    name = _("Check-ins · %(name)s") % {"name": officer.name}
    return build_calendar(name, events, generated_at=now)


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The address of a secret link must not travel on to other servers.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
