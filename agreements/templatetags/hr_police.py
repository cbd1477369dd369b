"""Template filters shared by pages and reports."""

from typing import Any

from django import forms, template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import pgettext, pgettext_lazy

from agreements.audit_details import detail_display

register = template.Library()


@register.filter
def audit_detail(detail: str) -> str:
    """An audit entry's detail in the reader's language (agreements/audit_details.py)."""
    return detail_display(detail)


# The machine keys pages and reports show as words (factors, criteria, bands, site
# statuses), translatable; the keys themselves stay as they are in the API and exports.
KEY_LABELS = {
    "early_engagement": pgettext_lazy("score factor", "Early engagement"),
    "senior_support": pgettext_lazy("score factor", "Senior support"),
    "dedicated_liaison": pgettext_lazy("score factor", "Dedicated liaison"),
    "entry_presence_agreement": pgettext_lazy("score factor", "Entry presence agreement"),
    "regular_contact": pgettext_lazy("score factor", "Regular contact"),
    "lead_time": pgettext_lazy("score criterion", "Lead time"),
    "dialogues": pgettext_lazy("score criterion", "Dialogues"),
    "exemption_briefing": pgettext_lazy("score criterion", "Exemption briefing"),
    "chief_support": pgettext_lazy("score criterion", "Chief support"),
    "senior_admin_support": pgettext_lazy("score criterion", "Senior admin support"),
    "directive": pgettext_lazy("score criterion", "Directive"),
    "opposition": pgettext_lazy("score criterion", "Opposition"),
    "primary": pgettext_lazy("score criterion", "Primary"),
    "backup": pgettext_lazy("score criterion", "Backup"),
    "contact_verified": pgettext_lazy("score criterion", "Contact verified"),
    "protocol_acknowledged": pgettext_lazy("score criterion", "Protocol acknowledged"),
    "status": pgettext_lazy("score criterion", "Status"),
    "coverage": pgettext_lazy("score criterion", "Coverage"),
    "compliance": pgettext_lazy("score criterion", "Compliance"),
    "schedule": pgettext_lazy("score criterion", "Schedule"),
    "adherence": pgettext_lazy("score criterion", "Adherence"),
    "non_operational_contact": pgettext_lazy("score criterion", "Non operational contact"),
    "strong": pgettext_lazy("score band", "Strong"),
    "developing": pgettext_lazy("score band", "Developing"),
    "fragile": pgettext_lazy("score band", "Fragile"),
    "at_risk": pgettext_lazy("score band", "At risk"),
    "planned": pgettext_lazy("site status", "Planned"),
    "open": pgettext_lazy("site status", "Open"),
    "closed": pgettext_lazy("site status", "Closed"),
}


@register.filter
def label(key: str) -> str:
    """A machine key as words: "at_risk" → "At risk", "lead_time" → "Lead time", in the
    active language where the key is known."""
    known = KEY_LABELS.get(str(key))
    return str(known) if known is not None else str(key).replace("_", " ").capitalize()


@register.filter
def record_type(model_name: str) -> str:
    """An audit entry's object type (a model name, "liaisonofficer") as the model's own
    name in the active language: "Liaison officer", « Agent de liaison »."""
    for app_label in ("agreements", "liaisons", "perception", "auth"):
        try:
            model = apps.get_model(app_label, str(model_name))
        except LookupError:
            continue
        return capfirst(str(model._meta.verbose_name))
    return label(model_name)


@register.filter
def audit_fields(entry: object) -> str:
    """The fields an audit entry names, by their names in the active language where its
    record's model has them ("narrative" → « récit »), else as written."""
    names = list(getattr(entry, "fields", None) or [])
    model = None
    for app_label in ("agreements", "liaisons", "perception", "auth"):
        try:
            model = apps.get_model(app_label, str(getattr(entry, "object_type", "") or ""))
            break
        except (LookupError, ValueError):
            continue
    shown = []
    for name in names:
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:  # not a field of the model (e.g. "hours", "two_factor")
            field = None
        shown.append(str(getattr(field, "verbose_name", None) or label(name)))
    return ", ".join(shown)


@register.filter
def get_item(mapping: dict, key: str) -> object:
    """mapping[key] in a template, for mappings keyed by a variable."""
    return mapping.get(key, "")


@register.filter
def request_count(row: object, basis: str) -> int:
    """A transparency row's requests on one legal basis (disclosed or not)."""
    return int(row.requests(basis))  # type: ignore[attr-defined]


@register.filter
def span(value: object) -> str:
    """A score figure that may be an interval (`scoring.intervals.Span`, read by its ends
    so that this layer imports no scoring): "71.4", or "60.0–64.0" in the active
    language's number format; anything else as Django would print it."""
    low, high = getattr(value, "lo", value), getattr(value, "hi", value)
    if low == high:
        return str(localize(low))
    return f"{localize(low)}–{localize(high)}"


@register.filter
def band_range(value: object) -> str:
    """A band, or a range of bands (`scoring.intervals.BandRange`) as words."""
    low, high = getattr(value, "lo", value), getattr(value, "hi", value)
    if low == high:
        return label(str(low))
    return pgettext("a range of score bands", "%(low)s to %(high)s") % {
        "low": label(str(low)),
        "high": label(str(high)),
    }


@register.filter
def radio_initials(form: Any) -> SafeString:
    """The hidden inputs that carry the value each radio group displayed (Django's
    `show_hidden_initial`, read by agreements.conflicts after a refused save): crispy's
    radio template leaves them out, so without them every radio group would read as
    changed by the user."""
    hidden = [
        form[name].as_hidden(only_initial=True)
        for name, field in form.fields.items()
        if field.show_hidden_initial and isinstance(field.widget, forms.RadioSelect)
    ]
    return mark_safe("".join(str(h) for h in hidden))  # Django renders and escapes each
