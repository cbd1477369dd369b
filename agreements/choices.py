"""The fixed vocabularies of SPEC §3–§5. Values are stable interfaces (bundles, API, CSV)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SiteStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Site manager")
    LIAISON = "liaison", _("Police liaison officer")
    RESEARCHER = "researcher", _("Researcher")
    # A peer oversight body (a drug users' union, a community advisory committee), per
    # site, where the site opts in (SPEC §1).
    COMMUNITY = "community", _("Community oversight")


class ProtocolStatus(models.TextChoices):
    # A version (« une version ») in French: the words agree with it.
    DRAFT = "draft", pgettext_lazy("protocol status", "Draft")
    NEGOTIATING = "negotiating", pgettext_lazy("protocol status", "Negotiating")
    SIGNED = "signed", pgettext_lazy("protocol status", "Signed")
    ENDED = "ended", pgettext_lazy("protocol status", "Ended")


class Topic(models.TextChoices):
    ENTRY_DURING_HOURS = "entry_during_hours", _("No entry during operating hours")
    PROXIMITY_BUFFER = "proximity_buffer", _("No stationing or parking inside the buffer")
    ENTRY_EXCEPTIONS = "entry_exceptions", _("When entry is allowed")
    NOTIFICATION = "notification", _("Site told after any entry or enforcement near it")
    CONFLICT_RESOLUTION = "conflict_resolution", _("How disputes are raised and mediated")
    PLAINCLOTHES = "plainclothes", _("No plain-clothes or undercover presence")
    INFORMATION_SHARING = "information_sharing", _("No collection of client information")
    OTHER = "other", _("Other")


# The seven topics that make a complete entry and presence agreement (SPEC §5).
REQUIRED_TOPICS: tuple[str, ...] = tuple(t.value for t in Topic if t is not Topic.OTHER)


class EngagementKind(models.TextChoices):
    COMMUNITY_PLANNING = "community_planning", _("Community planning")
    DIALOGUE = "dialogue", _("Dialogue")
    EXEMPTION_BRIEFING = "exemption_briefing", _("Exemption briefing")
    TRAINING = "training", _("Training")


class SpeakerRank(models.TextChoices):
    CHIEF = "chief", _("Chief")
    DEPUTY_CHIEF = "deputy_chief", _("Deputy chief")
    SENIOR_ADMINISTRATOR = "senior_administrator", _("Senior administrator")
    OTHER = "other", _("Other")


SENIOR_RANKS: frozenset[str] = frozenset(
    {SpeakerRank.CHIEF, SpeakerRank.DEPUTY_CHIEF, SpeakerRank.SENIOR_ADMINISTRATOR}
)


class Stance(models.TextChoices):
    SUPPORT = "support", _("Support")
    NEUTRAL = "neutral", _("Neutral")
    OPPOSITION = "opposition", _("Opposition")


class StatementKind(models.TextChoices):
    PUBLIC_STATEMENT = "public_statement", _("Public statement")
    LETTER = "letter", _("Letter")
    DIRECTIVE = "directive", _("Directive")
    MEETING = "meeting", _("Meeting")


class Category(models.TextChoices):
    UNINVITED_ENTRY = "uninvited_entry", _("Uninvited entry")
    EXCEPTION_ENTRY = "exception_entry", _("Entry under an agreed exception")
    VEHICLE_IN_BUFFER = "vehicle_in_buffer", _("Police vehicle in the buffer")
    STATIONED_IN_BUFFER = "stationed_in_buffer", _("Officers stationed in the buffer")
    STOP_OR_SEARCH = "stop_or_search", _("Stop, ID check or search")
    ARREST_NEAR_SITE = "arrest_near_site", _("Arrest for possession near the site")
    SUPPLIES_CONFISCATED = "supplies_confiscated", _("Harm-reduction supplies confiscated")
    PLAINCLOTHES_PRESENCE = "plainclothes_presence", _("Plain-clothes presence")
    DOG_DEPLOYMENT = "dog_deployment", _("Drug-detection dog")
    DISPERSAL_ORDER = "dispersal_order", _("Move-along or dispersal order")
    UNREQUESTED_OVERDOSE_ATTENDANCE = (
        "unrequested_overdose_attendance",
        _("Unrequested attendance at an overdose"),
    )
    INFORMATION_REQUEST = "information_request", _("Request for client information")
    SURVEILLANCE = "surveillance", _("Surveillance")
    CALLED_BY_STAFF = "called_by_staff", _("Called by staff")
    SUPPLY_ENFORCEMENT = "supply_enforcement", _("Enforcement against trafficking")
    LIAISON_MEDIATION = "liaison_mediation", _("Liaison mediation")
    REFERRAL_TO_SITE = "referral_to_site", _("Referral to the site")
    ALERT_SHARED = "alert_shared", _("Toxic-drug alert shared")
    OTHER = "other", _("Other")


class DistanceBand(models.TextChoices):
    INSIDE = "inside", _("Inside the site")
    ENTRANCE = "entrance", _("At the entrance (within 10 m)")
    BUFFER = "buffer", _("Inside the agreed buffer")
    BEYOND = "beyond", _("Beyond the buffer")


class Impact(models.TextChoices):
    NONE = "none", _("None")
    CLIENTS_LEFT = "clients_left", _("Clients left")
    SERVICE_PAUSED = "service_paused", _("Service paused")
    SITE_CLOSED = "site_closed", _("Site closed")


class LegalBasis(models.TextChoices):
    NONE = "none", pgettext_lazy("legal basis", "None")
    WARRANT = "warrant", _("Warrant")
    PRODUCTION_ORDER = "production_order", _("Production order")
    OTHER = "other", _("Other")


class AssignmentRole(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    BACKUP = "backup", _("Backup")


class CheckInFormat(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    TOUR = "tour", _("Tour")
    VISIT = "visit", _("Visit")


class CheckInStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


# The five Watson & Strike factors, in the specification's order (SPEC §6).
FACTOR_KEYS = (
    "early_engagement",
    "senior_support",
    "dedicated_liaison",
    "entry_presence_agreement",
    "regular_contact",
)


class Source(models.TextChoices):
    """Who told the site about an interaction (SPEC §2, consent of the reporter)."""

    STAFF = "staff", _("Staff observation")
    CLIENT_REPORTED = "client_reported", _("Reported by a client")
    PEER_REPORTED = "peer_reported", _("Peer report")


class Consent(models.TextChoices):
    """What the reporter agreed the record may be used for: each level includes the ones
    before it. Sharing for mediation needs `mediation`; the research release counts
    `aggregate` and `mediation` only."""

    SITE_ONLY = "site_only", _("The site only")
    AGGREGATE = "aggregate", _("Counted in anonymous totals")
    MEDIATION = "mediation", _("Raised with police for mediation")


# The consents whose interactions the research release (and so every figure researchers
# and community bodies read) counts.
RELEASED_CONSENTS: tuple[str, ...] = (Consent.AGGREGATE, Consent.MEDIATION)
