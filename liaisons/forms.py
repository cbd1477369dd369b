"""Forms for officers, assignments, schedules and check-ins of one site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from agreements.forms import SiteRecordForm
from agreements.models import Site
from agreements.widgets import use_native_inputs
from liaisons import picker
from liaisons.models import CheckIn, CheckInSchedule, LiaisonAssignment, LiaisonOfficer
from liaisons.schedules import DAY_NAMES, ORDINALS, describe_rrule


class OfficerForm(forms.ModelForm):
    service_name = forms.CharField(
        label=gettext_lazy("Police service"),
        max_length=160,
        help_text=gettext_lazy("For example: Lakeport Police Service."),
    )

    class Meta:
        model = LiaisonOfficer
        fields = [
            "service_name",
            "name",
            "rank",
            "badge_number",
            "email",
            "phone",
            "contact_verified_on",
            "active",
        ]
        widgets = {"email": forms.EmailInput(), "phone": forms.TextInput(attrs={"type": "tel"})}
        # The model fields' own names, as labels that can be translated.
        labels = {
            "name": gettext_lazy("Name"),
            "rank": gettext_lazy("Rank"),
            "badge_number": gettext_lazy("Badge number"),
            "email": gettext_lazy("Email"),
            "phone": gettext_lazy("Phone"),
            "contact_verified_on": gettext_lazy("Contact verified on"),
            "active": gettext_lazy("Active"),
        }

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        if self.instance.pk:
            self.fields["service_name"].initial = self.instance.service.name
        use_native_inputs(self)


class AssignmentForm(SiteRecordForm):
    class Meta:
        model = LiaisonAssignment
        fields = ["officer", "role", "start", "end"]
        labels = {
            "officer": gettext_lazy("Officer"),
            "role": gettext_lazy("Role"),
            "start": gettext_lazy("Start"),
            "end": gettext_lazy("End"),
        }

    def __init__(self, *args: Any, officers: QuerySet[LiaisonOfficer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


REPEATS = {
    picker.WEEKLY: pgettext_lazy("schedule picker", "Weekly, or every few weeks"),
    picker.MONTHLY_WEEKDAY: pgettext_lazy(
        "schedule picker", "Monthly, on a weekday (the first Wednesday…)"
    ),
    picker.MONTHLY_DAY: pgettext_lazy(
        "schedule picker", "Monthly, on a day of the month (the 15th…)"
    ),
    picker.DAILY: pgettext_lazy("schedule picker", "Daily, or every few days"),
    picker.ADVANCED: pgettext_lazy("schedule picker", "Advanced: the RFC 5545 rule below"),
}


def _repeat_choices() -> list[tuple[str, Any]]:
    return list(REPEATS.items())


def _weekday_choices() -> list[tuple[str, Any]]:
    return [(code, names[0]) for code, names in DAY_NAMES.items()]


def _position_choices() -> list[tuple[str, Any]]:
    return [("", "—"), *((str(n), ORDINALS[n]) for n in picker.POSITIONS)]


def _month_day_choices() -> list[tuple[str, Any]]:
    last = pgettext_lazy("recurrence: day of the month", "last")
    return [("", "—"), *((str(n), str(n) if n > 0 else last) for n in picker.MONTH_DAYS)]


PICKER_FIELDS = ("repeats", "interval", "weekdays", "position", "weekday", "month_day")


class ScheduleForm(SiteRecordForm):
    """A schedule, its rule written by the picker ("every first Wednesday of the month")
    or, under "Advanced", typed as an RFC 5545 rule. The server writes the rule from the
    picker (`liaisons.picker`), so the form works without JavaScript."""

    repeats = forms.ChoiceField(
        label=pgettext_lazy("schedule picker", "Repeats"), choices=_repeat_choices
    )
    interval = forms.IntegerField(
        label=pgettext_lazy("schedule picker", "Every how many days, weeks or months"),
        min_value=1,
        max_value=picker.MAX_INTERVAL,
        initial=1,
        help_text=pgettext_lazy(
            "schedule picker", "1: every week (or month, or day); 2: every other one; and so on."
        ),
    )
    weekdays = forms.MultipleChoiceField(
        label=pgettext_lazy("schedule picker", "Days of the week (weekly)"),
        choices=_weekday_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    position = forms.TypedChoiceField(
        label=pgettext_lazy("schedule picker", "Which one in the month (monthly, on a weekday)"),
        choices=_position_choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    weekday = forms.ChoiceField(
        label=pgettext_lazy("schedule picker", "Day of the week (monthly, on a weekday)"),
        choices=lambda: [("", "—"), *_weekday_choices()],
        required=False,
    )
    month_day = forms.TypedChoiceField(
        label=pgettext_lazy("schedule picker", "Day of the month (monthly, on a day)"),
        choices=_month_day_choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=pgettext_lazy(
            "schedule picker", "Months without that day (the 31st in April) are skipped."
        ),
    )

    class Meta:
        model = CheckInSchedule
        fields = [
            "key",
            "rrule",
            "start",
            "end",
            "start_time",
            "duration_minutes",
            "format",
            "location",
            "expected_officers",
        ]
        widgets = {"expected_officers": forms.CheckboxSelectMultiple}
        labels = {
            "rrule": gettext_lazy("Advanced: RFC 5545 rule"),
            "start": gettext_lazy("Start"),
            "end": gettext_lazy("End"),
            "start_time": gettext_lazy("Start time"),
            "format": gettext_lazy("Format"),
            "location": gettext_lazy("Location"),
            "expected_officers": gettext_lazy("Expected officers"),
        }
        help_texts = {
            "rrule": gettext_lazy(
                "Used when Repeats is “Advanced”, for example FREQ=MONTHLY;BYDAY=2TU. "
                "Otherwise the choices above write it."
            ),
        }

    field_order = ["key", *PICKER_FIELDS, "rrule"]

    def __init__(self, *args: Any, officers: QuerySet[LiaisonOfficer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_officers"].queryset = officers  # type: ignore[attr-defined]
        self.fields["rrule"].required = False  # the picker writes it, unless "Advanced"
        stored = self.instance.rrule if self.instance.pk else ""
        chosen = picker.rrule_to_picker(stored) if stored else picker.Picker(picker.WEEKLY)
        if stored:  # the stored rule in words, whether the picker can write it or not
            now = gettext("Now: %(rule)s.") % {
                "rule": describe_rrule(stored, self.instance.start_time)
            }
            self.fields["rrule"].help_text = f"{now} {self.fields['rrule'].help_text}"
        for name, value in _picker_initial(chosen).items():
            self.initial.setdefault(name, value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        repeats = cleaned.get("repeats")
        if repeats is None or any(name in self.errors for name in PICKER_FIELDS):
            return cleaned
        if repeats == picker.ADVANCED:
            if not cleaned.get("rrule") and "rrule" not in self.errors:
                self.add_error(
                    "rrule",
                    gettext_lazy(
                        "Enter a rule, for example FREQ=MONTHLY;BYDAY=2TU, or choose how "
                        "the schedule repeats above."
                    ),
                )
            return cleaned
        chosen = picker.Picker(
            repeats,
            interval=cleaned.get("interval") or 1,
            weekdays=tuple(cleaned.get("weekdays") or ()),
            position=cleaned.get("position"),
            weekday=cleaned.get("weekday") or None,
            month_day=cleaned.get("month_day"),
        )
        try:
            rule = picker.picker_to_rrule(chosen)
        except picker.PickerError as error:
            self.add_error(error.field, PICKER_MESSAGES[error.field])
            return cleaned
        cleaned["rrule"] = rule
        self.errors.pop("rrule", None)
        # The page shown again (a preview, an error elsewhere) displays the rule written.
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data[self.add_prefix("rrule")] = rule
        self.data = data
        return cleaned


PICKER_MESSAGES = {
    "repeats": gettext_lazy("Choose how the schedule repeats."),
    "interval": gettext_lazy("Enter how many days, weeks or months apart, from 1 to 52."),
    "weekdays": gettext_lazy("Choose at least one day of the week."),
    "position": gettext_lazy(
        "Choose which one in the month: first, second, third, fourth or last."
    ),
    "weekday": gettext_lazy("Choose the day of the week."),
    "month_day": gettext_lazy("Choose the day of the month."),
}


def _picker_initial(chosen: picker.Picker | None) -> dict[str, Any]:
    if chosen is None:  # a rule the picker cannot write: the advanced field keeps it
        return {"repeats": picker.ADVANCED, "interval": 1}
    return {
        "repeats": chosen.pattern,
        "interval": chosen.interval,
        "weekdays": list(chosen.weekdays),
        "position": "" if chosen.position is None else str(chosen.position),
        "weekday": chosen.weekday or "",
        "month_day": "" if chosen.month_day is None else str(chosen.month_day),
    }


class CheckInForm(SiteRecordForm):
    class Meta:
        model = CheckIn
        fields = ["schedule", "scheduled_start", "duration_minutes", "format", "status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "schedule": gettext_lazy("Schedule"),
            "scheduled_start": gettext_lazy("Starts (local time)"),
            "format": gettext_lazy("Format"),
            "status": gettext_lazy("Status"),
            "notes": gettext_lazy("Notes"),
        }

    def __init__(self, *args: Any, schedules: QuerySet[CheckInSchedule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = schedules  # type: ignore[attr-defined]
