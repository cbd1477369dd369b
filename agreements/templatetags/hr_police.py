"""Template filters shared by pages and reports."""

from django import template

register = template.Library()


@register.filter
def label(key: str) -> str:
    """A machine key as words: "at_risk" → "At risk", "lead_time" → "Lead time"."""
    return str(key).replace("_", " ").capitalize()
