"""The forms of peer reports: filing (the community body, often on a phone), the review
(enter into the log, or decline), the status, and the public follow-up look-up."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.choices import Consent, DistanceBand, Impact
from agreements.dates import plausible_date
from agreements.forms import InteractionForm
from agreements.models import Site
from agreements.pii_forms import ConfirmPii
from agreements.widgets import DateInput
from peer_reports import rules
from peer_reports.models import FollowUpStatus, PeerReport
from peer_reports.services import impact_for_log, officers_for_log

# Plain words for the reporter's three choices, read aloud to them by the union worker.
CONSENT_CHOICES = [
    (Consent.SITE_ONLY, _("The site only — the site's staff read it; it is never counted "
                          "in any figure outside the site and never shown to police.")),
    (Consent.AGGREGATE, _("Counted — also counted, with no detail, in the anonymous totals "
                          "researchers and community bodies read. Never shown to police.")),
    (Consent.MEDIATION, _("Raised with police — the site may also raise it with the police "
                          "liaison to get it fixed, in its own words, without saying who "
                          "reported it.")),
]  # fmt: skip

# No hour is chosen until the worker chooses one: a skipped hour must not become midnight.
HOUR_CHOICES = [("", _("Choose the hour")),
                *((hour, f"{hour:02d}:00–{hour:02d}:59") for hour in range(24))]  # fmt: skip
NOT_SURE = _("Not sure")
CONSENT_REQUIRED = _("Ask the reporter what they agree to, and choose one of the three.")
HOUR_REQUIRED = _("Choose the hour it happened (the reporter's best guess is enough).")


def distance_choices(site: Site) -> list[tuple[str, Any]]:
    """The distance bands, with the size of the site's agreed buffer in the words."""
    metres = {"metres": site.buffer_metres}
    labels: dict[str, Any] = dict(DistanceBand.choices)
    labels[DistanceBand.BUFFER] = _("Inside the agreed buffer (within %(metres)s m)") % metres
    labels[DistanceBand.BEYOND] = _("Beyond the buffer (more than %(metres)s m)") % metres
    return [(band, labels[band]) for band in DistanceBand.values]


class FileForm(ConfirmPii, forms.ModelForm):
    """What a union worker can know: what police did, where, when (day and hour), how
    many, how, and what it did to the site; what the reporter agreed to."""

    day = forms.DateField(label=_("Day it happened"), widget=DateInput())
    hour = forms.TypedChoiceField(
        label=_("Hour it happened"),
        choices=HOUR_CHOICES,
        coerce=int,
        empty_value=None,
        help_text=_("The hour is enough: minutes are never kept."),
        error_messages={"required": HOUR_REQUIRED},
    )

    class Meta:
        model = PeerReport
        fields = [
            "category",
            "distance_band",
            "officers_present",
            "plain_clothes",
            "vehicle_present",
            "impact",
            "narrative",
            "consent",
        ]
        widgets = {
            "distance_band": forms.RadioSelect,
            # Radio buttons read better than a menu on a phone.
            "impact": forms.RadioSelect,
            "consent": forms.RadioSelect(choices=CONSENT_CHOICES),
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "officers_present": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }
        help_texts = {
            "consent": _("Ask the reporter and read the three choices to them."),
            "officers_present": _("Leave empty if the reporter is not sure."),
            "impact": _("Choose “Not sure” if the reporter does not know: the site will "
                        "fill it in."),
        }  # fmt: skip
        error_messages = {"consent": {"required": CONSENT_REQUIRED}}

    field_order = ["category", "day", "hour", "distance_band"]

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        self.instance.site = site
        self.fields["distance_band"].choices = distance_choices(site)  # type: ignore[attr-defined]
        self.fields["consent"].choices = CONSENT_CHOICES  # type: ignore[attr-defined]
        # "Not sure" first: it is what a skipped question records, never a fact.
        self.fields["impact"].choices = [("", NOT_SURE), *Impact.choices]  # type: ignore[attr-defined]
        # Nothing the reporter did not say is pre-filled: the consent, the hour, the
        # number of officers and the impact start unanswered (the model's defaults are
        # not the reporter's answers). The day may start at today.
        for name in ("consent", "officers_present", "impact"):
            self.initial[name] = None
        if not self.is_bound:
            self.initial.setdefault("day", site.today())

    def add_error(self, field: str | None, error: Any) -> None:
        # The model speaks of `occurred_at`; this form asks for it as a day and an hour.
        if field == "occurred_at":
            field = "day"
        moved = getattr(error, "error_dict", {}) if isinstance(error, ValidationError) else {}
        if "occurred_at" in moved:
            moved["day"] = moved.pop("occurred_at")
        super().add_error(field, error)

    def clean_day(self) -> Any:
        day = self.cleaned_data["day"]
        plausible_date(day)
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, hour = data.get("day"), data.get("hour")
        if day is not None and hour is not None:
            self.instance.occurred_at = datetime.combine(day, time(hour), tzinfo=self.site.tz)
        return data


class EnterForm(InteractionForm):
    """The interaction the report becomes, every field the manager may correct; the
    source and the reporter's consent are the report's, set by the service, so they are
    no inputs here (the page shows them as text)."""

    prefix = "enter"
    fixed_by_the_service = ("source", "consent")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fixed_by_the_service:
            del self.fields[name]


class DeclineForm(ConfirmPii, forms.ModelForm):
    prefix = "decline"

    class Meta:
        model = PeerReport
        fields = ["decline_reason"]
        widgets = {"decline_reason": forms.Textarea(attrs={"rows": 2})}
        labels = {"decline_reason": _("Why decline it (kept for the site)")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decline_reason"].required = True


class StatusForm(forms.Form):
    prefix = "status"
    status = forms.ChoiceField(label=_("Follow-up status"), choices=FollowUpStatus.choices)

    def __init__(self, *args: Any, report: PeerReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = rules.next_statuses(report.status, mediation_consent=report.mediation_consent)
        labels = dict(FollowUpStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed]  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    code = forms.CharField(
        label=_("Your follow-up code"),
        max_length=200,
        help_text=_(
            "The five words you were given, in order. Capitals do not matter; "
            "spaces or dashes between the words are best."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


def enter_initial(report: PeerReport) -> dict[str, Any]:
    """The review form starts from what the community body filed."""
    return {
        "occurred_at": report.occurred_at,
        "category": report.category,
        "distance_band": report.distance_band,
        "officers_present": officers_for_log(report),
        "plain_clothes": report.plain_clothes,
        "vehicle_present": report.vehicle_present,
        "impact": impact_for_log(report),
        "narrative": report.narrative,
    }
