"""The time zones a site can choose: the current IANA zones, without the deprecated and
legacy aliases (`US/Eastern`, `Etc/GMT+5`, `EST5EDT`, `Asia/Calcutta` …) that
`zoneinfo.available_timezones()` also lists."""

from __future__ import annotations

import functools
import zoneinfo
from importlib import resources
from typing import Any

from django.utils.translation import pgettext_lazy

# zone.tab names, for each country, the zones in use there today under their current
# names (Europe/Kyiv, not Europe/Kiev); it comes with the tzdata package that the lock
# file pins, so the list is the same on every machine.
ZONE_TAB = ("tzdata.zoneinfo", "zone.tab")


REGIONS = {
    "Africa": pgettext_lazy("time zone region", "Africa"),
    "America": pgettext_lazy("time zone region", "America"),
    "Antarctica": pgettext_lazy("time zone region", "Antarctica"),
    "Arctic": pgettext_lazy("time zone region", "Arctic"),
    "Asia": pgettext_lazy("time zone region", "Asia"),
    "Atlantic": pgettext_lazy("time zone region", "Atlantic"),
    "Australia": pgettext_lazy("time zone region", "Australia"),
    "Europe": pgettext_lazy("time zone region", "Europe"),
    "Indian": pgettext_lazy("time zone region", "Indian Ocean"),
    "Pacific": pgettext_lazy("time zone region", "Pacific"),
}


def parse_zone_tab(text: str) -> set[str]:
    """The zone names of a zone.tab file (third column; comments skipped)."""
    names = set()
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        columns = line.split("\t")
        if len(columns) >= 3:
            names.add(columns[2].strip())
    return names


@functools.cache
def current_zones() -> tuple[str, ...]:
    """Every current IANA zone name that this Python can load, sorted, and UTC."""
    package, name = ZONE_TAB
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    known = zoneinfo.available_timezones()
    return (*tuple(sorted(parse_zone_tab(text) & known)), "UTC")


def grouped_choices(keep: str | None = None) -> list[tuple[Any, list[tuple[str, str]]]]:
    """Choices grouped by region (Africa, America …), each zone by its IANA name.
    `keep`: a zone already chosen (perhaps an alias from before this list) stays offered."""
    zones = list(current_zones())
    if keep and keep not in zones and keep in zoneinfo.available_timezones():
        zones.append(keep)
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(zones):
        region = name.partition("/")[0] if "/" in name else "UTC"
        # Labelled by the IANA name itself: what people search for, the same in every
        # language (a place name in English would read as an untranslated word in French).
        groups.setdefault(region, []).append((name, name))
    return [(REGIONS.get(region, region), zones) for region, zones in groups.items()]
