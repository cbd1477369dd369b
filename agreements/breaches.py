"""Which logged interactions count as breaches of the agreement (SPEC §4). Pure rules."""

from django.db.models import Q

from agreements.choices import Category, DistanceBand, LegalBasis

_ALWAYS = frozenset(
    {
        Category.UNINVITED_ENTRY,
        Category.VEHICLE_IN_BUFFER,
        Category.STATIONED_IN_BUFFER,
        Category.STOP_OR_SEARCH,
        Category.ARREST_NEAR_SITE,
        Category.SUPPLIES_CONFISCATED,
        Category.PLAINCLOTHES_PRESENCE,
        Category.DOG_DEPLOYMENT,
        Category.UNREQUESTED_OVERDOSE_ATTENDANCE,
        Category.SURVEILLANCE,
    }
)
_AT_BUFFER_OR_CLOSER = frozenset({DistanceBand.INSIDE, DistanceBand.ENTRANCE, DistanceBand.BUFFER})

# Categories that describe police doing what the agreement hopes for.
POSITIVE_CATEGORIES = frozenset(
    {Category.LIAISON_MEDIATION, Category.REFERRAL_TO_SITE, Category.ALERT_SHARED}
)


def is_breach(*, category: str, notified: bool, distance_band: str, legal_basis: str) -> bool:
    """True when an interaction with these facts breaks the entry and presence agreement."""
    if category in _ALWAYS:
        return True
    if category == Category.EXCEPTION_ENTRY:
        return not notified
    if category == Category.DISPERSAL_ORDER:
        return distance_band in _AT_BUFFER_OR_CLOSER
    if category == Category.INFORMATION_REQUEST:
        return legal_basis == LegalBasis.NONE
    return False


def breach_q(prefix: str = "") -> Q:
    """The same rule as `is_breach`, as a database filter (kept equal by a test)."""
    p = prefix
    return (
        Q(**{f"{p}category__in": [c.value for c in _ALWAYS]})
        | Q(**{f"{p}category": Category.EXCEPTION_ENTRY, f"{p}site_notified": False})
        | Q(
            **{
                f"{p}category": Category.DISPERSAL_ORDER,
                f"{p}distance_band__in": [b.value for b in _AT_BUFFER_OR_CLOSER],
            }
        )
        | Q(**{f"{p}category": Category.INFORMATION_REQUEST, f"{p}legal_basis": LegalBasis.NONE})
    )
