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
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.widgets import DateInput

ANY_YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]

# The sort choices' labels, by URL parameter. django-filter would make them from the
# parameter when the filter class is built (at import, so always in English); lazy
# labels follow the request's language. Same English as django-filter's.
SORT_LABELS: dict[str, Promise] = {
    "name": _("Name"),
    "contact_verified": _("Contact verified"),
    "start": _("Start"),
    "end": _("End"),
    "role": _("Role"),
    "version": _("Version"),
    "effective_from": _("Effective from"),
    "date": _("Date"),
    "kind": _("Kind"),
    "rank": _("Rank"),
    "stance": _("Stance"),
    "status": _("Status"),
    "when": _("When"),
    "category": _("Category"),
    "visits": _("Visits"),
}


def sort_filter(ordering: tuple[tuple[str, str], ...]) -> django_filters.OrderingFilter:
    """A sort select whose labels are translated: "Name", "Name (descending)"."""
    labels: dict[str, Any] = {}
    for field_name, param in ordering:
        labels[field_name] = SORT_LABELS[param]
        labels[f"-{param}"] = format_lazy(_("{} (descending)"), SORT_LABELS[param])
    return django_filters.OrderingFilter(fields=ordering, field_labels=labels, label=_("Sort by"))


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
        attrs["sort"] = sort_filter(ordering)
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": [], "form": DateRangeForm})
    return type(f"{model.__name__}FilterSet", (django_filters.FilterSet,), attrs)
