"""Native HTML5 inputs, so phones show a date, time or number picker instead of a keyboard."""

from typing import Any

from django import forms


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


def use_native_inputs(form: forms.BaseForm) -> None:
    """Swap default text inputs for typed ones on every date, time and date-time field."""
    for field in form.fields.values():
        if isinstance(field, forms.DateTimeField):
            field.widget = DateTimeInput()
            field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        elif isinstance(field, forms.DateField):
            field.widget = DateInput()
        elif isinstance(field, forms.TimeField):
            field.widget = TimeInput()
