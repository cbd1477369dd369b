"""The confirmation box of the PII guard on pages (agreements.pii_guard).

A warning ("This seems to describe a client: …") is shown on the field it concerns, the
text typed is kept, and a checkbox "This text describes police, not a client" appears
below the form's fields; ticking it and saving again saves. Refusals (an e-mail address,
a phone number…) are not warnings: no box can pass them.

The box is in every form that writes guarded text, hidden until a warning needs it, so
that the page's fields and their order do not change for the common case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.pii import WARNING_CODE

CONFIRM_FIELD = "pii_confirmed"
CONFIRM_LABEL = _("This text describes police, not a client")


def warned_fields(form: forms.BaseForm) -> list[str]:
    """The form's fields that hold a warning the writer may confirm."""
    if not hasattr(form, "cleaned_data"):
        return []  # not validated yet
    return [
        name
        for name, errors in form.errors.as_data().items()
        if any(error.code == WARNING_CODE for error in errors)
    ]


def posted_confirmation(data: Any, prefix: str | None = None) -> bool:
    """Whether the page's confirmation box was ticked (read before validation, for
    records written together with the form that carries the box: protocol clauses)."""
    name = f"{prefix}-{CONFIRM_FIELD}" if prefix else CONFIRM_FIELD
    return bool(data) and str(data.get(name, "")).lower() in ("on", "true", "1")


class ClauseForm(forms.ModelForm):
    """A protocol clause: confirmed (or not) by the box of the protocol's own form,
    since the clauses are saved with it."""

    def _post_clean(self) -> None:
        self.instance.pii_confirmed = posted_confirmation(self.data)
        super()._post_clean()  # type: ignore[misc]


class ConfirmPii(forms.BaseForm):
    """A form mixin: adds the confirmation box and hands its value to the record (as
    the transient `pii_confirmed`) before the model's own validation runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[CONFIRM_FIELD] = forms.BooleanField(
            label=CONFIRM_LABEL, required=False, widget=forms.HiddenInput
        )

    @property
    def confirmed(self) -> bool:
        return posted_confirmation(self.data, self.prefix) if self.is_bound else False

    def _post_clean(self) -> None:
        instance = getattr(self, "instance", None)
        if instance is not None:
            instance.pii_confirmed = self.confirmed
        super()._post_clean()  # type: ignore[misc]

    def full_clean(self) -> None:
        super().full_clean()
        self.offer_confirmation(warned_fields(self))

    def offer_confirmation(self, fields: Iterable[str], described_by: Iterable[str] = ()) -> None:
        """Show the box, described by the warnings it confirms (`fields` of this form,
        and element ids `described_by` elsewhere on the page). Shown also while ticked,
        so that it can be unticked."""
        ids = [f"{self[name].auto_id}_error" for name in fields] + list(described_by)
        if not ids and not self.confirmed:
            return
        box = self.fields[CONFIRM_FIELD]
        box.widget = forms.CheckboxInput(attrs={"aria-describedby": " ".join(ids)} if ids else {})
