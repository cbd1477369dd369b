"""Forms for officers, assignments, schedules and check-ins of one site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from agreements.forms import SiteRecordForm
from agreements.models import Site
from agreements.widgets import use_native_inputs
from liaisons.models import CheckIn, CheckInSchedule, LiaisonAssignment, LiaisonOfficer


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


class ScheduleForm(SiteRecordForm):
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
            "start": gettext_lazy("Start"),
            "end": gettext_lazy("End"),
            "start_time": gettext_lazy("Start time"),
            "format": gettext_lazy("Format"),
            "location": gettext_lazy("Location"),
            "expected_officers": gettext_lazy("Expected officers"),
        }

    def __init__(self, *args: Any, officers: QuerySet[LiaisonOfficer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_officers"].queryset = officers  # type: ignore[attr-defined]


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
