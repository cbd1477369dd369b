"""Which download links a signed-in user is offered."""

from __future__ import annotations

from django import template
from django.conf import settings

from agreements.access import RESEARCH_EXPORT_ROLES, roles_by_site
from agreements.types import AnyUser

register = template.Library()


@register.filter
def offers_research_csv(user: AnyUser) -> bool:
    """Whether the dashboard offers the research CSV: to researchers and admins, who
    read across sites. Managers may call the API too, but their own site's exports page
    serves them better. No query: the roles are cached on the user by the page's view."""
    return any(held & RESEARCH_EXPORT_ROLES for held in roles_by_site(user).values())


@register.simple_tag
def suppression_threshold() -> int:
    """T of SPEC §8, as set for this deployment."""
    return int(settings.HR_POLICE_SUPPRESSION_THRESHOLD)
