"""Template filters shared by pages and reports."""

from django import template

register = template.Library()


@register.filter
def label(key: str) -> str:
    """A machine key as words: "at_risk" → "At risk", "lead_time" → "Lead time"."""
    return str(key).replace("_", " ").capitalize()


@register.filter
def get_item(mapping: dict, key: str) -> object:
    """mapping[key] in a template, for mappings keyed by a variable."""
    return mapping.get(key, "")


@register.filter
def request_count(row: object, basis: str) -> int:
    """A transparency row's requests on one legal basis (disclosed or not)."""
    return int(row.requests(basis))  # type: ignore[attr-defined]
