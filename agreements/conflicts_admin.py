"""The check against concurrent edits on the Django admin's change forms.

The admin saves a change form inside one transaction (`changeform_view` is atomic), and
validates the form inside it: so the check in `clean` locks the row, compares it with the
values the form was opened with, and keeps the lock until the admin's save commits.
Only the model's own fields are compared, not those of inlines (a site's hours, a
protocol's clauses), which the site's own pages guard.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.conflicts import (
    SHOWN_FIELD,
    TOKEN_FIELD,
    EditGuard,
    Watch,
    carry_over,
    form_labels,
)


class ConflictCheckedAdmin(admin.ModelAdmin):
    """A change form is refused if the record changed since the form was opened."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        # The fieldsets name the hidden fields this adds; the model's form must not see them.
        given = "fields" in kwargs
        fields = kwargs.pop("fields", None)
        if not given:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        fields = [f for f in fields if f not in HIDDEN] if fields is not None else None
        form = super().get_form(request, obj, change, fields=fields, **kwargs)
        if obj is None or obj.pk is None or not self.has_change_permission(request, obj):
            return form
        names = {f.name for f in self.model._meta.get_fields()}
        watch = Watch(model=self.model, fields=tuple(n for n in form.base_fields if n in names))
        labels = form_labels(form)
        guard = EditGuard.for_record(request, obj, watch, labels=labels)
        return type(form.__name__, (_CheckedForm, form), {"guard": guard})


HIDDEN = (TOKEN_FIELD, SHOWN_FIELD)


class _CheckedForm(forms.ModelForm):
    guard: EditGuard
    loaded_as = forms.CharField(widget=forms.HiddenInput, required=False)
    loaded_shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD].initial = self.guard.token
        self.fields[SHOWN_FIELD].initial = self.guard.shown_json

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if self.guard.refused or not self.guard.check():
            # The form shown again carries the values now, like the site's own pages.
            carry_over(self, self.guard)
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict, kept multi-valued
            data[TOKEN_FIELD] = self.guard.token
            data[SHOWN_FIELD] = self.guard.shown_json
            self.data = data
            by = _admin_log_by(self.instance, self.guard)
            lines = [
                (_("%(label)s: %(before)s → %(after)s (%(by)s)") if c.before is not None
                 else _("%(label)s: now %(after)s (%(by)s)"))
                % {"label": c.label, "before": c.before, "after": c.after,
                   "by": c.by or by or _("not recorded")}
                for c in self.guard.changes
            ]  # fmt: skip
            raise ValidationError([self.guard.problem, *lines])
        return data


def _admin_log_by(obj: models.Model, guard: EditGuard) -> str:
    """Who last changed the record in the admin since the form was opened (the admin
    keeps its own log; the site's pages write the audit log)."""
    if guard.loaded is None:
        return ""
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            action_time__gte=guard.loaded.at,
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is None:
        return ""
    return _("%(who)s on %(when)s") % {
        "who": entry.user.get_username(),
        "when": timezone.localtime(entry.action_time).strftime("%Y-%m-%d %H:%M"),
    }
