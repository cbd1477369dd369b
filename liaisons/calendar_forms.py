"""The form that makes a calendar link: what the link is for, and a label to know it by."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.pii_forms import ConfirmPii
from liaisons.models import LiaisonOfficer

SITE_SUBJECT = "site"


def officer_subject(officer: LiaisonOfficer) -> str:
    return f"officer-{officer.pk}"


class CalendarFeedForm(ConfirmPii, forms.Form):
    """Managers choose the site's calendar or one officer's; a liaison's link is always
    for their own check-ins, so their form has the label alone."""

    subject = forms.ChoiceField(
        label=gettext_lazy("Calendar of"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "An officer's calendar holds their check-ins at the sites you manage."
        ),
    )
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=80,
        help_text=gettext_lazy(
            "Who or what the link is for, e.g. “front desk calendar”. "
            "Do not put anything about clients here."
        ),
    )

    def __init__(
        self, *args: Any, officers: list[LiaisonOfficer] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if officers is None:
            del self.fields["subject"]
            return
        self.officers = {officer_subject(o): o for o in officers}
        choices = [(SITE_SUBJECT, _("All of the site's check-ins"))]
        choices += [
            (key, _("Check-ins of %(officer)s") % {"officer": o})
            for key, o in self.officers.items()
        ]
        subject = self.fields["subject"]
        assert isinstance(subject, forms.ChoiceField)
        subject.choices = choices
        subject.initial = SITE_SUBJECT

    def chosen_officer(self) -> LiaisonOfficer | None:
        """The officer chosen, or None for the site's calendar (after `is_valid()`)."""
        return getattr(self, "officers", {}).get(self.cleaned_data.get("subject", ""))
