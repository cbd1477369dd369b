"""Every write to a peer report, and the follow-up look-up.

Each write runs in one transaction, locks the report's row, validates with `full_clean()`
(the PII guard included) and writes its audit entry (field names, never text, never the
code). Pages, the API, the admin and the sharing hook call these and nothing else.

Access is the caller's: pages and the API resolve the site with
`agreements.access.site_access` (Permission.ACT_AS_COMMUNITY to file, MANAGE to review),
which is where "community only, and only while the site opts in" lives.
"""

from __future__ import annotations

import contextlib
import ipaddress
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import audit
from agreements.audit import Action
from agreements.choices import Impact, Source
from agreements.hour_stamp import this_hour
from agreements.models import Interaction
from agreements.services import interaction_log
from agreements.types import Actor
from peer_reports import codes, rules
from peer_reports.models import CODE_DAYS, Decision, FollowUpStatus, PeerReport
from peer_reports.notify import notify_managers

ALREADY_REVIEWED = _("This report was already reviewed.")
UNKNOWN_DECISION = _("Choose to enter the report into the log or to decline it.")

# The audit entries of a look-up (never the code).
LOOKUP_FOUND = "follow-up code looked up: found"
LOOKUP_NOT_FOUND = "follow-up code looked up: not found"
LOOKUP_REFUSED = "follow-up code look-up refused: too many tries from this address"


def peer_report_file(
    *, report: PeerReport, actor: Actor, pii_confirmed: bool = False
) -> tuple[PeerReport, str]:
    """File a report (a community body of its site); returns it and its follow-up code,
    which is shown once and never kept. The site's managers are e-mailed a link."""
    with transaction.atomic():
        report.status = FollowUpStatus.RECEIVED
        report.decision, report.decline_reason, report.interaction = "", "", None
        if actor is not None and actor.is_authenticated and isinstance(actor, User):
            report.filed_by = actor
        filed = this_hour(report.site)
        report.filed_at = filed
        # 180 days of 24 hours, whatever daylight saving does in between.
        report.code_expires_at = filed.astimezone(UTC) + timedelta(days=CODE_DAYS)
        report.pii_confirmed = pii_confirmed
        report.full_clean(exclude=["code_hash"])
        code = _save_with_new_code(report)
        audit.record(Action.CREATE, actor=actor, obj=report,
                     fields=_filled_fields(report), detail="peer report filed")  # fmt: skip
        notify_managers(report=report, actor=actor)
    return report, code


def _save_with_new_code(report: PeerReport) -> str:
    # A collision of 56-bit codes is all but impossible; the unique index catches one.
    for _attempt in range(5):
        code = codes.new_code()
        report.code_hash = codes.code_hash(code)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            report.pk = None
            report._state.adding = True
            continue
        return code
    raise RuntimeError("Could not draw an unused follow-up code.")


def _filled_fields(report: PeerReport) -> list[str]:
    names = ["occurred_at", "category", "distance_band", "officers_present", "plain_clothes",
             "vehicle_present", "impact", "consent"]  # fmt: skip
    return names + (["narrative"] if report.narrative else [])


def peer_report_review(
    *,
    report: PeerReport,
    decision: str,
    actor: Actor,
    interaction: Interaction | None = None,
    reason: str = "",
    pii_confirmed: bool = False,
) -> PeerReport:
    """A manager's review. `entered`: `interaction` (the report's fields, as the manager
    corrected them) is logged through `interaction_log`, with source `peer_reported` and
    the reporter's consent, whatever the caller set; the narrative meets the PII guard
    there and lives on in the interaction only. `declined`: `reason` is kept for the
    site. Either way the follow-up status becomes `reviewed`."""
    if decision not in (Decision.ENTERED, Decision.DECLINED):
        raise ValidationError({"decision": UNKNOWN_DECISION})
    site = report.site
    with transaction.atomic():
        report = _locked(report)
        if report.status != FollowUpStatus.RECEIVED:
            raise ValidationError(ALREADY_REVIEWED)
        changed = ["decision", "status", "reviewed_at"]
        if decision == Decision.ENTERED:
            if interaction is None:
                interaction = interaction_from(report)
            interaction.site = site
            interaction.source = Source.PEER_REPORTED
            interaction.consent = report.consent
            interaction.pii_confirmed = pii_confirmed
            interaction_log(interaction=interaction, actor=actor)
            report.interaction = interaction
            # One copy of the account: the interaction's, under its retention period.
            if report.narrative:
                report.narrative = ""
                changed.append("narrative")
            changed.append("interaction")
        else:
            report.decline_reason = reason
            report.pii_confirmed = pii_confirmed
            changed.append("decline_reason")
        report.decision = decision
        report.reviewed_by = _user(actor)
        report.reviewed_at = this_hour(site)
        old, report.status = report.status, FollowUpStatus.REVIEWED
        report.full_clean(exclude=["code_hash"])
        report.save()
        audit.record(Action.UPDATE, actor=actor, obj=report, fields=changed,
                     detail=f"peer report {decision}; follow-up status {old} → "
                            f"{report.status}")  # fmt: skip
    return report


def interaction_from(report: PeerReport) -> Interaction:
    """The interaction a report becomes, before any correction by the manager."""
    return Interaction(
        site=report.site,
        occurred_at=report.occurred_at,
        category=report.category,
        distance_band=report.distance_band,
        officers_present=officers_for_log(report),
        plain_clothes=report.plain_clothes,
        vehicle_present=report.vehicle_present,
        impact=impact_for_log(report),
        narrative=report.narrative,
        source=Source.PEER_REPORTED,
        consent=report.consent,
    )


def officers_for_log(report: PeerReport) -> int:
    """A reporter not sure how many officers were there: the log holds a number, and one —
    the interaction's own default — is the least any police conduct involves."""
    if report.officers_present is None:
        return int(Interaction._meta.get_field("officers_present").get_default())
    return report.officers_present


def impact_for_log(report: PeerReport) -> str:
    """A reporter not sure of the impact on the site: the log has no "unknown" impact, so
    `none`, which the manager — who knows the site's own service — corrects at review."""
    return report.impact or Impact.NONE


def peer_report_set_status(*, report: PeerReport, status: str, actor: Actor) -> PeerReport:
    """Move the follow-up status forward (the site's managers, or the sharing hook)."""
    with transaction.atomic():
        report = _locked(report)
        error = rules.status_errors(report.status, status,
                                    mediation_consent=report.mediation_consent)  # fmt: skip
        if error:
            raise ValidationError({"status": error})
        old, report.status = report.status, status
        report.save(update_fields=["status"])
        audit.record(Action.UPDATE, actor=actor, obj=report, fields=["status"],
                     detail=f"follow-up status {old} → {status}")  # fmt: skip
    return report


def raise_after_share(interaction: Interaction, actor: Actor) -> None:
    """Registered with agreements.sharing: sharing the interaction a peer report became
    raises the report with police, for whoever holds its code."""
    report = PeerReport.objects.filter(interaction=interaction).first()
    if report is None:
        return
    # The reporter's consent is the report's, whatever the interaction now says (the site
    # never met the reporter, so it cannot have asked for more), and whatever the status.
    if not report.mediation_consent:
        raise ValidationError({"consent": rules.NO_MEDIATION_CONSENT})
    if not rules.moves_forward(report.status, rules.RAISED_WITH_POLICE):
        return
    report.site = interaction.site
    peer_report_set_status(report=report, status=rules.RAISED_WITH_POLICE, actor=actor)


def _locked(report: PeerReport) -> PeerReport:
    locked = PeerReport.objects.select_for_update().get(pk=report.pk)
    locked.site = report.site
    return locked


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


# --- the follow-up look-up -----------------------------------------------------------------


class FollowUpRefused(Exception):
    """Too many look-ups from one address this hour."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many follow-up look-ups from this address.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    retry_after: int  # seconds until the next hour's window
    key: str = ""  # the counter this look-up was added to


def lookup_allowance(address: str | None) -> Allowance:
    """Count one look-up from `address` in this clock hour's window, in Django's cache:
    the configured shared cache (HR_POLICE_CACHE_URL, Redis) makes the limit hold across
    app servers, as the API's own rate limit does. Counted before the look-up, so that
    look-ups made at once cannot pass the limit together; a look-up that finds a report
    is given back (`refund_lookup`): the limit is about guesses."""
    now = timezone.now()
    window = int(now.timestamp() // 3600)
    key = f"follow-up-rate:{_counted_as(address)}:{window}"
    if cache.add(key, 1, timeout=3700):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=3700)
            count = 1
    limit = settings.HR_POLICE_FOLLOW_UP_PER_HOUR
    return Allowance(allowed=count <= limit, retry_after=3600 - int(now.timestamp()) % 3600,
                     key=key)  # fmt: skip


def refund_lookup(allowance: Allowance) -> None:
    """A look-up that found a report was no guess: it does not count toward the limit, so
    a union desk or the site's Wi-Fi can check many real codes in an hour."""
    # The window's counter may have expired meanwhile: then there is nothing to give back.
    with contextlib.suppress(ValueError):
        cache.decr(allowance.key)


def _counted_as(address: str | None) -> str:
    """Whose count a look-up adds to: an IPv4 address, or an IPv6 address's /64, which
    one subscriber holds whole (2^64 addresses to rotate through, one guess each)."""
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def follow_up_status(*, code: str, address: str | None) -> str | None:
    """The status a follow-up code shows, or None for a code that opens nothing: unknown
    and expired codes answer alike. Raises FollowUpRefused once `address` has made the
    hour's limit of look-ups that found nothing (guesses); look-ups that find a report
    do not count. Every look-up is audited, kept to the hour: a not-found or refused one
    with the address; a found one names the report (and so its site), with no address
    and never the code."""
    allowance = lookup_allowance(address)
    if not allowance.allowed:
        audit.record(Action.VIEW, detail=LOOKUP_REFUSED, ip=address, hourly=True)
        raise FollowUpRefused(allowance.retry_after)
    normalised = codes.normalise(code)
    report = None
    if normalised:
        report = (
            PeerReport.objects.filter(
                code_hash=codes.code_hash(normalised), code_expires_at__gt=timezone.now()
            )
            .select_related("site")
            .first()
        )
    if report is None:
        audit.record(Action.VIEW, detail=LOOKUP_NOT_FOUND, ip=address, hourly=True)
        return None
    refund_lookup(allowance)
    # Who holds the code is, almost always, the reporter: the entry names the report (its
    # site's managers see it) and so keeps no address, lest it say where they connect from.
    with audit.without_address():
        audit.record(Action.VIEW, obj=report, detail=LOOKUP_FOUND)
    return report.status
