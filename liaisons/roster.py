"""The site's police roster, as the PII guard needs it (`agreements.pii_guard`)."""

from __future__ import annotations

from django.db.models import Q

from liaisons.models import LiaisonOfficer


def site_officer_names(site_id: int) -> list[str]:
    """Names of every officer ever assigned to the site or registered for it: an old
    narrative may still name an officer who has moved on."""
    officers = LiaisonOfficer.objects.filter(
        Q(assignments__site_id=site_id) | Q(registered_for_id=site_id)
    )
    return sorted(set(officers.values_list("name", flat=True)))
