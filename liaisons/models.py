"""The police side of the relationship: services, liaison officers, their assignments to
sites, their acknowledgements of protocols, and the check-ins that keep contact regular."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.choices import AssignmentRole, CheckInFormat, CheckInStatus
from agreements.dates import future_errors, latest_today, plausible_date, plausible_moment
from agreements.hours import OpeningSpan, overlaps_hours
from agreements.models import Protocol, Site
from agreements.pii_guard import GuardedText
from agreements.recurrence import normalise_rrule, parse_rrule
from agreements.versioning import Versioned
from agreements.words import word
from privacy.pii import check_free_text

badge_validator = RegexValidator(
    r"^[A-Za-z0-9-]{1,12}$",
    gettext_lazy("A badge number has 1–12 letters, digits or hyphens."),
)
phone_validator = RegexValidator(
    r"^[0-9+()\-. x]{0,30}$",
    gettext_lazy("Enter a work phone number using digits, spaces, + ( ) - . or x."),
)


class PoliceService(models.Model):
    # Refusals only: a service is shared by every site near it, so no one site's roster
    # or confirmation applies to its name (docs/pii.md).
    name = models.CharField(
        verbose_name=gettext_lazy("name"),
        max_length=160,
        unique=True,
        validators=[check_free_text],
    )
    jurisdiction = models.CharField(
        verbose_name=gettext_lazy("jurisdiction"),
        max_length=160,
        blank=True,
        validators=[check_free_text],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("police service")
        verbose_name_plural = gettext_lazy("police services")

    def __str__(self) -> str:
        return self.name


class LiaisonOfficer(Versioned):
    """An officer's own record: name, rank, badge and work contact are structured fields
    by design, so the free-text guard does not read them (docs/pii.md)."""

    service = models.ForeignKey(
        PoliceService,
        verbose_name=gettext_lazy("service"),
        on_delete=models.PROTECT,
        related_name="officers",
    )
    name = models.CharField(verbose_name=gettext_lazy("name"), max_length=120)
    rank = models.CharField(verbose_name=gettext_lazy("rank"), max_length=60, blank=True)
    badge_number = models.CharField(
        verbose_name=gettext_lazy("badge number"), max_length=12, validators=[badge_validator]
    )
    email = models.EmailField(
        verbose_name=gettext_lazy("email"), blank=True, help_text=gettext_lazy("Work e-mail.")
    )
    phone = models.CharField(
        verbose_name=gettext_lazy("phone"),
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text=gettext_lazy("Work phone."),
    )
    contact_verified_on = models.DateField(
        verbose_name=gettext_lazy("contact verified on"),
        validators=[plausible_date],
        null=True,
        blank=True,
        help_text=gettext_lazy("The last day someone confirmed these details work."),
    )
    active = models.BooleanField(verbose_name=gettext_lazy("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_officer",
    )
    # The site whose manager registered the officer, so that an officer without any
    # assignment yet still appears on that site's roster.
    registered_for = models.ForeignKey(
        Site,
        verbose_name=gettext_lazy("registered for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "badge_number"], name="one_officer_per_badge_and_service"
            ),
        ]
        verbose_name = gettext_lazy("liaison officer")
        verbose_name_plural = gettext_lazy("liaison officers")

    def __str__(self) -> str:
        return f"{self.rank} {self.name} (#{self.badge_number})".strip()

    def clean(self) -> None:
        if errors := future_errors(latest_today(), contact_verified_on=self.contact_verified_on):
            raise ValidationError(errors)

    def serving_site_ids(self) -> set[int]:
        """The sites whose assignment of this officer has not ended (today or later at the
        site): those whose liaison access and reminders hang on this record."""
        rows = self.assignments.select_related("site")
        return {a.site_id for a in rows if a.end is None or a.end >= a.site.today()}

    def delete_refusal(self) -> str | None:
        """Why this officer may not be deleted (None: they may), for every delete path."""
        if self.assignments.exists():
            return _("This officer has assignments on record. Mark the officer inactive instead.")
        return None


class LiaisonAssignment(Versioned):
    officer = models.ForeignKey(
        LiaisonOfficer,
        verbose_name=gettext_lazy("officer"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=gettext_lazy("site"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    role = models.CharField(
        verbose_name=gettext_lazy("role"), max_length=8, choices=AssignmentRole.choices
    )
    start = models.DateField(verbose_name=gettext_lazy("start"), validators=[plausible_date])
    end = models.DateField(
        verbose_name=gettext_lazy("end"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Leave empty while ongoing."),
        validators=[plausible_date],
    )

    class Meta:
        ordering = ["-start", "role"]
        verbose_name = gettext_lazy("liaison assignment")
        verbose_name_plural = gettext_lazy("liaison assignments")

    def __str__(self) -> str:
        return _("%(officer)s — %(role)s at %(site)s from %(start)s") % {
            "officer": self.officer,
            "role": word(self.role),
            "site": self.site,
            "start": self.start,
        }

    def is_active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("The end date cannot come before the start date.")})
        if self.officer_id and self.pk is None and not self.officer.active:
            raise ValidationError(
                {"officer": _("This officer is marked inactive and cannot take a new assignment.")}
            )
        if self.officer_id and self.site_id and self.start:
            same = self._overlapping(LiaisonAssignment.objects.filter(officer_id=self.officer_id))
            if same is not None:
                raise ValidationError(
                    {
                        "officer": _(
                            "%(officer)s already has a %(role)s assignment here from "
                            "%(start)s to %(end)s; one officer holds one role at a time."
                        )
                        % {
                            "officer": self.officer,
                            "role": word(same.role),
                            "start": same.start,
                            "end": same.end or _("open-ended"),
                        }
                    }
                )
        if self.role == AssignmentRole.PRIMARY and self.site_id and self.start:
            clash = self._overlapping_primary()
            if clash is not None:
                raise ValidationError(
                    {
                        "start": _(
                            "A site has at most one primary liaison on any day; "
                            "%(officer)s is primary from %(start)s to %(end)s. End that "
                            "assignment first, or make this one a backup."
                        )
                        % {
                            "officer": clash.officer,
                            "start": clash.start,
                            "end": clash.end or _("open-ended"),
                        }
                    }
                )

    def _overlapping_primary(self) -> LiaisonAssignment | None:
        return self._overlapping(LiaisonAssignment.objects.filter(role=AssignmentRole.PRIMARY))

    def _overlapping(
        self, candidates: models.QuerySet[LiaisonAssignment]
    ) -> LiaisonAssignment | None:
        """The first of `candidates` at this site whose dates overlap this assignment's."""
        others = candidates.filter(site_id=self.site_id).exclude(pk=self.pk)
        # Two ranges overlap when each starts on or before the other ends.
        others = others.filter(Q(end__isnull=True) | Q(end__gte=self.start))
        if self.end is not None:
            others = others.filter(start__lte=self.end)
        return others.select_related("officer").first()


class Acknowledgement(models.Model):
    """An officer's record that they read a given protocol version."""

    officer = models.ForeignKey(
        LiaisonOfficer,
        verbose_name=gettext_lazy("officer"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    protocol = models.ForeignKey(
        Protocol,
        verbose_name=gettext_lazy("protocol"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    acknowledged_at = models.DateTimeField(
        verbose_name=gettext_lazy("acknowledged at"), validators=[plausible_moment]
    )

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "protocol"], name="one_acknowledgement_per_version"
            ),
        ]
        verbose_name = gettext_lazy("acknowledgement")
        verbose_name_plural = gettext_lazy("acknowledgements")

    def __str__(self) -> str:
        return _("%(officer)s acknowledged %(protocol)s") % {
            "officer": self.officer,
            "protocol": self.protocol,
        }

    def clean(self) -> None:
        if self.protocol_id and not self.protocol.is_signed:
            raise ValidationError(
                {"protocol": _("Only a signed protocol version can be acknowledged.")}
            )
        signed_on = self.protocol.signed_on if self.protocol_id else None
        if signed_on and self.acknowledged_at:
            acknowledged = self.acknowledged_at.astimezone(self.protocol.site.tz).date()
            if acknowledged < signed_on:
                message = _(
                    "Version %(version)s was signed on %(date)s: it cannot be acknowledged "
                    "before that."
                ) % {"version": self.protocol.version, "date": signed_on}
                raise ValidationError({"acknowledged_at": message})


class CheckInSchedule(GuardedText, Versioned):
    guarded_text_fields = ("location",)

    site = models.ForeignKey(
        Site, verbose_name=gettext_lazy("site"), on_delete=models.CASCADE, related_name="schedules"
    )
    key = models.SlugField(
        gettext_lazy("name"),
        max_length=40,
        help_text=gettext_lazy("A short name for this schedule, unique within the site."),
    )
    rrule = models.CharField(
        gettext_lazy("recurrence rule"),
        max_length=200,
        help_text=gettext_lazy(
            "RFC 5545, for example FREQ=MONTHLY;BYDAY=2TU (second Tuesday monthly)."
        ),
    )
    start = models.DateField(verbose_name=gettext_lazy("start"), validators=[plausible_date])
    end = models.DateField(
        verbose_name=gettext_lazy("end"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Leave empty while ongoing."),
        validators=[plausible_date],
    )
    start_time = models.TimeField(
        verbose_name=gettext_lazy("start time"), help_text=gettext_lazy("Local time at the site.")
    )
    duration_minutes = models.PositiveSmallIntegerField(
        gettext_lazy("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(12 * 60)],
    )
    format = models.CharField(
        verbose_name=gettext_lazy("format"), max_length=8, choices=CheckInFormat.choices
    )
    location = models.CharField(
        verbose_name=gettext_lazy("location"),
        max_length=160,
        blank=True,
        validators=[check_free_text],
    )
    expected_officers = models.ManyToManyField(
        LiaisonOfficer,
        verbose_name=gettext_lazy("expected officers"),
        blank=True,
        related_name="schedules",
    )

    class Meta:
        ordering = ["-start", "key"]
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="one_schedule_per_key"),
        ]
        verbose_name = gettext_lazy("check-in schedule")
        verbose_name_plural = gettext_lazy("check-in schedules")

    def __str__(self) -> str:
        return f"{self.key} ({self.rrule})"

    def is_active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def clean(self) -> None:
        if self.rrule:
            self.rrule = normalise_rrule(self.rrule)
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("The end date cannot come before the start date.")})
        if self.rrule and self.start:
            try:
                parse_rrule(self.rrule, start=self.start)
            except ValidationError as exc:
                raise ValidationError({"rrule": exc.messages}) from None


class CheckIn(GuardedText, Versioned):
    """One check-in with police: an occurrence of a schedule, or arranged ad hoc."""

    guarded_text_fields = ("notes",)

    site = models.ForeignKey(
        Site, verbose_name=gettext_lazy("site"), on_delete=models.CASCADE, related_name="checkins"
    )
    schedule = models.ForeignKey(
        CheckInSchedule,
        verbose_name=gettext_lazy("schedule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkins",
        help_text=gettext_lazy("Empty for an ad hoc check-in."),
    )
    scheduled_start = models.DateTimeField(
        verbose_name=gettext_lazy("scheduled start"), validators=[plausible_moment]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        gettext_lazy("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(12 * 60)],
    )
    format = models.CharField(
        verbose_name=gettext_lazy("format"), max_length=8, choices=CheckInFormat.choices
    )
    status = models.CharField(
        verbose_name=gettext_lazy("status"),
        max_length=10,
        choices=CheckInStatus.choices,
        default=CheckInStatus.SCHEDULED,
    )
    notes = models.TextField(
        verbose_name=gettext_lazy("notes"),
        blank=True,
        validators=[check_free_text],
        help_text=gettext_lazy("About the relationship; never about clients."),
    )

    class Meta:
        ordering = ["-scheduled_start"]
        indexes = [models.Index(fields=["site", "scheduled_start"], name="checkin_site_time")]
        verbose_name = gettext_lazy("check-in")
        verbose_name_plural = gettext_lazy("check-ins")

    def __str__(self) -> str:
        # The check-in's own noun, in the active language, before a local date and time.
        return _("%(format)s on %(start)s") % {
            "format": self.get_format_display(),
            "start": formats.date_format(self.local_start, "SHORT_DATETIME_FORMAT"),
        }

    @property
    def local_start(self) -> datetime:
        return self.scheduled_start.astimezone(self.site.tz)

    @property
    def local_end(self) -> datetime:
        # Added on the real timeline, then shown on the site's clock: right across a
        # daylight saving change.
        end = self.scheduled_start + timedelta(minutes=self.duration_minutes)
        return end.astimezone(self.site.tz)

    def delete_refusal(self) -> str | None:
        """Why this check-in may not be deleted (None: it may), for every delete path."""
        if self.status != CheckInStatus.SCHEDULED:
            return _(
                "A check-in with a recorded outcome stays on record; change its status instead."
            )
        return None

    def overlaps_operating_hours(self, spans: list[OpeningSpan] | None = None) -> bool:
        """Whether this check-in overlaps the site's hours, compared in local wall time."""
        if spans is None:
            spans = [h.as_span() for h in self.site.hours.all()]
        start = self.local_start.replace(tzinfo=None)
        return overlaps_hours(start, start + timedelta(minutes=self.duration_minutes), spans)

    def clean(self) -> None:
        if self.schedule is not None and self.site_id and self.schedule.site_id != self.site_id:
            raise ValidationError({"schedule": _("That schedule belongs to another site.")})
        if (
            self.status in (CheckInStatus.HELD, CheckInStatus.MISSED)
            and self.scheduled_start
            and self.scheduled_start > timezone.now()
        ):
            raise ValidationError(
                {"status": _("A check-in that has not started yet cannot be held or missed.")}
            )


class AttendanceConfirmation(models.Model):
    """A liaison officer's "I will attend" for one check-in."""

    checkin = models.ForeignKey(
        CheckIn,
        verbose_name=gettext_lazy("check-in"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    officer = models.ForeignKey(
        LiaisonOfficer,
        verbose_name=gettext_lazy("officer"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    confirmed_at = models.DateTimeField(
        verbose_name=gettext_lazy("confirmed at"), auto_now_add=True
    )

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "officer"], name="one_confirmation_per_officer"
            ),
        ]
        verbose_name = gettext_lazy("attendance confirmation")
        verbose_name_plural = gettext_lazy("attendance confirmations")

    def __str__(self) -> str:
        return _("%(officer)s will attend %(checkin)s") % {
            "officer": self.officer,
            "checkin": self.checkin,
        }


class CalendarFeed(GuardedText):
    """A secret, revocable iCalendar link: the check-ins of one site, or of one officer
    across their sites. Only a hash of the token is stored."""

    guarded_text_fields = ("label",)

    site = models.ForeignKey(
        Site,
        verbose_name=gettext_lazy("site"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
    )
    officer = models.ForeignKey(
        LiaisonOfficer,
        verbose_name=gettext_lazy("officer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
    )
    label = models.CharField(
        verbose_name=gettext_lazy("label"), max_length=80, validators=[check_free_text]
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=gettext_lazy("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(
        verbose_name=gettext_lazy("revoked at"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(site__isnull=False, officer__isnull=True)
                | models.Q(site__isnull=True, officer__isnull=False),
                name="feed_is_for_a_site_or_an_officer",
            ),
        ]
        verbose_name = gettext_lazy("calendar feed")
        verbose_name_plural = gettext_lazy("calendar feeds")

    def __str__(self) -> str:
        return _("calendar feed: %(label)s") % {"label": self.label}

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ReminderSent(models.Model):
    """One reminder e-mail that went out, so that no reminder is ever sent twice."""

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", gettext_lazy("Upcoming check-in")
        OUTCOME = "outcome", gettext_lazy("Outcome awaiting entry")

    checkin = models.ForeignKey(
        CheckIn,
        verbose_name=gettext_lazy("check-in"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(verbose_name=gettext_lazy("kind"), max_length=10, choices=Kind.choices)
    recipient = models.EmailField(verbose_name=gettext_lazy("recipient"))
    sent_at = models.DateTimeField(verbose_name=gettext_lazy("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "kind", "recipient"], name="one_reminder_per_recipient"
            ),
        ]
        verbose_name = gettext_lazy("reminder sent")
        verbose_name_plural = gettext_lazy("reminders sent")

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.recipient} for {self.checkin}"
