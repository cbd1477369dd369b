"""The forms of peer reports: filing (the community body, often on a phone), the review
(enter into the log, or decline), the status, and the public follow-up look-up."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.choices import Consent, DistanceBand
from agreements.dates import plausible_date
from agreements.forms import InteractionForm
from agreements.models import Site
from agreements.pii_forms import ConfirmPii
from agreements.widgets import DateInput
from peer_reports import rules
from peer_reports.models import FollowUpStatus, PeerReport

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

HOUR_CHOICES = [(hour, f"{hour:02d}:00–{hour:02d}:59") for hour in range(24)]


class FileForm(ConfirmPii, forms.ModelForm):
    """What a union worker can know: what police did, where, when (day and hour), how
    many, how, and what it did to the site; what the reporter agreed to."""

    day = forms.DateField(label=_("Day it happened"), widget=DateInput())
    hour = forms.TypedChoiceField(
        label=_("Hour it happened"),
        choices=HOUR_CHOICES,
        coerce=int,
        help_text=_("The hour is enough: minutes are never kept."),
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
        }

    field_order = ["category", "day", "hour", "distance_band"]

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        self.instance.site = site
        self.fields["distance_band"].choices = list(DistanceBand.choices)  # type: ignore[attr-defined]
        self.fields["consent"].choices = CONSENT_CHOICES  # type: ignore[attr-defined]
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
    source and the reporter's consent are the report's, set by the service."""

    prefix = "enter"


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
        help_text=_("The five words you were given, in order. Capitals and dashes do not matter."),
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
        "officers_present": report.officers_present,
        "plain_clothes": report.plain_clothes,
        "vehicle_present": report.vehicle_present,
        "impact": report.impact,
        "narrative": report.narrative,
    }
