"""Native HTML5 inputs, so phones show a date, time or number picker instead of a keyboard,
and a local date-time field that never fails on odd input."""

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from agreements.dates import EARLIEST, LATEST, OUT_OF_RANGE


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in the current (site's) timezone.

    Refuses years outside the tracker's range before any timezone arithmetic (which would
    overflow near year 1 or 9999), and resolves the hour repeated or skipped at a daylight
    saving change to its first reading instead of refusing it: the time is what the user
    saw on the clock.
    """

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateTimeInput())
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            naive = value
        else:
            text = str(value).strip()
            try:
                parsed = parse_datetime(text) or BaseTemporalField.to_python(self, text)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            if not isinstance(parsed, datetime):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            naive = parsed
        if timezone.is_aware(naive):
            return naive
        if not EARLIEST.year <= naive.year <= LATEST.year:
            raise ValidationError(OUT_OF_RANGE, code="out_of_range")
        return naive.replace(tzinfo=timezone.get_current_timezone())


def use_native_inputs(form: forms.BaseForm) -> None:
    """Swap default text inputs for typed ones on every date, time and date-time field."""
    for name, field in list(form.fields.items()):
        if isinstance(field, forms.DateTimeField):
            form.fields[name] = LocalDateTimeField(
                required=field.required,
                label=field.label,
                help_text=field.help_text,
                initial=field.initial,
                validators=field.validators,
            )
        elif isinstance(field, forms.DateField):
            field.widget = DateInput()
        elif isinstance(field, forms.TimeField):
            field.widget = TimeInput()
