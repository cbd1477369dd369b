"""The thread page's two forms: a reply (both sides) and the status (the site's managers).
Both carry the PII guard's confirmation box (agreements/pii_forms.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.pii_forms import ConfirmPii
from mediation import rules
from mediation.models import SharedThread, ThreadReply


class ReplyForm(ConfirmPii, forms.ModelForm):
    class Meta:
        model = ThreadReply
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": _("Your reply")}


class StatusForm(ConfirmPii, forms.ModelForm):
    prefix = "status"

    class Meta:
        model = SharedThread
        fields = ["status", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors = rules.status_errors(data.get("status") or "", data.get("outcome") or "")
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return self.cleaned_data
