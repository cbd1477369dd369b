"""Sites, who may see them, what they agreed with police, and what happened near them.

No model here has a field that could hold an identifier of a person who uses the site
(SPEC §2): interactions describe police conduct, and times and places are coarsened.
"""

from __future__ import annotations

import secrets
import uuid
import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements import breaches
from agreements.choices import (
    FACTOR_KEYS,
    Category,
    Consent,
    DistanceBand,
    EngagementKind,
    Impact,
    LegalBasis,
    ProtocolStatus,
    Role,
    SiteStatus,
    Source,
    SpeakerRank,
    Stance,
    StatementKind,
    Topic,
)
from agreements.dates import future_errors, plausible_date, plausible_moment
from agreements.hour_stamp import HourStamp, to_the_hour
from agreements.hours import OpeningSpan
from agreements.pii_guard import GuardedText, check_link, check_public_address
from agreements.versioning import Versioned
from privacy.pii import check_free_text

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

country_code = RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO country code, such as CA."))


# Slugs that would collide with fixed paths under /sites/.
RESERVED_SLUGS = frozenset({"new"})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            gettext("%(value)s is reserved by the app; choose another short name.")
            % {"value": repr(value)}
        )


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            gettext("%(value)s is not a known IANA timezone; use a name like America/Toronto.")
            % {"value": repr(value)}
        )


def first_scores_revision() -> int:
    """A random start, so that a site id used again (a database restored or recreated,
    a rolled-back insert on SQLite) never meets the cached scores of the earlier site."""
    return secrets.randbelow(2**62)


class Site(GuardedText, Versioned):
    guarded_text_fields = ("name", "organisation", "city", "region")

    name = models.CharField(verbose_name=_("name"), max_length=120, validators=[check_free_text])
    slug = models.SlugField(
        verbose_name=_("slug"),
        max_length=60,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("Short name used in links, bundles and the API."),
    )
    organisation = models.CharField(
        verbose_name=_("organisation"), max_length=160, blank=True, validators=[check_free_text]
    )
    # The site's own address is public and expected here: the street-address rule does
    # not apply to it, every other identifier is still refused (docs/pii.md).
    address = models.CharField(
        verbose_name=_("address"),
        max_length=200,
        blank=True,
        validators=[check_public_address],
        help_text=_("The site's own public address."),
    )
    city = models.CharField(verbose_name=_("city"), max_length=80, validators=[check_free_text])
    region = models.CharField(
        verbose_name=_("region"),
        max_length=80,
        validators=[check_free_text],
        help_text=_("Province, state or region."),
    )
    country = models.CharField(
        verbose_name=_("country"), max_length=2, default="CA", validators=[country_code]
    )
    timezone = models.CharField(
        verbose_name=_("timezone"),
        max_length=64,
        default="America/Toronto",
        validators=[validate_timezone],
    )
    status = models.CharField(verbose_name=_("status"), max_length=12, choices=SiteStatus.choices)
    opened_on = models.DateField(
        verbose_name=_("opened on"),
        validators=[plausible_date],
        null=True,
        blank=True,
        help_text=_("Leave empty while the site is planned."),
    )
    buffer_metres = models.PositiveSmallIntegerField(
        verbose_name=_("buffer metres"),
        default=100,
        validators=[MinValueValidator(10), MaxValueValidator(2000)],
        help_text=_("The proximity buffer agreed with police, in metres."),
    )
    research_consent = models.BooleanField(
        verbose_name=_("research consent"),
        default=False,
        help_text=_("Researchers may see this site's scores and aggregates."),
    )
    police_accounts = models.BooleanField(
        verbose_name=_("police accounts"),
        default=True,
        help_text=_("Police liaison officers may have accounts for this site."),
    )
    community_oversight = models.BooleanField(
        verbose_name=_("community oversight"),
        default=False,
        help_text=_(
            "A peer oversight body (a drug users' union) may read this site's protocol, "
            "research figures and transparency report, comment on protocols open for "
            "consultation and file peer reports."
        ),
    )
    # Raised whenever anything a score reads changes (scoring.cache): cached
    # scores are keyed by it, so a change makes the old ones unreachable at once.
    # db_default: code from before the column (a rolling deploy) can still insert sites.
    scores_revision = models.PositiveBigIntegerField(
        default=first_scores_revision, db_default=0, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agreements:site_overview", kwargs={"slug": self.slug})

    def guard_site_id(self) -> int | None:
        return self.pk

    def clean(self) -> None:
        if self.status == SiteStatus.PLANNED and self.opened_on:
            raise ValidationError(
                {"opened_on": gettext("A planned site has no opening date yet; leave it empty.")}
            )
        if self.status in (SiteStatus.OPEN, SiteStatus.CLOSED) and not self.opened_on:
            raise ValidationError({"opened_on": gettext("Enter the day the site opened.")})
        known_zone = self.timezone in zoneinfo.available_timezones()
        if self.opened_on and known_zone and self.opened_on > self.today():
            raise ValidationError(
                {"opened_on": gettext("A site that opens after today is still planned.")}
            )

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> date:
        return timezone.now().astimezone(self.tz).date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)


class OperatingHours(models.Model):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(verbose_name=_("weekday"), choices=WEEKDAYS)
    opens = models.TimeField(verbose_name=_("opens"))
    closes = models.TimeField(
        verbose_name=_("closes"), help_text=_("At or before the opening time means past midnight.")
    )

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["site", "weekday"], name="one_hours_row_per_weekday"),
        ]
        verbose_name = _("operating hours")
        verbose_name_plural = _("operating hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def as_span(self) -> OpeningSpan:
        return OpeningSpan(weekday=self.weekday, opens=self.opens, closes=self.closes)


class Membership(models.Model):
    """A role a user holds. `site` empty means every site the role may reach."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(verbose_name=_("role"), max_length=12, choices=Role.choices)
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "site"], name="one_membership_per_role_and_site"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(site__isnull=True),
                name="one_all_sites_membership_per_role",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.role} @ {self.site or gettext('all sites')}"

    def clean(self) -> None:
        # The same rules for every path that grants a role: `grant`, the admin, a page.
        if self.role == Role.MANAGER and self.site_id is None:
            raise ValidationError({"site": gettext("A manager belongs to named sites.")})
        if self.role == Role.ADMIN and self.site_id is not None:
            raise ValidationError(
                {"site": gettext("An admin sees every site: leave the site empty.")}
            )
        if self.role == Role.LIAISON and self.site_id is not None:
            raise ValidationError(
                {
                    "site": gettext(
                        "A liaison sees the sites their officer is assigned to: leave the "
                        "site empty and link the officer to the account."
                    )
                }
            )
        refused = self.site is not None and not self.site.research_consent
        if self.role == Role.RESEARCHER and refused:
            raise ValidationError({"site": gettext("This site does not consent to research.")})
        if self.role == Role.COMMUNITY:
            if self.site is None:
                raise ValidationError(
                    {"site": gettext("A community oversight body belongs to named sites.")}
                )
            if not self.site.community_oversight:
                raise ValidationError(
                    {"site": gettext("This site has not opted in to community oversight.")}
                )


def private_storage() -> Any:
    """Uploaded documents and reports go to the "private" storage (settings.STORAGES: the
    database every app server shares), have no URL, and are only served through a view
    that checks access (a callable, so tests can move it)."""
    from django.core.files.storage import storages

    return storages["private"]


def document_path(instance: Protocol, filename: str) -> str:
    # A fixed name per version: the uploaded file name may carry personal details.
    return f"protocols/{instance.site_id}/v{instance.version}-{uuid.uuid4().hex[:12]}.pdf"


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def validate_signed_document(upload: Any) -> None:
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(gettext("The signed document is larger than 10 MB."))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(gettext("The signed document must be a PDF file."))


class Protocol(GuardedText, Versioned):
    """One version of a site's entry and presence agreement with police."""

    guarded_text_fields = ("signatories",)

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="protocols"
    )
    version = models.PositiveIntegerField(
        verbose_name=_("version"), validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=12,
        choices=ProtocolStatus.choices,
        default=ProtocolStatus.DRAFT,
    )
    created_on = models.DateField(
        verbose_name=_("created on"), validators=[plausible_date]
    )  # set to the site's today by callers
    effective_from = models.DateField(
        verbose_name=_("effective from"), null=True, blank=True, validators=[plausible_date]
    )
    review_by = models.DateField(
        verbose_name=_("review by"), null=True, blank=True, validators=[plausible_date]
    )
    signed_on = models.DateField(
        verbose_name=_("signed on"), null=True, blank=True, validators=[plausible_date]
    )
    ended_on = models.DateField(
        verbose_name=_("ended on"), null=True, blank=True, validators=[plausible_date]
    )
    signatories = models.TextField(
        verbose_name=_("signatories"),
        blank=True,
        validators=[check_free_text],
        help_text=_("Roles of those who signed, one per line (no personal details)."),
    )
    document = models.FileField(
        _("signed document"),
        storage=private_storage,
        upload_to=document_path,
        blank=True,
        validators=[validate_signed_document],
        help_text=_(
            "The signed agreement as a PDF (at most 10 MB). Served only to users who "
            "may see the site."
        ),
    )

    class Meta:
        ordering = ["site", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["site", "version"], name="one_protocol_per_version"),
        ]
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")

    def __str__(self) -> str:
        return gettext("%(site)s protocol v%(version)s (%(status)s)") % {
            "site": self.site,
            "version": self.version,
            # "draft", as before, in English; « ébauche » in French.
            "status": self.get_status_display().lower(),
        }

    @property
    def is_signed(self) -> bool:
        return self.status in (ProtocolStatus.SIGNED, ProtocolStatus.ENDED)

    @property
    def is_editable(self) -> bool:
        return not self.is_signed

    def delete_refusal(self) -> str | None:
        """Why this version may not be deleted (None: it may). Checked by the delete
        service, whatever the path: a page, the API, the admin, an import."""
        if self.is_signed:
            return gettext("A signed protocol version is part of the record and is never deleted.")
        # Through the `consultations` relation of the consultations app (a layer above),
        # read without importing it, as access.py reads the sites' `assignments`.
        consulted = getattr(self, "consultations", None)
        if self.pk and consulted is not None and consulted.filter(comments__isnull=False).exists():
            return gettext(
                "The community body commented on this version in a consultation: it is part "
                "of the record and is not deleted."
            )
        return None

    def clean(self) -> None:
        self._refuse_changes_once_signed()
        errors: dict[str, str] = {}
        if self.site_id:
            errors |= future_errors(
                self.site.today(), created_on=self.created_on, signed_on=self.signed_on
            )
        if self.status in (ProtocolStatus.SIGNED, ProtocolStatus.ENDED):
            if not self.signed_on:
                errors["signed_on"] = gettext("A signed version needs the day it was signed.")
            if not self.effective_from:
                errors["effective_from"] = gettext(
                    "A signed version needs the day it takes effect."
                )
        if self.status == ProtocolStatus.ENDED and not self.ended_on:
            errors["ended_on"] = gettext("An ended version needs the day it ended.")
        if self.status != ProtocolStatus.ENDED and self.ended_on:
            errors["ended_on"] = gettext("Only an ended version has an end date.")
        if self.signed_on and self.created_on and self.signed_on < self.created_on:
            errors["signed_on"] = gettext("A version cannot be signed before it was created.")
        if self.effective_from and self.review_by and self.review_by <= self.effective_from:
            errors["review_by"] = gettext(
                "The review date must come after the day it takes effect."
            )
        if self.effective_from and self.ended_on and self.ended_on < self.effective_from:
            errors["ended_on"] = gettext("A version cannot end before it takes effect.")
        if errors:
            raise ValidationError(errors)

    # Fields a signed version may still change: the move to `ended` (and back, while the
    # end is still to come), and the withdrawal of a version not yet in effect.
    _END_FIELDS = ("status", "ended_on")
    _WITHDRAW_FIELDS = ("status", "signed_on")

    def _refuse_changes_once_signed(self) -> None:
        if self.pk is None:
            return
        fields = [f.attname for f in self._meta.concrete_fields if f.attname != "id"]
        stored = Protocol.objects.filter(pk=self.pk).values(*fields).first()
        if stored is None or stored["status"] not in (ProtocolStatus.SIGNED, ProtocolStatus.ENDED):
            return
        changed = [name for name in fields if stored[name] != getattr(self, name)]
        today = self.site.today()
        moves = (stored["status"], self.status)
        # Withdrawn before it took effect (`protocol_withdraw`): nobody was bound yet.
        not_yet_in_effect = (
            stored["effective_from"] is not None and stored["effective_from"] > today
        )
        # Its successor was withdrawn before its end came: the end is undone.
        end_still_to_come = stored["ended_on"] is not None and stored["ended_on"] > today
        allowed: set[str] = set()
        if moves == (ProtocolStatus.SIGNED, ProtocolStatus.ENDED):
            allowed = set(self._END_FIELDS)
        elif moves == (ProtocolStatus.SIGNED, ProtocolStatus.NEGOTIATING) and not_yet_in_effect:
            allowed = set(self._WITHDRAW_FIELDS)
        elif moves == (ProtocolStatus.ENDED, ProtocolStatus.SIGNED) and end_still_to_come:
            allowed = set(self._END_FIELDS)
        if any(name not in allowed for name in changed):
            raise ValidationError(SIGNED_IS_IMMUTABLE)


SIGNED_IS_IMMUTABLE = _(
    "A signed protocol version cannot be changed: start a new version instead. "
    "Only ending it (status ended, with an end date) is allowed."
)


class ProtocolClause(GuardedText):
    guarded_text_fields = ("text",)

    protocol = models.ForeignKey(
        Protocol, verbose_name=_("protocol"), on_delete=models.CASCADE, related_name="clauses"
    )
    topic = models.CharField(verbose_name=_("topic"), max_length=24, choices=Topic.choices)
    text = models.TextField(verbose_name=_("text"), validators=[check_free_text])
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("protocol clause")
        verbose_name_plural = _("protocol clauses")

    def __str__(self) -> str:
        return f"{self.get_topic_display()}"

    def guard_site_id(self) -> int | None:
        return self.protocol.site_id if self.protocol_id else None

    def clean(self) -> None:
        # The stored version decides: a form may already hold "signed" for a draft that
        # is being signed together with its clauses.
        signed = Protocol.objects.filter(
            pk=self.protocol_id, status__in=[ProtocolStatus.SIGNED, ProtocolStatus.ENDED]
        )
        if self.protocol_id and signed.exists():
            raise ValidationError(SIGNED_IS_IMMUTABLE)


class EngagementEvent(GuardedText, Versioned):
    guarded_text_fields = ("police_ranks_present", "summary")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="engagements"
    )
    date = models.DateField(verbose_name=_("date"), validators=[plausible_date])
    kind = models.CharField(verbose_name=_("kind"), max_length=24, choices=EngagementKind.choices)
    police_ranks_present = models.CharField(
        verbose_name=_("police ranks present"),
        max_length=200,
        blank=True,
        validators=[check_free_text],
        help_text=_("Ranks only, for example: Inspector, Sergeant."),
    )
    summary = models.TextField(verbose_name=_("summary"), blank=True, validators=[check_free_text])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("engagement event")
        verbose_name_plural = _("engagement events")

    def __str__(self) -> str:
        return gettext("%(kind)s on %(date)s") % {
            "kind": self.get_kind_display(),
            "date": self.date,
        }

    def clean(self) -> None:
        if self.site_id and (errors := future_errors(self.site.today(), date=self.date)):
            raise ValidationError(errors)


class SupportStatement(GuardedText, Versioned):
    guarded_text_fields = ("summary",)

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="support_statements"
    )
    date = models.DateField(verbose_name=_("date"), validators=[plausible_date])
    rank = models.CharField(_("speaker rank"), max_length=24, choices=SpeakerRank.choices)
    stance = models.CharField(verbose_name=_("stance"), max_length=12, choices=Stance.choices)
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=StatementKind.choices)
    summary = models.TextField(verbose_name=_("summary"), blank=True, validators=[check_free_text])
    source = models.URLField(
        verbose_name=_("source"),
        blank=True,
        validators=[check_link],
        help_text=_("Link to the public record, if any."),
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("support statement")
        verbose_name_plural = _("support statements")

    def __str__(self) -> str:
        return gettext("%(rank)s (%(stance)s) on %(date)s") % {
            "rank": self.get_rank_display(),
            "stance": self.get_stance_display(),
            "date": self.date,
        }

    def clean(self) -> None:
        if self.site_id and (errors := future_errors(self.site.today(), date=self.date)):
            raise ValidationError(errors)


def badge_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


badge_numbers_validator = RegexValidator(
    r"^\s*[A-Za-z0-9-]{1,12}(\s*,\s*[A-Za-z0-9-]{1,12})*\s*$",
    _("List police badge numbers separated by commas (letters, digits and hyphens)."),
)


# Every category that `breaches.is_breach` can call a breach (a test keeps the two equal),
# sorted so that the migration's copy of the list stays the same from run to run.
BREACH_CATEGORIES = tuple(
    sorted(
        [
            Category.UNINVITED_ENTRY,
            Category.EXCEPTION_ENTRY,
            Category.VEHICLE_IN_BUFFER,
            Category.STATIONED_IN_BUFFER,
            Category.STOP_OR_SEARCH,
            Category.ARREST_NEAR_SITE,
            Category.SUPPLIES_CONFISCATED,
            Category.PLAINCLOTHES_PRESENCE,
            Category.DOG_DEPLOYMENT,
            Category.DISPERSAL_ORDER,
            Category.UNREQUESTED_OVERDOSE_ATTENDANCE,
            Category.INFORMATION_REQUEST,
            Category.SURVEILLANCE,
        ]
    )
)


class Interaction(GuardedText, Versioned):
    """A police interaction near the site, described by what police did."""

    guarded_text_fields = ("resolution", "narrative")

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="interactions"
    )
    occurred_at = models.DateTimeField(
        verbose_name=_("occurred at"),
        validators=[plausible_moment],
        help_text=_("Kept to the hour: minutes are dropped so that no visit can be matched."),
    )
    category = models.CharField(verbose_name=_("category"), max_length=40, choices=Category.choices)
    distance_band = models.CharField(
        verbose_name=_("distance band"), max_length=12, choices=DistanceBand.choices
    )
    officers_present = models.PositiveSmallIntegerField(
        verbose_name=_("officers present"), default=1, validators=[MaxValueValidator(200)]
    )
    plain_clothes = models.BooleanField(verbose_name=_("plain clothes"), default=False)
    vehicle_present = models.BooleanField(verbose_name=_("vehicle present"), default=False)
    staff_requested = models.BooleanField(
        verbose_name=_("staff requested"),
        default=False,
        help_text=_("Staff asked police to attend."),
    )
    site_notified = models.BooleanField(
        verbose_name=_("site notified"),
        default=False,
        help_text=_("Police told the site afterwards."),
    )
    impact = models.CharField(
        verbose_name=_("impact"), max_length=16, choices=Impact.choices, default=Impact.NONE
    )
    liaison_contacted = models.BooleanField(verbose_name=_("liaison contacted"), default=False)
    resolution = models.TextField(
        verbose_name=_("resolution"), blank=True, validators=[check_free_text]
    )
    narrative = models.TextField(
        verbose_name=_("narrative"),
        blank=True,
        validators=[check_free_text],
        help_text=_("What police did. Never describe or name clients."),
    )
    legal_basis = models.CharField(
        verbose_name=_("legal basis"),
        max_length=20,
        choices=LegalBasis.choices,
        blank=True,
        help_text=_("For requests for information only."),
    )
    disclosed = models.BooleanField(
        verbose_name=_("disclosed"),
        null=True,
        blank=True,
        help_text=_("For requests for information: was anything disclosed?"),
    )
    badge_numbers = models.CharField(
        verbose_name=_("badge numbers"),
        max_length=200,
        blank=True,
        validators=[badge_numbers_validator],
    )
    clause_topic = models.CharField(
        verbose_name=_("clause topic"),
        max_length=24,
        choices=Topic.choices,
        blank=True,
        help_text=_("The protocol clause this breached, if any."),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Kept to the hour like `occurred_at`: the minute it was logged would bound the
    # minute it happened (agreements/hour_stamp.py).
    logged_at = HourStamp(verbose_name=_("logged at"))
    # Who told the site, and what the reporter agreed the record may be used for (SPEC §2).
    source = models.CharField(
        verbose_name=_("source"), max_length=16, choices=Source.choices, default=Source.STAFF
    )
    consent = models.CharField(
        verbose_name=_("reporter's consent"),
        max_length=12,
        choices=Consent.choices,
        default=Consent.AGGREGATE,
        help_text=_(
            "The site only: kept out of every figure outside the site. Anonymous totals: "
            "counted in research figures. Mediation: may also be raised with police."
        ),
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["site", "occurred_at"], name="interaction_site_time"),
            # Scores read only the breaches of a window (`scorecards.gather_inputs`): most
            # of a busy log is routine, and this index holds only the rows that may be
            # breaches (docs/performance.md).
            models.Index(
                fields=["site", "occurred_at"],
                condition=Q(category__in=[str(c) for c in BREACH_CATEGORIES]),
                name="interaction_breach_time",
            ),
        ]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self) -> str:
        # On the site's clock, wherever it is printed (delete page, admin), as the
        # interaction was entered; its zone is said where the page shows times.
        when = self.site.local(self.occurred_at) if self.site_id else self.occurred_at
        return gettext("%(category)s at %(when)s") % {
            "category": self.get_category_display(),
            "when": f"{when:%Y-%m-%d %H}h",
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The hour rule is a privacy guarantee, so it holds even for writes that skip clean().
        if self.occurred_at and self.site_id:
            self.occurred_at = to_the_hour(self.occurred_at, self.site.tz)
        super().save(*args, **kwargs)

    @property
    def is_breach(self) -> bool:
        return breaches.is_breach(
            category=self.category,
            notified=self.site_notified,
            distance_band=self.distance_band,
            legal_basis=self.legal_basis,
        )

    @property
    def badges(self) -> list[str]:
        return badge_list(self.badge_numbers)

    def _check_consent_change(self) -> None:
        """Consent rules that read the stored row (one query): a shared interaction keeps
        `mediation`; a peer report keeps its source and its reporter's consent, since the
        reporter spoke once, to the community body, and cannot be asked again."""
        stored = (
            Interaction.objects.filter(pk=self.pk)
            .annotate(shared=Exists(InteractionShare.objects.filter(interaction=OuterRef("pk"))))
            .values("source", "consent", "shared")
            .first()
        )
        if stored is None:
            return
        if stored["source"] == Source.PEER_REPORTED:
            if self.source != Source.PEER_REPORTED:
                raise ValidationError(
                    {
                        "source": gettext(
                            "This interaction came from a peer report: its source stays."
                        )
                    }
                )
            if self.consent != stored["consent"]:
                raise ValidationError(
                    {
                        "consent": gettext(
                            "A peer report keeps the consent its reporter gave: nobody can ask "
                            "the reporter again."
                        )
                    }
                )
        if stored["shared"] and self.consent != Consent.MEDIATION:
            raise ValidationError(
                {
                    "consent": gettext(
                        "This interaction is shared with police for mediation: stop sharing "
                        "it before lowering the reporter's consent."
                    )
                }
            )

    def clean(self) -> None:
        if self.pk:
            self._check_consent_change()
        if self.occurred_at and self.site_id:
            self.occurred_at = to_the_hour(self.occurred_at, self.site.tz)
            if self.occurred_at > timezone.now() + timedelta(hours=1):
                raise ValidationError(
                    {"occurred_at": gettext("An interaction cannot be in the future.")}
                )
        if self.clause_topic and not self.is_breach:
            raise ValidationError(
                {
                    "clause_topic": gettext(
                        "Only a breach is linked to the protocol clause it broke."
                    )
                }
            )
        if self.category == Category.INFORMATION_REQUEST:
            errors = {}
            if not self.legal_basis:
                errors["legal_basis"] = gettext(
                    "Record the legal basis police gave for the request."
                )
            if self.disclosed is None:
                errors["disclosed"] = gettext("Record whether anything was disclosed.")
            if errors:
                raise ValidationError(errors)
        else:
            if self.legal_basis:
                raise ValidationError(
                    {"legal_basis": gettext("Only a request for information has a legal basis.")}
                )
            if self.disclosed is not None:
                raise ValidationError(
                    {"disclosed": gettext("Only a request for information records a disclosure.")}
                )


class RubricWeights(models.Model):
    """A change of the factor weights. The newest row is in effect; the rows are the
    history of who changed the weights and when."""

    early_engagement = models.PositiveSmallIntegerField(
        verbose_name=_("early engagement"), default=1, validators=[MaxValueValidator(10)]
    )
    senior_support = models.PositiveSmallIntegerField(
        verbose_name=_("senior support"), default=1, validators=[MaxValueValidator(10)]
    )
    dedicated_liaison = models.PositiveSmallIntegerField(
        verbose_name=_("dedicated liaison"), default=1, validators=[MaxValueValidator(10)]
    )
    entry_presence_agreement = models.PositiveSmallIntegerField(
        verbose_name=_("entry presence agreement"), default=1, validators=[MaxValueValidator(10)]
    )
    regular_contact = models.PositiveSmallIntegerField(
        verbose_name=_("regular contact"), default=1, validators=[MaxValueValidator(10)]
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(verbose_name=_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("rubric weights")
        verbose_name_plural = _("rubric weights")

    def __str__(self) -> str:
        return gettext("weights of %(when)s") % {"when": f"{self.changed_at:%Y-%m-%d %H:%M}"}

    def clean(self) -> None:
        if not any(getattr(self, key) for key in FACTOR_KEYS):
            raise ValidationError(gettext("At least one factor needs a weight above 0."))

    def as_dict(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in FACTOR_KEYS}


class DailyAttendance(Versioned):
    """Total visits on one day: an aggregate, never a visitor."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="attendance"
    )
    date = models.DateField(verbose_name=_("date"), validators=[plausible_date])
    visits = models.PositiveIntegerField(
        verbose_name=_("visits"), validators=[MaxValueValidator(100_000)]
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("daily attendance")
        verbose_name_plural = _("daily attendance")
        constraints = [
            models.UniqueConstraint(fields=["site", "date"], name="one_attendance_per_day"),
        ]

    def __str__(self) -> str:
        return gettext("%(site)s %(date)s: %(visits)s") % {
            "site": self.site,
            "date": self.date,
            "visits": self.visits,
        }

    def clean(self) -> None:
        if not (self.site_id and self.date):
            return
        if errors := future_errors(self.site.today(), date=self.date):
            raise ValidationError(errors)
        taken = DailyAttendance.objects.filter(site_id=self.site_id, date=self.date)
        if taken.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"date": gettext("This day already has an attendance count: edit it.")}
            )


class InteractionShare(GuardedText, Versioned):
    """An interaction a manager chose to show the site's liaison, for mediation.

    The liaison sees the category, the day, the distance band and this summary, written
    for police; never the narrative, nor who logged it. Unsharing deletes the row.
    """

    guarded_text_fields = ("summary",)

    interaction = models.OneToOneField(
        Interaction, verbose_name=_("interaction"), on_delete=models.CASCADE, related_name="share"
    )
    summary = models.TextField(
        verbose_name=_("summary"),
        validators=[check_free_text],
        help_text=_(
            "Written for police: what happened and what you ask of them. "
            "Never describe or name clients."
        ),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    shared_at = HourStamp(verbose_name=_("shared at"), site="interaction.site")

    class Meta:
        ordering = ["-shared_at", "-id"]
        verbose_name = _("interaction share")
        verbose_name_plural = _("interaction shares")

    def __str__(self) -> str:
        return gettext("shared: %(interaction)s") % {"interaction": self.interaction}

    def guard_site_id(self) -> int | None:
        return self.interaction.site_id if self.interaction_id else None

    def clean(self) -> None:
        super().clean()
        # The reporter decides what reaches police (SPEC §2): on every path that shares.
        if self.interaction_id and self.interaction.consent != Consent.MEDIATION:
            raise ValidationError(
                gettext(
                    "The reporter's consent is: %(consent)s. Only an interaction "
                    "whose reporter agreed to mediation may be shared with police."
                )
                % {"consent": self.interaction.get_consent_display()}
            )


class ProtocolLink(GuardedText):
    """A secret, revocable, read-only link to a site's protocol in force, for a site that
    refuses police accounts. Only a hash of the token is stored."""

    guarded_text_fields = ("label",)

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="protocol_links"
    )
    label = models.CharField(
        verbose_name=_("label"),
        max_length=80,
        validators=[check_free_text],
        help_text=_("Who the link is for, e.g. 'Division 52 front desk'."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(verbose_name=_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("protocol link")
        verbose_name_plural = _("protocol links")

    def __str__(self) -> str:
        return gettext("%(site)s link for %(label)s") % {"site": self.site, "label": self.label}

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ReportJob(models.Model):
    """A report made in the background (the network report), with its progress, so that
    nobody waits on a request that may time out. The work itself is a django-tasks task
    (`reports.network.make_network_report`); this is what the requester sees."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="report_jobs",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=20, default="network")
    as_of = models.DateField(verbose_name=_("as of"), validators=[plausible_date])
    site_ids = models.JSONField(
        verbose_name=_("site ids"), default=list, help_text=_("The sites in scope when requested.")
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        verbose_name=_("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    message = models.CharField(verbose_name=_("message"), max_length=200, blank=True)
    file = models.FileField(
        verbose_name=_("file"), storage=private_storage, upload_to="reports/", blank=True
    )
    # The requester's language: the report is written in it wherever it is made.
    language = models.CharField(max_length=10, default="en-ca")
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(verbose_name=_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return gettext("%(kind)s report of %(when)s (%(status)s)") % {
            "kind": self.kind,
            "when": f"{self.created_at:%Y-%m-%d %H:%M}",
            "status": self.status,
        }


class TokenScope(models.TextChoices):
    """What a program holding the token may do: every API write needs `read-write`."""

    READ = "read", _("read-only")
    WRITE = "read-write", _("read and write")


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once. It works
    until it expires or is revoked, and writes only with the read-write scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    # Refusals only: a token's name is seen by its owner and the admin, and belongs to
    # no site whose roster or confirmation could apply (docs/pii.md).
    name = models.CharField(
        verbose_name=_("name"),
        max_length=80,
        validators=[check_free_text],
        help_text=_("What the token is for, e.g. 'R pipeline'."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        verbose_name=_("prefix"), max_length=8, editable=False, help_text=_("To recognise it.")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(verbose_name=_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(verbose_name=_("revoked at"), null=True, blank=True)
    expires_at = models.DateTimeField(verbose_name=_("expires at"), editable=False)
    scope = models.CharField(
        verbose_name=_("scope"),
        max_length=10,
        choices=TokenScope.choices,
        default=TokenScope.READ,
        help_text=_("Read-only unless the program must write through the API."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE


# The audit log lives in its own module; importing it here registers the model.
from agreements.audit import AuditEntry  # noqa: E402, F401
