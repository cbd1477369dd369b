"""The reply page's two forms: choosing the month (a GET), writing the reply (a POST)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from agreements.pii_forms import ConfirmPii
from score_replies.models import MAX_TEXT
from score_replies.months import Month


def month_label(month: Month) -> str:
    return formats.date_format(month.first_day(), "YEAR_MONTH_FORMAT")


class MonthForm(forms.Form):
    """Which month's scorecard: the complete months offered and those already answered."""

    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args: Any, months: list[Month], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["month"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(m), month_label(m)) for m in months]

    def chosen(self) -> Month | None:
        """The month asked for when valid, else None (the page shows the newest)."""
        if not self.is_bound or not self.is_valid():
            return None
        return Month.parse(self.cleaned_data["month"])


class ReplyForm(ConfirmPii, forms.Form):
    # The month is chosen above the form; the service checks it again.
    month = forms.CharField(widget=forms.HiddenInput, label=_("Month"))
    text = forms.CharField(
        label=_("Your service's reply"),
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Printed beside the site's score as your service's words, with your service's "
            "name. Each change is kept as a new version. Never describe or name clients."
        ),
    )
