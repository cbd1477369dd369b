"""The consultation pages' forms: opening a version for consultation and extending it
(managers), a comment (the community body) and an answer (managers). The texts carry
the PII guard's confirmation box (agreements/pii_forms.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.pii_forms import ConfirmPii
from consultations import rules
from consultations.models import Answer, Comment

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpenForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Last day to comment"),
        widget=DATE_WIDGET,
        help_text=_(
            "The community body comments until the end of this day, at the site; at most "
            "90 days from today."
        ),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].initial = today + timedelta(days=rules.DEFAULT_DAYS)


class ExtendForm(forms.Form):
    prefix = "extend"

    closes_on = forms.DateField(
        label=_("New last day to comment"),
        widget=DATE_WIDGET,
        help_text=_("A later day, at most 90 days from today."),
    )


class CloseForm(forms.Form):
    """Closing early ends the community body's say on the version: a deliberate act, with
    a box to tick, away from the Extend button."""

    prefix = "close"

    confirm = forms.BooleanField(
        label=_("I want to close it before its closing day"),
        error_messages={
            "required": _(
                "Not closed: tick the box to confirm that the consultation closes before "
                "its closing day."
            )
        },
        help_text=_("The community body can no longer comment once it is closed."),
    )


class CommentForm(ConfirmPii, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        labels = {"text": _("Your comment")}


class AnswerForm(ConfirmPii, forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("The site's answer")}
