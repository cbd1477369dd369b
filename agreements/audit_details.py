"""Audit details in the reader's language. An entry's detail is written once, in English
(the log is append-only and read by tools too); pages translate the known forms when
they show it, and show anything else as it was written."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_noop as _

EDITIONS = {
    "manager": pgettext_lazy("report edition", "manager"),
    "liaison": pgettext_lazy("report edition", "liaison"),
    "research": pgettext_lazy("report edition", "research"),
    "community": pgettext_lazy("report edition", "community"),
}

# (pattern of the English detail, its message with the pattern's groups as placeholders;
# marked for the catalog here, translated when shown)
DETAILS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), m)
    for p, m in [
        (r"two-factor authentication set up", _("two-factor authentication set up")),
        (r"wrong second factor", _("wrong second factor")),
        (r"an unknown username", _("an unknown username")),
        (r"confirmed attendance", _("confirmed attendance")),
        (r"network report PDF", _("network report PDF")),
        (r"network report requested", _("network report requested")),
        (r"site calendar feed through the API", _("site calendar feed through the API")),
        (r"interaction log through the API", _("interaction log through the API")),
        (r"bundle, replacing the site", _("bundle, replacing the site")),
        (r"bundle", _("bundle")),
        (r"weights (?P<weights>[\d/]+)", _("weights %(weights)s")),
        (r"account (?P<name>.+): (?P<device>.+) removed",
         _("account %(name)s: %(device)s removed")),
        (r"account (?P<name>.+)", _("account %(name)s")),
        (r"linked to (?P<name>.+)", _("linked to %(name)s")),
        (r"calendar feed created: (?P<label>.*)", _("calendar feed created: %(label)s")),
        (r"calendar feed revoked: (?P<label>.*)", _("calendar feed revoked: %(label)s")),
        (r"calendar feed read through link: (?P<label>.*)",
         _("calendar feed read through link: %(label)s")),
        (r"protocol read through link: (?P<label>.*)",
         _("protocol read through link: %(label)s")),
        (r"created: (?P<label>.*)", _("link created: %(label)s")),
        (r"revoked: (?P<label>.*)", _("link revoked: %(label)s")),
        (r"acknowledged protocol version (?P<version>\d+)",
         _("acknowledged protocol version %(version)s")),
        (r"signed document of version (?P<version>\d+)",
         _("signed document of version %(version)s")),
        (r"retention: blanked free text older than (?P<days>\d+) days",
         _("retention: blanked free text older than %(days)s days")),
        (r"(?P<edition>\w+) edition PDF \(API\)", _("%(edition)s edition PDF (API)")),
        (r"(?P<edition>\w+) edition PDF", _("%(edition)s edition PDF")),
        (r"bundle to (?P<target>.+)", _("bundle to %(target)s")),
        (r"API token (?P<prefix>\S+)… revoked", _("API token %(prefix)s… revoked")),
        (r"API token (?P<prefix>\S+)… (?P<scope>\S+), (?P<days>\d+) days for (?P<name>.+)",
         _("API token %(prefix)s… %(scope)s, %(days)s days for %(name)s")),
        (r"check-ins generated from schedule (?P<key>.+): (?P<created>\d+) created, "
         r"(?P<removed>\d+) removed",
         _("check-ins generated from schedule %(key)s: %(created)s created, %(removed)s removed")),
        (r"(?P<kind>\S+) reminder e-mailed for check-in (?P<checkin>\d+)",
         _("%(kind)s reminder e-mailed for check-in %(checkin)s")),
        (r"interaction log CSV with narratives, (?P<count>\d+) interactions",
         _("interaction log CSV with narratives, %(count)s interactions")),
        (r"transparency CSV, (?P<first>\S+) to (?P<last>\S+)",
         _("transparency CSV, %(first)s to %(last)s")),
        (r"research CSV of monthly interaction counts, (?P<months>.+), <(?P<threshold>\d+), "
         r"(?P<sites>\d+) sites?",
         _("research CSV of monthly interaction counts, %(months)s, <%(threshold)s, "
           "%(sites)s site(s)")),
        (r"research CSV of requests for information, (?P<year>\d+), <(?P<threshold>\d+), "
         r"(?P<sites>\d+) sites?",
         _("research CSV of requests for information, %(year)s, <%(threshold)s, "
           "%(sites)s site(s)")),
        (r"PII warnings confirmed: (?P<fields>.*)", _("PII warnings confirmed: %(fields)s")),
    ]
]  # fmt: skip


def _part(text: str) -> str:
    for pattern, message in DETAILS:
        found = pattern.fullmatch(text)
        if found:
            values: dict[str, Any] = found.groupdict()
            if "edition" in values:
                values["edition"] = EDITIONS.get(values["edition"], values["edition"])
            return gettext(message) % values if values else gettext(message)
    return text


def detail_display(detail: str) -> str:
    """`detail` in the active language where its form is known (each "; "-separated part
    on its own), else as written."""
    if not detail:
        return detail
    return "; ".join(_part(part) for part in detail.split("; "))
