"""The hour rule for times tied to an interaction (SPEC §2, issue 16 item 5).

An interaction's `occurred_at` is kept to the hour in the site's time zone so that no
visit can be matched. A finer time anywhere near it (when it was logged, shared, or
written to the audit log) would undo that for anyone who reads the database or a backup:
logging a stop at 14:07 says it happened between 14:00 and 14:07. So every such time is
kept to the hour too, on the same grid as `occurred_at` (the site's local hour: in a
half-hour zone a UTC hour would cut the local hour in two and narrow it).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, tzinfo
from typing import Any

from django.db import models
from django.utils import timezone


def to_the_hour(moment: datetime, tz: tzinfo) -> datetime:
    """Drop minutes in the site's local time, so half-hour timezones stay on the hour."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(tz).replace(minute=0, second=0, microsecond=0)


def site_zone(site: Any) -> tzinfo:
    """The site's zone, or UTC when there is no site (or it names no zone)."""
    name = getattr(site, "timezone", "") if site is not None else ""
    try:
        return zoneinfo.ZoneInfo(name) if name else zoneinfo.ZoneInfo("UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def this_hour(site: Any) -> datetime:
    """Now, kept to the hour at the site."""
    return to_the_hour(timezone.now(), site_zone(site))


class HourStamp(models.DateTimeField):
    """When a row tied to an interaction was written, kept to the hour at its site.

    Set on insert like `auto_now_add`, and kept to the hour in `pre_save`, which Django
    also calls for `bulk_create`: no write path can store the minute. `site` is the
    attribute path from the row to its site ("site", or "interaction.site").
    """

    def __init__(self, *args: Any, site: str = "site", **kwargs: Any) -> None:
        self.site_path = site
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        if self.site_path != "site":
            kwargs["site"] = self.site_path
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> datetime:
        value = getattr(model_instance, self.attname) or timezone.now()
        site: Any = model_instance
        for part in self.site_path.split("."):
            site = getattr(site, part, None)
        value = to_the_hour(value, site_zone(site))
        setattr(model_instance, self.attname, value)
        return value
