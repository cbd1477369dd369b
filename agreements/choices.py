"""The fixed vocabularies of SPEC §3–§5. Values are stable interfaces (bundles, API, CSV)."""

from django.db import models


class SiteStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    MANAGER = "manager", "Site manager"
    LIAISON = "liaison", "Police liaison officer"
    RESEARCHER = "researcher", "Researcher"


class ProtocolStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    NEGOTIATING = "negotiating", "Negotiating"
    SIGNED = "signed", "Signed"
    ENDED = "ended", "Ended"


class Topic(models.TextChoices):
    ENTRY_DURING_HOURS = "entry_during_hours", "No entry during operating hours"
    PROXIMITY_BUFFER = "proximity_buffer", "No stationing or parking inside the buffer"
    ENTRY_EXCEPTIONS = "entry_exceptions", "When entry is allowed"
    NOTIFICATION = "notification", "Site told after any entry or enforcement near it"
    CONFLICT_RESOLUTION = "conflict_resolution", "How disputes are raised and mediated"
    PLAINCLOTHES = "plainclothes", "No plain-clothes or undercover presence"
    INFORMATION_SHARING = "information_sharing", "No collection of client information"
    OTHER = "other", "Other"


# The seven topics that make a complete entry and presence agreement (SPEC §5).
REQUIRED_TOPICS: tuple[str, ...] = tuple(t.value for t in Topic if t is not Topic.OTHER)


class EngagementKind(models.TextChoices):
    COMMUNITY_PLANNING = "community_planning", "Community planning"
    DIALOGUE = "dialogue", "Dialogue"
    EXEMPTION_BRIEFING = "exemption_briefing", "Exemption briefing"
    TRAINING = "training", "Training"


class SpeakerRank(models.TextChoices):
    CHIEF = "chief", "Chief"
    DEPUTY_CHIEF = "deputy_chief", "Deputy chief"
    SENIOR_ADMINISTRATOR = "senior_administrator", "Senior administrator"
    OTHER = "other", "Other"


SENIOR_RANKS: frozenset[str] = frozenset(
    {SpeakerRank.CHIEF, SpeakerRank.DEPUTY_CHIEF, SpeakerRank.SENIOR_ADMINISTRATOR}
)


class Stance(models.TextChoices):
    SUPPORT = "support", "Support"
    NEUTRAL = "neutral", "Neutral"
    OPPOSITION = "opposition", "Opposition"


class StatementKind(models.TextChoices):
    PUBLIC_STATEMENT = "public_statement", "Public statement"
    LETTER = "letter", "Letter"
    DIRECTIVE = "directive", "Directive"
    MEETING = "meeting", "Meeting"


class Category(models.TextChoices):
    UNINVITED_ENTRY = "uninvited_entry", "Uninvited entry"
    EXCEPTION_ENTRY = "exception_entry", "Entry under an agreed exception"
    VEHICLE_IN_BUFFER = "vehicle_in_buffer", "Police vehicle in the buffer"
    STATIONED_IN_BUFFER = "stationed_in_buffer", "Officers stationed in the buffer"
    STOP_OR_SEARCH = "stop_or_search", "Stop, ID check or search"
    ARREST_NEAR_SITE = "arrest_near_site", "Arrest for possession near the site"
    SUPPLIES_CONFISCATED = "supplies_confiscated", "Harm-reduction supplies confiscated"
    PLAINCLOTHES_PRESENCE = "plainclothes_presence", "Plain-clothes presence"
    DOG_DEPLOYMENT = "dog_deployment", "Drug-detection dog"
    DISPERSAL_ORDER = "dispersal_order", "Move-along or dispersal order"
    UNREQUESTED_OVERDOSE_ATTENDANCE = (
        "unrequested_overdose_attendance",
        "Unrequested attendance at an overdose",
    )
    INFORMATION_REQUEST = "information_request", "Request for client information"
    SURVEILLANCE = "surveillance", "Surveillance"
    CALLED_BY_STAFF = "called_by_staff", "Called by staff"
    SUPPLY_ENFORCEMENT = "supply_enforcement", "Enforcement against trafficking"
    LIAISON_MEDIATION = "liaison_mediation", "Liaison mediation"
    REFERRAL_TO_SITE = "referral_to_site", "Referral to the site"
    ALERT_SHARED = "alert_shared", "Toxic-drug alert shared"
    OTHER = "other", "Other"


class DistanceBand(models.TextChoices):
    INSIDE = "inside", "Inside the site"
    ENTRANCE = "entrance", "At the entrance (within 10 m)"
    BUFFER = "buffer", "Inside the agreed buffer"
    BEYOND = "beyond", "Beyond the buffer"


class Impact(models.TextChoices):
    NONE = "none", "None"
    CLIENTS_LEFT = "clients_left", "Clients left"
    SERVICE_PAUSED = "service_paused", "Service paused"
    SITE_CLOSED = "site_closed", "Site closed"


class LegalBasis(models.TextChoices):
    NONE = "none", "None"
    WARRANT = "warrant", "Warrant"
    PRODUCTION_ORDER = "production_order", "Production order"
    OTHER = "other", "Other"


class AssignmentRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    BACKUP = "backup", "Backup"


class CheckInFormat(models.TextChoices):
    MEETING = "meeting", "Meeting"
    TOUR = "tour", "Tour"
    VISIT = "visit", "Visit"


class CheckInStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"
