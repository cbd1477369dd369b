"""The forms of the self-assessment pages: opening a round, and one person's answer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.pii_forms import ConfirmPii
from perception.instrument import SCALE, UNANSWERED, Statement, statements
from perception.services import AnswerIn

DEFAULT_ROUND_DAYS = 30


class RoundOpenForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Last day to answer"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Each side answers until the end of this day, at the site."),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].initial = today + timedelta(days=DEFAULT_ROUND_DAYS)


class AnswerForm(ConfirmPii, forms.Form):
    """Every statement of the round's instrument: a rating (required) and a comment."""

    def __init__(self, *args: Any, instrument: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements: tuple[Statement, ...] = statements(instrument)
        for statement in self.statements:
            self.fields[f"rating_{statement.key}"] = forms.TypedChoiceField(
                label=statement.text,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": UNANSWERED},
            )
            self.fields[f"comment_{statement.key}"] = forms.CharField(
                label=_("Comment (optional)"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Statement, forms.BoundField, forms.BoundField]]:
        """Each statement with its two fields, for the template."""
        return [(s, self[f"rating_{s.key}"], self[f"comment_{s.key}"]) for s in self.statements]

    def answers(self) -> list[AnswerIn]:
        data = self.cleaned_data
        return [
            AnswerIn(s.key, data[f"rating_{s.key}"], data.get(f"comment_{s.key}") or "")
            for s in self.statements
        ]
