"""Filter and sort forms for list pages, built with django-filter.

Bad query strings never raise: an invalid value is reported on the filter form and the
filter it belongs to is ignored.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.widgets import DateInput

ANY_YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


def yes_no_filter(label: str | Promise, **kwargs: Any) -> django_filters.BooleanFilter:
    return django_filters.BooleanFilter(
        label=label, widget=forms.Select(choices=ANY_YES_NO), **kwargs
    )


class DateRangeForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("“To” must be on or after “From”."))
        return data


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a concrete field"
    return field


def make_filterset(
    model: type[models.Model],
    *,
    choice_fields: tuple[str, ...] = (),
    bool_fields: tuple[str, ...] = (),
    date_field: str | None = None,
    ordering: tuple[tuple[str, str], ...] = (),
    extra: dict[str, django_filters.Filter] | None = None,
) -> type[django_filters.FilterSet]:
    """A FilterSet class with one select per choice field, a date range and a sort."""
    attrs: dict[str, Any] = dict(extra or {})
    for name in choice_fields:
        field = _field(model, name)
        attrs[name] = django_filters.ChoiceFilter(
            choices=field.choices, label=capfirst(field.verbose_name)
        )
    for name in bool_fields:
        field = _field(model, name)
        attrs[name] = yes_no_filter(capfirst(field.verbose_name))
    if date_field:
        is_datetime = isinstance(model._meta.get_field(date_field), models.DateTimeField)
        lookup_field = f"{date_field}__date" if is_datetime else date_field
        attrs["date_from"] = django_filters.DateFilter(
            field_name=lookup_field, lookup_expr="gte", label=_("From"), widget=DateInput()
        )
        attrs["date_to"] = django_filters.DateFilter(
            field_name=lookup_field, lookup_expr="lte", label=_("To"), widget=DateInput()
        )
    if ordering:
        attrs["sort"] = django_filters.OrderingFilter(fields=ordering, label=_("Sort by"))
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": [], "form": DateRangeForm})
    return type(f"{model.__name__}FilterSet", (django_filters.FilterSet,), attrs)
