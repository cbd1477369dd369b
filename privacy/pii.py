"""A guard that keeps identifying details about people out of free text (SPEC §2).

The tracker records police conduct near a site, never the people who use it. Managers
write free text (interaction narratives, check-in notes, engagement summaries), and a
tired person typing quickly may paste a client's phone number or the plate of a car
police stopped. Anything stored here could one day be read by police, so such text is
refused with a message that says what was found and why.

How it works
------------
Each kind of identifier has a small detector: one or more compiled regular expressions,
sometimes helped by a library or a checksum, or by the words around the match.

- Phone numbers: the usual shapes by pattern, and anything else through libphonenumber's
  matcher (`phonenumbers`, region CA, leniency VALID) after number words are turned into
  digits (`privacy.pii_numbers`: "four one six, five five five…", « cinq-un-quatre »,
  "six04"), so odd groupings ("416 555 01 98") and mixed writing are caught; the
  excerpt quotes the writer's own words.
- Social insurance numbers: nine digits with a Luhn check (`stdnum.luhn`); health cards
  by province shape, the BC mod-11 check, or the name of the plan next to the number.
- A date is a date of birth after a birth word ("born", "DOB", "date de naissance",
  "his birthday", « sa fête »), at most six words before it in the same sentence; a date
  in words or without its year counts there ("March 3rd 91", « trois mars
  quatre-vingt-onze », "the 3rd of March"), and so do "born in 91" and "turned 34
  yesterday". A full date whose year is long past (twelve years or more, or a two-digit
  year from 30) is one without any birth word ("march fourth ninety two"), unless a
  document's word comes before it ("signed", "since", « adoptée »).
- Addresses: a house number and a street type, or, without a type, a house number and a
  capitalised name after a word that places someone there ("stays at 88 Dundas W",
  « au 312 Rachel », "unit 1406 at 200 sherbourne st", « app. 6, 4120 de Bullion »), a
  few words after a word for where someone lives ("where he stays, 228 Seaton", « où elle
  reste, elle a dit 1730 Wolfe »), with a direction ("845 Beaubien E") or a unit
  ("#310-55 Bleecker").
- Plates: a capitalised plate shape, or any case after "plate", "registration", "reg",
  « immatriculation », spaced out one character at a time too (« plaque F W L 8 2 0
  4 »); a driver's licence or passport number after the document's name.
- Social media handles: an @name, or a user name a few words after a platform's name
  ("on snap: jdoe_99", « son IG : roxy.mtl.514 »).
- Names and nicknames (`privacy.pii_names`, only where the site's roster is known):
  listed first names, a capitalised word with an initial ("Jenna T."), initials with
  dots ("R.M.", « M.L. », not "A.M." or "U.S."), phrases that introduce a name ("first
  name", « prénom ») or a nickname ("knows him as", "they call him", « on l'appelle
  tous », « dite »), who police did something to, and nickname shapes ("Big Mike",
  « Ti-Guy »). A name or initials that are an officer's on the site's roster pass;
  sports teams, brands and shops ("Habs", "Leafs") are not names.

Every detector reports candidate spans; where spans overlap, the most specific kind wins
(an e-mail beats a phone number inside it, a health card number beats the phone number it
resembles), so each stretch of text yields at most one finding. Ten digits in a health
card's grouping ("5145 550 171") that are a real phone number after a phone word ("son
cell c'est le…") are a mistyped phone number.

Police details stay allowed: badge, unit and cruiser numbers, divisions, "911",
intersections, meeting dates and times, counts, distances and statute references. A
number recognised by its shape alone (a bare nine-digit Luhn-valid number, a bare
ten-digit number, a capitalised plate-like token) is let through when a police word
such as "badge", "unit", "cruiser" or "#" comes right before it. A plate passes when a
police vehicle ("cruiser", "unmarked car", "police van", « auto-patrouille », « VUS
identifié ») is named earlier in the same sentence and no one's own vehicle comes in
between ("the cruiser pulled over her car, plate …" is refused). An official police
account (@SPVM, @TPS51Div, @TorontoPolice) is not a client's handle. An acronym before a
year or a transit route ("CAMH 2019 report", "TTC 504 stop") is not a plate.

The labelled corpus in tests/privacy/pii_corpus/ measures all of this; `make bench`
prints recall and false refusals per category, and the time per narrative.

Limits
------
This is a guard, not a guarantee. It catches identifiers written in the usual
Canadian ways, in English and French; it will miss an address without a house number
("the blue house behind the Esso"), a nickname or surname that is not a listed first
name and comes with none of the phrases above ("Grizzly" on its own), a user name
without a platform's name near it, a plate written in lower case without a plate word
near it, a driver's licence or passport number without the word for the document,
initials without dots ("RM": police acronyms look the same), a house number and a bare
street name with neither a placing word nor a word for where someone lives ("she said
1730 Wolfe"), a date of birth with a two-digit year below 30 and no birth word, and a
number spelled out in words above 99 or in a language other than English or French.
A description that identifies someone without any identifier is only warned about
(`privacy.pii_descriptions`), for the writer to confirm.

It may also refuse a harmless sentence that looks like an identifier; the message then
tells the manager how to rephrase. Some of these are by design:

- An address with a house number is refused whoever it belongs to, a police station
  or public building included ("52 Division, 255 Dundas St W"): name the place or the
  intersection instead.
- Phone numbers and e-mail addresses are refused even when they are an officer's or an
  office's work contact (SPEC §2 keeps them out of free text altogether).
- Names are refused unless they are an officer's on the site's roster: a staff member's
  or a community partner's name is refused too. An officer missing from the roster, or a
  site without one, gets their name refused when it is a listed first name.
- A street that is also a first name is let through only in street words ("au coin de
  Rachel", "on George", "312 Rachel"); "Rachel" on its own is read as a person.
- A police vehicle must be named: an unmarked car's plate in a sentence that only names
  its model ("the same grey Charger, plate CKTV 882") is refused.
- A month and year after "born" is read as a date of birth ("born in March 2019"), and
  so is any date a few words after a birth word in the same sentence ("date of birth
  not asked; meeting on 2026-06-12"): put the meeting date in its own sentence.
- An acronym before a year is let through, so a real plate shaped like "ABC 2019" is
  only caught with a plate word next to it.
- A full date twelve or more years back is read as a date of birth ("the raid of 3 May
  2009"), unless a document's word comes before it ("signed", "since", "in effect"):
  write the year alone, or name the event.

Words typed in capitals skip the bare-plate check, because there every capitalised
word followed by a number would look like a plate. All patterns are linear or bounded
(look-arounds scan a few dozen characters at most), so long text is checked quickly,
with no catastrophic backtracking.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from stdnum import luhn

from privacy.pii_names import find_names
from privacy.pii_numbers import NUMBER_WORD, spell_digits, spoken_year

__all__ = [
    "ADVICE",
    "ERROR_CODE",
    "EXCERPT_MAX",
    "KINDS",
    "MESSAGES",
    "MESSAGE_TEMPLATE",
    "ROSTER_KINDS",
    "WARNING_CODE",
    "WARNING_KINDS",
    "Assessment",
    "Finding",
    "KindText",
    "assess",
    "bc_phn_valid",
    "check_free_text",
    "check_text",
    "find_pii",
    "luhn_valid",
    "message_for",
]

# --------------------------------------------------------------------------------------
# Public constants: the kinds, their wording, and the error code.
# --------------------------------------------------------------------------------------

EMAIL = "email"
PHONE = "phone"
DATE_OF_BIRTH = "date_of_birth"
HEALTH_CARD = "health_card"
SIN = "sin"
STREET_ADDRESS = "street_address"
LICENCE_PLATE = "licence_plate"
LICENCE_OR_PASSPORT = "licence_or_passport"
SOCIAL_HANDLE = "social_handle"
PERSONAL_NAME = "personal_name"
NICKNAME = "nickname"

# Warnings: text that may describe a client without any identifier (privacy.pii_descriptions).
DESCRIPTION = "description"
WARNING_KINDS: frozenset[str] = frozenset({DESCRIPTION})
# Kinds that are only refused knowing the site's police roster (an officer's name is
# allowed, anyone else's is not): `check_text` finds them, `check_free_text` cannot.
ROSTER_KINDS: frozenset[str] = frozenset({PERSONAL_NAME, NICKNAME})

KINDS: tuple[str, ...] = (
    EMAIL,
    PHONE,
    DATE_OF_BIRTH,
    HEALTH_CARD,
    SIN,
    STREET_ADDRESS,
    LICENCE_PLATE,
    LICENCE_OR_PASSPORT,
    SOCIAL_HANDLE,
    PERSONAL_NAME,
    NICKNAME,
)

# When two findings overlap, the kind listed first wins: it is the more specific
# reading of the same characters (a health card number may look like a phone number,
# never the other way round).
_SPECIFICITY: tuple[str, ...] = (
    EMAIL,
    DATE_OF_BIRTH,
    LICENCE_OR_PASSPORT,
    HEALTH_CARD,
    SIN,
    PHONE,
    SOCIAL_HANDLE,
    LICENCE_PLATE,
    STREET_ADDRESS,
    NICKNAME,
    PERSONAL_NAME,
)
_RANK = {kind: rank for rank, kind in enumerate(_SPECIFICITY)}

ERROR_CODE = "pii"
# A passage the guard cannot decide: refused until the writer confirms it describes police.
WARNING_CODE = "pii_unconfirmed"
EXCERPT_MAX = 40
ADVICE = _("Describe what police did, not who was there.")
MESSAGE_TEMPLATE = _('Remove the {label} "{excerpt}": {why}. {advice}')
WARNING_TEMPLATE = _(
    'This seems to describe a client: "{excerpt}" ({why}). Edit it, or confirm that it '
    "describes police."
)
# The labels carry the context "identifier to remove": a language whose article changes
# with the noun (French "le numéro", "la plaque") puts the article in the label.


@dataclass(frozen=True)
class KindText:
    """The words used to explain one kind of finding to a site manager."""

    label: str | Promise  # what it is, after "Remove the": "phone number"
    why: str | Promise  # why it is refused, as a clause: "a phone number could identify a person"
    advice: str | Promise  # what to write instead, as one or two full sentences

    @property
    def reason(self) -> str:
        """`why` and the first sentence of `advice` as one clause, for Finding.reason."""
        advice = str(self.advice).split(". ")[0].rstrip(".")
        return f"{self.why}; {advice[0].lower()}{advice[1:]}"


MESSAGES: dict[str, KindText] = {
    EMAIL: KindText(
        pgettext_lazy("identifier to remove", "e-mail address"),
        _("an e-mail address leads straight to one person"),
        ADVICE,
    ),
    PHONE: KindText(
        pgettext_lazy("identifier to remove", "phone number"),
        _("a phone number could identify a person"),
        ADVICE,
    ),
    DATE_OF_BIRTH: KindText(
        pgettext_lazy("identifier to remove", "date of birth"),
        _("a date of birth can single out a person, even without a name"),
        _("Dates of meetings and incidents are fine, dates of birth are not."),
    ),
    HEALTH_CARD: KindText(
        pgettext_lazy("identifier to remove", "health card number"),
        _("a health card number identifies one person and their health records"),
        ADVICE,
    ),
    SIN: KindText(
        pgettext_lazy("identifier to remove", "social insurance number"),
        _("a social insurance number identifies one person"),
        ADVICE,
    ),
    STREET_ADDRESS: KindText(
        pgettext_lazy("identifier to remove", "street address"),
        _("a street address can show where someone lives or stays"),
        _(
            'Describe the place as a distance from the site (for example "20 m from the '
            'door") or as an intersection ("corner of Queen and Bathurst").'
        ),
    ),
    LICENCE_PLATE: KindText(
        pgettext_lazy("identifier to remove", "licence plate"),
        _("a licence plate leads to a private vehicle and its owner"),
        _(
            "Describe what police did, not whose car it was. Police unit or cruiser numbers "
            '(for example "cruiser 4411") are fine.'
        ),
    ),
    LICENCE_OR_PASSPORT: KindText(
        pgettext_lazy("identifier to remove", "driver's licence or passport number"),
        _(
            "a driver's licence or passport number is printed on one person's government ID "
            "and leads straight to them"
        ),
        _(
            'Describe what police did, not who was there. "Police asked to see ID" is fine '
            "without the number."
        ),
    ),
    SOCIAL_HANDLE: KindText(
        pgettext_lazy("identifier to remove", "social media account"),
        _("a social media account leads straight to one person and everything they post"),
        _(
            'Describe what police did, not whose account it was. "Police showed a post '
            "from her account\" is fine without the account's name."
        ),
    ),
    PERSONAL_NAME: KindText(
        pgettext_lazy("identifier to remove", "name"),
        _("it seems to be the name of someone who is not one of the site's police officers"),
        _(
            'Write "a client", "a participant" or "an officer" instead. Only officers on '
            "the site's police roster may be named (the site's managers keep the roster)."
        ),
    ),
    NICKNAME: KindText(
        pgettext_lazy("identifier to remove", "nickname"),
        _("a nickname identifies a person to everyone who knows them"),
        _('Write "a client" or "a participant" instead.'),
    ),
}


@dataclass(frozen=True)
class Finding:
    """One identifier found in free text."""

    kind: str  # one of KINDS
    excerpt: str  # the matched text, shortened to at most EXCERPT_MAX characters
    reason: str  # plain English: why it is refused and what to write instead


def message_for(finding: Finding) -> str:
    """The sentence shown to the manager for one finding."""
    if finding.kind in WARNING_KINDS:
        return str(WARNING_TEMPLATE).format(excerpt=finding.excerpt, why=finding.reason)
    text = MESSAGES[finding.kind]
    return str(MESSAGE_TEMPLATE).format(
        label=text.label, excerpt=finding.excerpt, why=text.why, advice=text.advice
    )


# --------------------------------------------------------------------------------------
# Checksums.
# --------------------------------------------------------------------------------------


def _digits_only(number: str) -> str | None:
    """The digits of `number` with spaces and dashes dropped; None if anything else."""
    digits = number.replace(" ", "").replace("-", "")
    return digits if digits.isascii() and digits.isdigit() else None


def luhn_valid(number: str) -> bool:
    """True when `number` (digits, optionally spaced or dashed) passes the Luhn check.

    Canadian social insurance numbers are nine digits with a Luhn check digit, so a
    random nine-digit number passes only one time in ten. (`stdnum.ca.sin` is stricter:
    it also rejects a first digit of 0 or 8, which are never issued, but a number written
    like a SIN is refused whatever its first digit, so only the checksum is used.)
    """
    digits = _digits_only(number)
    return digits is not None and luhn.is_valid(digits)


_BC_PHN_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3)


def bc_phn_valid(number: str) -> bool:
    """True for a British Columbia personal health number: ten digits, a leading 9,
    and a mod-11 check digit over digits 2–9 (weights 2, 4, 8, 5, 10, 9, 7, 3)."""
    digits = _digits_only(number)
    if digits is None or len(digits) != 10 or digits[0] != "9":
        return False
    total = sum(int(d) * w % 11 for d, w in zip(digits[1:9], _BC_PHN_WEIGHTS, strict=True))
    check = 11 - total % 11
    return check < 10 and check == int(digits[9])


# --------------------------------------------------------------------------------------
# Candidate spans.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    # Found by its shape alone (no telling word next to it). A police word right
    # before such a number means it is a badge, unit or occurrence number instead.
    weak: bool = False


def _span(match: re.Match[str], kind: str, group: int | str = 0, weak: bool = False) -> _Span:
    return _Span(match.start(group), match.end(group), kind, weak)


# Words that say the number after them belongs to police: "badge 4411", "unit 046454286",
# "#4411", "badges 4411 and 046454286", "occurrence no. 2026123456".
_POLICE_BEFORE = re.compile(
    r"""
    (?:
        \b(?:badges?|units?|cars?|cruisers?|vehicles?|divisions?|officers?|constables?
           |sergeants?|sgt|cst|pc|det|detectives?|matricules?|agents?|patrouilles?
           |occurrences?|incidents?|events?|tickets?)\b\.?
      | \#
    )
    \s*(?:(?:no|nos|number|numbers|num[ée]ro)\b\.?\s*|n°\s*)?   # "badge no. …"
    (?:[\#:]\s*)?
    (?:\#?(?=[\w-]*\d)[\w-]+\s*(?:,|/|&|\band\b|\bet\b)\s*){0,5}  # earlier numbers in a list
    \#?
    $
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _follows_police_word(text: str, start: int) -> bool:
    return _POLICE_BEFORE.search(text, max(0, start - 60), start) is not None


# Filler allowed between a telling word and the number it introduces: punctuation,
# spaces and a few whole words ("health card number of the client was 1234 567 890").
# Each repetition takes one character or one whole word, so there is no ambiguity to
# backtrack over.
_FILLER = r"(?:[^\w\n]|\b[^\W\d_]{1,12}\b){0,16}?"

# --------------------------------------------------------------------------------------
# E-mail addresses.
# --------------------------------------------------------------------------------------

# name@domain.tld. The look-behind makes the scan start only at the beginning of a run
# of address characters, so a long run without "@" is read once, not once per letter.
_EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# Addresses typed to dodge spam filters: "mike (at) hotmail dot com", "jo at gmail.com".
_EMAIL_SPELLED = re.compile(
    r"""
    (?<![\w.+%-])[\w.+%-]+
    (?:\s*[(\[{]at[)\]}]\s*|\s+at\s+)
    [A-Za-z0-9-]+
    (?:\s*[(\[{]dot[)\]}]\s*|\s+dot\s+|\.)
    (?:com|ca|org|net|info|qc\.ca|on\.ca)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


# Mail providers people name without the rest of the address: "ti_loup514@hotmail",
# "jo_belanger chez hotmail", "crystal.m.rose@outlook".
_PROVIDER = (
    r"(?:gmail|hotmail|yahoo|outlook|live|icloud|videotron|vidéotron|sympatico|rogers"
    r"|bell|msn|proton(?:mail)?|aol|telus|shaw|cogeco)"
)
_EMAIL_PROVIDER_ONLY = re.compile(
    rf"(?<![\w.+%-])[\w.+%-]*\w@{_PROVIDER}\b(?![.@-]\w)", re.IGNORECASE
)

# Spelled out with "dot"/"point" and "at"/"arobas"/"(a)"/"chez": "karine point lapointe
# arobas gmail point com", "steve.r (a) outlook.com", "jo_belanger chez hotmail". The
# local part is one or more words joined by "dot"/"point"/"."; the domain ends in a
# top-level domain, or is a known provider on its own.
_SPELLED_DOT = r"(?:\s+(?:dot|point)\s+|\s*[(\[](?:dot|point)[)\]]\s*|\.)"
_EMAIL_WORDS_SPELLED = re.compile(
    rf"""
    (?<![\w.+%-])
    (?P<local>[\w+%-]+(?:{_SPELLED_DOT}[\w+%-]+){{0,4}})
    (?P<at>\s*[(\[{{](?:at|a|arobas|arobase)[)\]}}]\s*|\s+(?:at|arobas|arobase|chez)\s+)
    (?P<domain>
        [A-Za-z0-9-]+(?:{_SPELLED_DOT}[A-Za-z0-9-]+){{0,3}}{_SPELLED_DOT}
        (?:com|ca|org|net|info|fr|qc\.ca|on\.ca)\b
      | {_PROVIDER}\b
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _handle_like(word: str) -> bool:
    """A user name rather than a word or a number: letters, and a digit, an underscore or
    a dot in it ("jdoe_99", "dyl.anxo"), not a time or an amount ("3.15pm", "10.50")."""
    return (
        word[0].isalpha()
        and any(c.isdigit() or c in "_." for c in word)
        and sum(c.isalpha() for c in word) >= 2
    )


def _emails(text: str) -> Iterator[_Span]:
    for pattern in (_EMAIL, _EMAIL_SPELLED, _EMAIL_PROVIDER_ONLY):
        for match in pattern.finditer(text):
            yield _span(match, EMAIL)
    for match in _EMAIL_WORDS_SPELLED.finditer(text):
        at = match.group("at").strip(" ()[]{}").lower()
        spelled_local = " " in match.group("local")  # "karine point lapointe"
        # "chez" and a bare "at" are everyday words ("chez sa mère", "at the door"): only
        # an address-like local part makes them an e-mail address.
        if at in {"chez", "at"} and not (_handle_like(match.group("local")) or spelled_local):
            continue
        yield _span(match, EMAIL)


# --------------------------------------------------------------------------------------
# Social media handles.
# --------------------------------------------------------------------------------------

# "@someone_mtl", "@la_jess_mtl": an @ not inside an e-mail address.
_AT_HANDLE = re.compile(r"(?<![\w.@])@(?P<name>[A-Za-z0-9_](?:[\w.]*\w)?)")

# A platform's name, then a user name a few characters on: "insta @someone_mtl", "on snap:
# jdoe_99", "his IG (jenna.t.416)", "handle is dyl.anxo", "son IG : roxy.mtl.514".
_PLATFORM = (
    r"(?:insta(?:gram)?|ig|snap(?:chat)?|tik\s?tok|facebook|fb|twitter|x\.com|threads"
    r"|messenger|whatsapp|telegram|discord|reddit|youtube|twitch|onlyfans|grindr|tinder"
    r"|handle|pseudo|username|user\s+name|nom\s+d['’]utilisateur)"
)
_HANDLE_TOKEN = r"[A-Za-z0-9][\w.]*[\w]"
_PLATFORM_WORD = re.compile(rf"\b{_PLATFORM}\b", re.IGNORECASE)
_HANDLE_NEAR_CHARS = 35
_HANDLE = re.compile(rf"(?<![\w.@]){_HANDLE_TOKEN}(?![\w@])")
# …or the user name first: "he goes by bigmike_416 on facebook".
_HANDLE_BEFORE_PLATFORM = re.compile(
    rf"(?<![\w.@])(?P<name>{_HANDLE_TOKEN})\s+(?:on|sur)\s+(?:his\s+|her\s+|son\s+|sa\s+)?"
    rf"{_PLATFORM}\b",
    re.IGNORECASE,
)
# A person's name given as their account: "son compte Facebook, Karine Lapointe",
# "sur Messenger (Jo Bélanger)".
_NAME_AFTER_PLATFORM = re.compile(
    rf"""\b(?i:{_PLATFORM})\b\s*[,:(]?\s*
    (?P<name>[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ'’-]+){{1,2}})""",
    re.VERBOSE,
)

# Police services' official accounts, named as such, may be quoted: "@SPVM", "@TPS51Div",
# "@TorontoPolice", "@OPP_News", "@RCMPGRCPolice".
_POLICE_ACCOUNT = re.compile(
    r"(?:tps|spvm|spvq|spl|opp|rcmp|grc|sq|vpd|eps|cps|wps|hrp|ops|prp|yrp|drps|nrps|hps"
    r"|sureteduquebec)|.*(?:police|polis)",
    re.IGNORECASE,
)


_AT_TIME = re.compile(r"\d{1,4}(?:[:h.]\d{2})?(?:am|pm|h|ish)?|\d+", re.IGNORECASE)


def _social_handles(text: str) -> Iterator[_Span]:
    for match in _AT_HANDLE.finditer(text):
        name = match.group("name")
        # "@" also stands for "at": "meet @5pm", "@10h30" are times, not accounts.
        if not (_POLICE_ACCOUNT.match(name) or _AT_TIME.fullmatch(name)):
            yield _span(match, SOCIAL_HANDLE)
    for word in _PLATFORM_WORD.finditer(text):
        # The first user name a few words on, in the same sentence: "snapchat story
        # (kayla.xo22)", « sur Insta, son compte c'est jess.hochelaga ».
        limit = min(len(text), word.end() + _HANDLE_NEAR_CHARS)
        sentence_end = _SENTENCE_END.search(text, word.end(), limit)
        for token in _HANDLE.finditer(
            text, word.end(), sentence_end.start() if sentence_end else limit
        ):
            if _handle_like(token.group()) and not _POLICE_ACCOUNT.match(token.group()):
                yield _span(token, SOCIAL_HANDLE)
                break
    for match in _HANDLE_BEFORE_PLATFORM.finditer(text):
        name = match.group("name")
        if _handle_like(name) and not _POLICE_ACCOUNT.match(name):
            yield _span(match, SOCIAL_HANDLE, "name")
    for match in _NAME_AFTER_PLATFORM.finditer(text):
        yield _span(match, SOCIAL_HANDLE, "name")


# --------------------------------------------------------------------------------------
# Phone numbers.
# --------------------------------------------------------------------------------------

# North American numbers: 416-555-0123, (416) 555-0123, 416.555.0123, +1 416 555 0123,
# 1-800-555-0199, 4165550123. Area codes never start with 0 or 1, which keeps ten-digit
# numbers like 1234567890 (an Ontario health number's shape) out.
_PHONE_NANP = re.compile(
    r"""
    (?<![\w+.-])
    (?:\+?1[ .-]?)?                 # country code
    (?:\([2-9]\d{2}\)|[2-9]\d{2})   # area code
    [ .-]?\d{3}[ .-]?\d{4}
    (?![\w-])
    """,
    re.VERBOSE,
)

# International numbers start with "+": +33 1 23 45 67 89, +44 20 7946 0958. One digit
# per step (with an optional separator), then the digit count is checked in code.
_PHONE_INTERNATIONAL = re.compile(r"(?<![\w+])\+[1-9]\d{0,2}(?:[ .-]?\d){6,13}(?![\w-])")

# Seven-digit local numbers (555-0123) look like too many other things, so only
# after a word that says it is a phone number.
_PHONE_LOCAL = re.compile(
    r"\b(?:phone|cell|tel|t[ée]l[ée]phone|t[ée]l|call|text|mobile|cellulaire)\b[\s:.#]{0,3}"
    r"(?P<number>[2-9]\d{2}[-.]\d{4})(?![\w-])",
    re.IGNORECASE,
)


def _phones(text: str) -> Iterator[_Span]:
    for match in _PHONE_NANP.finditer(text):
        # A bare run of ten digits is a phone number by shape alone; it may also be a
        # police occurrence number ("occurrence 2026123456").
        yield _span(match, PHONE, weak=match.group().isdigit())
    for match in _PHONE_INTERNATIONAL.finditer(text):
        if 8 <= sum(c.isdigit() for c in match.group()) <= 15:
            yield _span(match, PHONE)
    for match in _PHONE_LOCAL.finditer(text):
        yield _span(match, PHONE, "number")
    yield from _phones_spelled_or_grouped(text)


def _phones_spelled_or_grouped(text: str) -> Iterator[_Span]:
    """Numbers read out in words or typed in odd groups ("four one six, five five five…",
    "416 555 01 98", "(cinq-un-quatre) 555-0177"), found by libphonenumber's matcher once
    the words are digits.

    Leniency VALID: the number must be a real one for its region (an area code in service,
    the right length), which keeps occurrence and file numbers out; the stricter
    groupings (STRICT_GROUPING, EXACT_GROUPING) would let through exactly the odd groupings
    this is for. Canada is the default region, so a number without "+1" is read as North
    American."""
    if not any(c.isdigit() for c in text) and not _NUMBER_WORD_HINT.search(text):
        return
    spelled = spell_digits(text)
    for match in phonenumbers.PhoneNumberMatcher(
        spelled.text, "CA", leniency=phonenumbers.Leniency.VALID
    ):
        start, end = spelled.original_span(match.start, match.end)
        if _YEAR_FIRST.match(text, start, end):
            continue
        # Ten digits and nothing else may be an occurrence number after a police word.
        yield _Span(start, end, PHONE, weak=text[start:end].isdigit())


# A year, then the rest of a file or occurrence number: "2026-123456", "2026 1234567".
_YEAR_FIRST = re.compile(r"(?:19|20)\d{2}[ -]\d{6,7}$")

# A cheap first look: without a digit or a number word there is no phone number to find.
_NUMBER_WORD_HINT = re.compile(
    r"\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|z[ée]ro|un|deux|trois"
    r"|quatre|cinq|sept|huit|neuf)\b",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------------------
# Dates, and dates of birth.
# --------------------------------------------------------------------------------------

_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre"
    r"|octobre|novembre|d[ée]cembre|janv?|feb|f[ée]vr?|mar|apr|avr|jun|jul|juil|aug"
    r"|sept?|oct|nov|d[ée]c)\b\.?"
)

# Any written date: 1990-01-02, 02/01/1990, 1/2/90, January 2, 1990, 2 Jan 1990,
# 2 janvier 1990, 1er mars 1985, March 1985. On its own a date is fine (meetings and
# incidents have dates); _dates_of_birth() looks for a birth word next to it.
_DATE = re.compile(
    rf"""
    (?<![\w/.-])
    (?:
        \d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}                         # 1990-01-02
      | \d{{1,2}}[-/.]\d{{1,2}}[-/.](?:\d{{4}}|\d{{2}})               # 02/01/1990, 1/2/90
      | {_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}             # January 2, 1990
      | \d{{1,2}}(?:st|nd|rd|th|er|re)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}  # 2 Jan 1990
      | {_MONTH},?\s+\d{{4}}                                        # March 1985
    )
    (?![\w/-])
    """,
    re.IGNORECASE | re.VERBOSE,
)

# A birth word, then at most a few small words, right before the date:
# "born on", "DOB:", "D.O.B.", "date of birth is", "b.", "né le", "date de naissance :".
_BIRTH_BEFORE = re.compile(
    r"""
    (?:
        \b(?:born|dob|birthday|b-?day|birth\s*date|date\s+of\s+birth|date\s+de\s+naissance
           |ddn|né|née|nee)\b
      | \bné\s?\(e\)
      | \bd\.o\.b\b\.?
      | \bb\.
    )
    (?:[\s:,()=–-]|\b(?:on|in|the|is|was|of|le|du|en)\b){0,10}
    $
    """,
    re.IGNORECASE | re.VERBOSE,
)

# …or a birth word right after it: "1990-01-02 (DOB)".
_BIRTH_AFTER = re.compile(
    r"[\s,(:=–-]{0,4}(?:dob|d\.o\.b|date\s+of\s+birth|birth\s*date|date\s+de\s+naissance)\b",
    re.IGNORECASE,
)


# A birth word a few words before the date, in the same sentence: "asked for his date of
# birth; he gave 1990-01-02", "asked for DOB, client said 02/01/1990", "Né(e) le 2/1/1990".
# "birthday" and "b." are left to _BIRTH_BEFORE: a birthday party has a date too, and
# "b." ends many words.
_BIRTH_WORD = re.compile(
    r"""
    \b(?:
        d\.o\.b\b\.?
      | (?:dob|date\s+of\s+birth|birth\s*date|date\s+de\s+naissance|ddn|born
          |(?:né|née|nee)(?:\s?\(e\))?)(?!\w)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_BIRTH_GAP_WORDS = 6  # at most this many words between the birth word and the date…
_BIRTH_GAP_CHARS = 40  # …and at most this many characters
_WORD = re.compile(r"\w+(?:['’]\w+)*")
# A full stop, "!" or "?" followed by a space, or a line break, ends a sentence.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


def _birth_word_near(text: str, start: int) -> bool:
    """True when a birth word ends at most a few words before `start`, in the same
    sentence."""
    window_start = max(0, start - _BIRTH_GAP_CHARS - 30)  # room for the word itself
    ends = [word.end() for word in _BIRTH_WORD.finditer(text, window_start, start)]
    if not ends:
        return False
    gap = text[ends[-1] : start]  # from the nearest birth word
    return (
        len(gap) <= _BIRTH_GAP_CHARS
        and len(_WORD.findall(gap)) <= _BIRTH_GAP_WORDS
        and not _SENTENCE_END.search(gap)
    )


# A date as people say it, with or without the year: "March 3rd 91", "the 3rd of March",
# "12th of October eighty-eight", "trois mars quatre-vingt-onze", "le 3 mars", "douze
# octobre mille neuf cent quatre-vingt-huit". Without a year it is only read as a date of
# birth after a birth word ("birthday is the 3rd of March", "sa fête c'est le 3 mars").
_ORDINAL_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth"
    r"|twentieth|thirtieth|(?:twenty|thirty)-(?:first|second|third|fourth|fifth|sixth"
    r"|seventh|eighth|ninth)|premier|1er)"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th|er|re|e)?|{_ORDINAL_WORD}|{NUMBER_WORD.pattern})"
_YEAR_WORDS = (
    rf"(?:(?:{NUMBER_WORD.pattern}|mille|mil|cent|hundred|thousand)[\s-]+){{0,6}}"
    rf"(?:{NUMBER_WORD.pattern}|cent|hundred)"
)
_YEAR = rf"(?:['’]?\d{{2}}|\d{{4}}|{_YEAR_WORDS})"
_DATE_SPOKEN = re.compile(
    rf"""
    (?<![\w/.-])
    (?:
        {_MONTH}\s+(?:the\s+)?{_DAY}(?:,?\s+(?P<year1>{_YEAR}))?
      | (?:the\s+)?{_DAY}\s+(?:of\s+|de\s+)?{_MONTH}(?:,?\s+(?:(?:in|en)\s+)?(?P<year2>{_YEAR}))?
    )
    (?![\w/-])
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Words that give a birthday without the word "birth": "his birthday is", "her bday",
# "b-day", « sa fête », « son anniversaire ». A bare "birthday" may be anyone's party.
_BIRTHDAY_WORD = re.compile(
    r"\b(?:(?:his|her|their|my|the\s+client['’]s)\s+(?:birthday|b-?day)|b-?day"
    r"|(?:sa|ta|ma)\s+f[êe]te|(?:son|ton|mon)\s+anniversaire)\b",
    re.IGNORECASE,
)

# A year of birth on its own: "born in 91", "born in '91", "né en 88", "née en 1991".
_BORN_IN_YEAR = re.compile(
    r"\b(?:born|n[ée]e?)\s+(?:in|en)\s+(?:['’]?\d{2}|(?:19|20)\d{2})(?![\w/-])",
    re.IGNORECASE,
)

# An age reached on a day that the text dates, which gives the birthday: "she turned 34
# yesterday", "cops stopped her on her bday", « elle a eu 34 ans hier », « le jour de sa
# fête ».
_BIRTHDAY_DATED = re.compile(
    r"""
    \b(?:
        (?:turned|turns|turning)\s+\d{1,3}\s+(?:yesterday|today|tomorrow|last\s+\w+|this\s+\w+
           |on\s+\w+day)
      | (?:a\s+eu|aura|vient\s+d['’]avoir|f[êe]te\s+ses)\s+\d{1,3}\s+ans\s+
        (?:hier|aujourd['’]hui|demain|ce\s+\w+|la\s+semaine\s+\w+|\w+di\s+\w+)
      | (?:on|the\s+day\s+of)\s+(?:his|her|their)\s+(?:birthday|b-?day)
      | (?:le\s+)?jour\s+de\s+(?:sa|son)\s+(?:f[êe]te|anniversaire)
    )\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _birthday_word_near(text: str, start: int) -> bool:
    """True when a birthday word ends at most a few words before `start`, in the same
    sentence: "his birthday is the 3rd of March"."""
    window = text[max(0, start - _BIRTH_GAP_CHARS - 30) : start]
    ends = [word.end() for word in _BIRTHDAY_WORD.finditer(window)]
    if not ends:
        return False
    gap = window[ends[-1] :]
    return (
        len(gap) <= _BIRTH_GAP_CHARS
        and len(_WORD.findall(gap)) <= _BIRTH_GAP_WORDS
        and not _SENTENCE_END.search(gap)
    )


# A full date (day, month and year) whose year is long past is a date of birth even
# without a birth word ("she said it out loud, march fourth ninety two"): the incidents,
# meetings and court dates this tracker records are recent. A two-digit year from 30 on
# reads as 19xx; one below 30 may be this decade, or a section or version number
# ("3.2.14"), so it needs a birth word.
_LONG_PAST_YEARS = 12
_TWO_DIGIT_YEAR_FROM = 30
# …unless the date is a document's or a rule's: "signed on March 3, 1998", "in effect
# since 1 June 2001", « adoptée le 12 mai 1999 ».
_DOCUMENT_DATE_BEFORE = re.compile(
    r"\b(?:since|signed|dated|adopted|enacted|effective|amended|founded|opened|passed"
    r"|depuis|sign[ée]e?s?|dat[ée]e?s?|adopt[ée]e?s?|en\s+vigueur|modifi[ée]e?s?"
    r"|fond[ée]e?s?|ouvert(?:e|s|es)?)\b(?:\s+\w+){0,2}\s*[:,]?\s*$",
    re.IGNORECASE,
)
_MONTH_WORD = re.compile(_MONTH, re.IGNORECASE)


def _long_past_year(year: int, digits: int) -> bool:
    if digits == 2:
        return year >= _TWO_DIGIT_YEAR_FROM
    return year <= date.today().year - _LONG_PAST_YEARS


def _written_date_year(written: str) -> tuple[int, int] | None:
    """The year of a full date written with digits, and its number of digits; None for a
    month and year alone ("March 1985")."""
    numbers = re.findall(r"\d+", written)
    full = len(numbers) == 3 or (len(numbers) == 2 and _MONTH_WORD.search(written))
    if not full:
        return None
    year = next((n for n in numbers if len(n) == 4), numbers[-1])
    return int(year), len(year)


def _spoken_date_year(match: re.Match[str]) -> tuple[int, int] | None:
    said = match.group("year1") or match.group("year2")
    if not said:
        return None
    digits = said.lstrip("'’")
    if digits.isdigit():
        return int(digits), len(digits)
    year = spoken_year(said)
    # A round tens word on its own is more often a count: "the 3rd of March, forty
    # officers…".
    if year and year[1] == 2 and year[0] % 10 == 0 and len(said.split()) == 1:
        return None
    return year


def _old_date(text: str, start: int, year: tuple[int, int] | None) -> bool:
    return (
        year is not None
        and _long_past_year(*year)
        and not _DOCUMENT_DATE_BEFORE.search(text, max(0, start - 40), start)
    )


def _dates_of_birth(text: str) -> Iterator[_Span]:
    for match in _DATE.finditer(text):
        start, end = match.span()
        if (
            _BIRTH_BEFORE.search(text, max(0, start - 40), start)
            or _BIRTH_AFTER.match(text, end, end + 40)
            or _birth_word_near(text, start)
            or _old_date(text, start, _written_date_year(match.group()))
        ):
            yield _span(match, DATE_OF_BIRTH)
    for match in _DATE_SPOKEN.finditer(text):
        start = match.start()
        if (
            _BIRTH_BEFORE.search(text, max(0, start - 40), start)
            or _birth_word_near(text, start)
            or _birthday_word_near(text, start)
            or _old_date(text, start, _spoken_date_year(match))
        ):
            yield _span(match, DATE_OF_BIRTH)
    for pattern in (_BORN_IN_YEAR, _BIRTHDAY_DATED):
        for match in pattern.finditer(text):
            yield _span(match, DATE_OF_BIRTH)


# --------------------------------------------------------------------------------------
# Health card numbers.
# --------------------------------------------------------------------------------------

# Ontario (OHIP): 10 digits grouped 4-3-3, with an optional two-letter version code:
# 1234-567-890-AB, 1234 567 890. The same grouping covers a BC PHN written 9123 456 789.
_OHIP_GROUPED = re.compile(r"(?<![\w-])\d{4}([ -])\d{3}\1\d{3}(?:[ -]?[A-Z]{2})?(?![\w-])")

# Ontario, ungrouped but with its version code: 1234567890AB.
_OHIP_VERSIONED = re.compile(r"(?<![\w-])\d{10}[ -]?[A-Z]{2}(?![\w-])")

# Quebec (RAMQ): four letters (from the name) and eight digits: TREM 8501 0112.
_RAMQ = re.compile(r"(?<![\w-])[A-Z]{4}[ -]?\d{4}[ -]?\d{4}(?![\w-])")

# A bare run of ten digits. When it cannot be a phone number (it starts with 0 or 1)
# it has the shape of an Ontario health number; when it passes the BC mod-11 check it
# is a BC personal health number. Otherwise _phones() reports it.
_TEN_DIGITS = re.compile(r"(?<![\w+.-])\d{10}(?![\w-])")

# Any number of 8 to 12 digits (Alberta and Manitoba use 9, RAMQ 8 plus letters)
# after a word that names a health card or plan: "His AHCIP number is 123456780",
# "Alberta health care 12345-6789", "BC MSP 9123 456 789", "numéro d'assurance maladie".
_HEALTH_CONTEXT = re.compile(
    rf"""
    \b(?:health\s*(?:card|number|insurance\s+number|care)|ohip|ramq|phn|hcn|msp|ahcip
       |care\s*card|carte\s+(?:sant[ée]|soleil|d['’]assurance[\s-]maladie|ramq)
       |assurance[\s-]maladie|(?-i:NAM))\b
    {_FILLER}
    (?P<number>(?:(?-i:[A-Z]{{4}})[ -]?)?\d(?:[ -]?\d){{7,11}}(?:[ -]?(?-i:[A-Z]{{2}}))?)
    (?![\w-])
    """,
    re.IGNORECASE | re.VERBOSE,
)

# A phone number that happens to follow "OHIP" ("the OHIP office, 416-555-0123", "the
# health care line, 1-800-555-0199") is left to _phones().
_PHONE_FORMATTED = re.compile(r"\d{3}[ .-]\d{3}[ .-]\d{4}")


def _written_as_phone(number: str) -> bool:
    return bool(
        _PHONE_FORMATTED.fullmatch(number)
        or (not number.isdigit() and _PHONE_NANP.fullmatch(number))
    )


# Words that say a number is a phone number ("son cell c'est le 5145 550 171"); not
# "number", which a health card has too.
_PHONE_WORD_BEFORE = re.compile(
    r"\b(?:phone|cell|cellphone|mobile|tel|t[ée]l[ée]phone|t[ée]l|call|text"
    r"|txt|reach|cellulaire|appeler|rappeler|texter|joindre)\b(?:\s+\S+){0,4}\s*$",
    re.IGNORECASE,
)


def _read_as_phone(text: str, match: re.Match[str]) -> bool:
    """True when ten digits in a health card's grouping ("5145 550 171") are a real phone
    number and a phone word comes before them in the same sentence: a mistyped grouping
    of a phone number, not a health card."""
    start = match.start()
    before = text[max(0, start - 40) : start]
    ends = [m.end() for m in _SENTENCE_END.finditer(before)]
    before = before[ends[-1] :] if ends else before
    if not _PHONE_WORD_BEFORE.search(before):
        return False
    try:
        number = phonenumbers.parse(match.group(), "CA")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _health_cards(text: str) -> Iterator[_Span]:
    for pattern in (_OHIP_GROUPED, _OHIP_VERSIONED, _RAMQ):
        for match in pattern.finditer(text):
            if pattern is _OHIP_GROUPED and _read_as_phone(text, match):
                continue
            yield _span(match, HEALTH_CARD)
    for match in _TEN_DIGITS.finditer(text):
        digits = match.group()
        if digits[0] in "01" or bc_phn_valid(digits):
            yield _span(match, HEALTH_CARD, weak=True)
    for match in _HEALTH_CONTEXT.finditer(text):
        number = match.group("number")
        if not (_DATE.fullmatch(number) or _written_as_phone(number)):
            yield _span(match, HEALTH_CARD, "number")


# --------------------------------------------------------------------------------------
# Driver's licence and passport numbers.
# --------------------------------------------------------------------------------------

# Only after a word that names the document, since their shapes vary by province and
# country: "driver's licence S1234-56789-01234" (Ontario), "permis de conduire
# T1234-567890-12" (Quebec), "passport HK123456", "passeport no HK 123456". The number
# is up to two letters and then five or more digits, spaced or dashed.
_LICENCE_OR_PASSPORT_CONTEXT = re.compile(
    rf"""
    \b(?:driv(?:er|ers|er['’]s|ing)\s+licen[cs]e|(?-i:DL)|permis\s+de\s+conduire
       |passports?|passeports?)\b
    {_FILLER}
    (?P<number>(?:(?-i:[A-Z]{{1,2}})[ -]?|(?-i:[a-z]{{1,2}}))?\d(?:[ -]?\d){{4,16}})
    (?![\w-])
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _licences_and_passports(text: str) -> Iterator[_Span]:
    for match in _LICENCE_OR_PASSPORT_CONTEXT.finditer(text):
        number = match.group("number")
        if not (_DATE.fullmatch(number) or _written_as_phone(number)):
            yield _span(match, LICENCE_OR_PASSPORT, "number")


# --------------------------------------------------------------------------------------
# Social insurance numbers.
# --------------------------------------------------------------------------------------

# Nine digits, bare or grouped 3-3-3 with the same separator: 046 454 286, 046-454-286.
# Only a Luhn-valid number counts, and not right after a police word.
_SIN_SHAPE = re.compile(r"(?<![\w+.-])(?<!\d[ -])\d{3}([ -]?)\d{3}\1\d{3}(?![ -]?\d)(?![\w-])")

# Any nine digits after "SIN", "social insurance" or the French "NAS", Luhn or not.
_SIN_CONTEXT = re.compile(
    rf"""
    (?:\b(?-i:SIN|NAS)\b|\bS\.I\.N\b\.?|\bsocial\s+insurance\b|\bassurance\s+sociale\b)
    {_FILLER}
    (?P<number>\d{{3}}[ -]?\d{{3}}[ -]?\d{{3}})
    (?![ -]?\d)(?![\w-])
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _social_insurance_numbers(text: str) -> Iterator[_Span]:
    for match in _SIN_SHAPE.finditer(text):
        if luhn_valid(match.group()):
            yield _span(match, SIN, weak=True)
    for match in _SIN_CONTEXT.finditer(text):
        yield _span(match, SIN, "number")


# --------------------------------------------------------------------------------------
# Street addresses.
# --------------------------------------------------------------------------------------

# Not inside another number, a time (14:30), a decimal, a date or an amount ($20).
_NOT_AFTER = r"(?<![\w:.,/$#-])"
# "apt 4, " or "#4, " before the house number.
_UNIT_PREFIX = (
    r"(?:(?i:apt|apartment|app|appartement|suite|ste|unit|logement)\.?\s*\d{1,5}[A-Za-z]?"
    r"\s*(?:,\s*)?|\#\s*\d{1,5}[A-Za-z]?\s*,\s*)?"
)
# 12, 7B, 4-200 (unit-house).
_HOUSE = r"\d{1,5}[A-Za-z]?(?:-\d{1,5})?"
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
# Spelled out, or abbreviated (the abbreviation may carry its full stop).
_EN_TYPES = (
    r"(?i:(?:street|avenue|road|boulevard|drive|lane|way|crescent|court|place|terrace"
    r"|parkway|highway|circle|square|trail|gardens|heights|row|close|quay|grove|gate"
    r"|mews|hill|line|concession|sideroad|path|walk)\b"
    r"|(?:st|ave|rd|blvd|dr|ln|cres|ct|pl|terr|pkwy|hwy|cir|sq|trl|gdns|hts|grv)\b\.?)"
)
_DIRECTION = r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West|Est|Ouest|Nord|Sud)\b\.?)?"

# English order, number-name-type: "12 Main Street", "450 Queen St. W", "7B Elm Cres",
# "12 St Clair Ave", "apt 4, 200 Bay St". The name words must be capitalised (or an
# ordinal like 5th), so "2 officers parked on King Street" is not an address.
_ADDRESS_EN = re.compile(
    rf"""
    {_NOT_AFTER}{_UNIT_PREFIX}{_HOUSE}
    \s+(?:(?:{_CAPITALISED}|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,4}}?
    {_EN_TYPES}{_DIRECTION}
    """,
    re.VERBOSE,
)

# Capitalised words that, between a number and a street type, make a service or a
# duration rather than an address: "the 24 Hour Crisis Line", "a 5 Minute Walk",
# "the 211 Help Line".
_NOT_STREET_NAME_WORDS = frozenset(
    {"hour", "hours", "minute", "minutes", "day", "days", "help", "crisis", "support",
     "info", "tip", "tips", "distress", "phone", "hot"}
)  # fmt: skip

# English in lower case, one name word and a spelled-out street type: "12 main street".
_ADDRESS_EN_LOWER = re.compile(
    rf"{_NOT_AFTER}{_UNIT_PREFIX}{_HOUSE}\s+[a-z]+\s+"
    r"(?:street|avenue|road|boulevard|crescent|terrace|parkway)\b"
)

# Rural and highway addresses: "1234 Highway 7", "5520 County Road 10".
_ADDRESS_HIGHWAY = re.compile(
    rf"{_NOT_AFTER}{_HOUSE}\s+"
    r"(?i:highway|hwy|route|rte|regional\s+road|county\s+road|concession(?:\s+road)?"
    r"|sideroad)"
    r"\.?\s+\d{1,4}[A-Z]?\b"
)

# French order, number-type-name: "1450 rue Sainte-Catherine", "1200 boul. René-Lévesque",
# "1450, rue de la Montagne". After rue, avenue, boulevard and chemin the name may be in
# lower case; after types that are also common words (place, côte, route) it must be
# capitalised, so "il reste 1 place dans la salle" is not an address.
_FR_ARTICLE = r"(?:(?:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’])\s*)?"
_ADDRESS_FR = re.compile(
    rf"""
    {_NOT_AFTER}{_UNIT_PREFIX}{_HOUSE}(?:\s*,)?\s+
    (?:
        (?i:rue|avenue|av\.|boulevard|boul\.|bd|chemin|ch\.)\s+{_FR_ARTICLE}
        (?!(?i:de|du|des|la|le|les)\b)[^\W\d_][\w'’-]*
      | (?i:place|pl\.|rang|c[ôo]te|mont[ée]e|route|all[ée]e|impasse|promenade|croissant
           |terrasse|quai|carr[ée])\s+{_FR_ARTICLE}{_CAPITALISED}
    )
    {_DIRECTION}
    """,
    re.VERBOSE,
)


# Montreal style, without "rue": a house number of two digits or more and a saint's
# name, "1450 Ste-Catherine E.", "2000 St-Denis", "1200, Saint-Laurent O." (one digit
# is more often a count: "2 Saint-Jean officers").
_ADDRESS_SAINT = re.compile(
    rf"""
    {_NOT_AFTER}{_UNIT_PREFIX}\d{{2,5}}[A-Za-z]?(?:-\d{{1,5}})?(?:\s*,)?\s+
    (?i:st|ste|saint|sainte)\.?-{_CAPITALISED}
    {_DIRECTION}
    """,
    re.VERBOSE,
)


# Without a street type, a house number and a capitalised name are an address only where
# they cannot be anything else: after a word that places someone there ("stays at 88
# Dundas W", "home to 12 Sackville", "outside 168 Parliament", « au 312 Rachel », « devant
# le 2065 Parthenais »), with a direction after the name ("845 Beaubien E"), or with a
# unit in front ("#310-55 Bleecker", "app. 6, 4120 de Bullion", "unit 1406 at 200
# Sherbourne"). The name is one or two capitalised words, or a particle and a word ("De
# Maisonneuve", "de Bullion"); a unit after it is part of the excerpt. After such a word
# a street in lower case with its type is one too ("at 200 sherbourne st").
_STREET_NAME = (
    r"(?:(?:De|Des|Du|La|Le|de\s+la|de|des|du|Saint|Sainte|St|Ste)\.?[\s-]+)?"
    r"(?P<name>[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)*)"
    r"(?:\s+(?P<second>[A-ZÀ-Ý][a-zà-ÿ'’]+))??"
)
_UNIT_AFTER = (
    r"(?:,?\s*(?:(?i:unit|apt|apartment|app|appartement|logement|suite|room|chambre|bsmt)"
    r"\.?\s*\d{1,5}[A-Za-z]?|\#\s*\d{1,5}[A-Za-z]?))?"
)
_LOWER_STREET = rf"(?P<lower>[a-zà-ÿ][a-zà-ÿ'’]{{2,}})\s+{_EN_TYPES}"
_PLACED_STREET = rf"(?:{_STREET_NAME}|{_LOWER_STREET}){_DIRECTION}{_UNIT_AFTER}"
# A unit before the house number says what follows is an address: "apt 3, 45 Seaton",
# "unit 1406 at 200 sherbourne st", « app. 6, 4120 de Bullion ». A unit number alone
# ("unit 1406") is a police unit and stays allowed.
_UNIT_BEFORE = (
    r"\b(?i:apt|apartment|app|appartement|suite|unit|unité|logement)\.?\s*\d{1,5}[A-Za-z]?"
    r"\s*(?:,|-|\b(?i:at|au)\b)"
)
_PLACING_WORD = (
    r"(?:\b(?i:at|to|outside|near|in\s+front\s+of|au|devant(?:\s+le)?|face\s+au)"
    rf"|\b(?i:chez)\s+\w+(?:\s+\w+)?\s*,|{_UNIT_BEFORE})"
)
_ADDRESS_PLACED = re.compile(
    rf"{_PLACING_WORD}\s*(?P<address>{_HOUSE},?\s+{_PLACED_STREET})(?![\w'’-])"
)
# A house number of two digits or more and a street name, a few words after a word for
# where someone lives: "to where he stays, 228 Seaton", « où elle reste, elle a dit 1730
# Wolfe ». Checked in code: the same sentence, at most _RESIDENCE_REACH characters on.
_RESIDENCE_WORD = re.compile(
    r"\b(?:lives?|living|lived|stays?|staying|stayed|sleeps?|sleeping|crash(?:es|ing)?"
    r"|home|address|addr|reste|restait|restent|habite|habitait|habitent|demeure|demeurait"
    r"|vit|vivait|domicile|adresse|chez\s+(?:eux|lui|elle|nous|soi))\b",
    re.IGNORECASE,
)
_RESIDENCE_REACH = 60
_ADDRESS_BARE = re.compile(
    rf"{_NOT_AFTER}(?P<address>\d{{2,5}}[A-Za-z]?(?:-\d{{1,5}})?,?\s+{_PLACED_STREET})"
    r"(?![\w'’-])"
)
_ADDRESS_DIRECTED = re.compile(
    rf"{_NOT_AFTER}(?P<address>{_HOUSE},?\s+{_STREET_NAME}"
    r"\s+(?:[NSEWO]|Est|Ouest|East|West|Nord|Sud)\b\.?{_UNIT_AFTER})"
)
_ADDRESS_UNIT_FIRST = re.compile(
    rf"(?<![\w&])(?P<address>\#\s*\d{{1,5}}-\d{{1,5}}\s+{_STREET_NAME}{_DIRECTION})"
    r"(?![\w'’-])"
)
# French numbered avenues: "5465 3e Avenue", "1200 1re Rue".
_ADDRESS_NUMBERED_STREET = re.compile(
    rf"{_NOT_AFTER}{_HOUSE},?\s+\d{{1,2}}(?:e|er|re|ème|st|nd|rd|th)\s+"
    r"(?i:avenue|av\.|rue|street|st\.?|ave\.?)(?!\w)"
)

# Capitalised words after a number that make it a police unit, a count, a time or a
# route rather than an address: "at 52 Division", "to 51 Station", "at 3 Officers".
_NOT_STREET_NAMES = frozenset({
    "division", "divisions", "div", "station", "unit", "units", "district", "precinct",
    "platoon", "officers", "officer", "cops", "cruisers", "cruiser", "police", "agents",
    "policiers", "unités", "unité", "poste", "postes", "minutes", "hours", "heures", "am",
    "pm", "people", "personnes", "times", "fois",
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "janvier", "février", "mars",
    "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
}) | _NOT_STREET_NAME_WORDS  # fmt: skip


def _bare_street_name(match: re.Match[str], text: str) -> bool:
    """True when the name after the house number may be a street's."""
    groups = match.groupdict()
    names = [groups.get("name") or groups.get("lower") or "", groups.get("second") or ""]
    if any(n.lower().removesuffix("'s").removesuffix("’s") in _NOT_STREET_NAMES for n in names):
        return False
    return not _TRANSIT_AFTER.match(text, match.end())


def _street_addresses(text: str) -> Iterator[_Span]:
    for match in _ADDRESS_EN.finditer(text):
        words = {word.lower() for word in match.group().split()}
        if not words & _NOT_STREET_NAME_WORDS:
            yield _span(match, STREET_ADDRESS)
    for pattern in (
        _ADDRESS_EN_LOWER,
        _ADDRESS_HIGHWAY,
        _ADDRESS_FR,
        _ADDRESS_SAINT,
        _ADDRESS_NUMBERED_STREET,
    ):
        for match in pattern.finditer(text):
            yield _span(match, STREET_ADDRESS)
    for pattern in (_ADDRESS_PLACED, _ADDRESS_DIRECTED, _ADDRESS_UNIT_FIRST):
        for match in pattern.finditer(text):
            if _bare_street_name(match, text):
                yield _span(match, STREET_ADDRESS, "address")
    yield from _addresses_after_residence_words(text)


def _addresses_after_residence_words(text: str) -> Iterator[_Span]:
    for word in _RESIDENCE_WORD.finditer(text):
        limit = word.end() + _RESIDENCE_REACH
        sentence_end = _SENTENCE_END.search(text, word.end(), limit)
        if sentence_end:
            limit = sentence_end.start()
        # Bounded, so a long text with many such words is not scanned to its end each time.
        match = _ADDRESS_BARE.search(text, word.end(), limit + 80)
        if match and match.start() < limit and _bare_street_name(match, text):
            yield _span(match, STREET_ADDRESS, "address")


# --------------------------------------------------------------------------------------
# Licence plates.
# --------------------------------------------------------------------------------------

# A plate after a word that says so: "plate ABCD 123", "licence CBXR 512",
# "Quebec plates 123 ABC", "plaque d'immatriculation FXK 2345". Checked in code: five
# to eight letters and digits, with at least one of each.
_PLATE_CONTEXT = re.compile(
    r"""
    (?:\b(?:licen[cs]e|plates?|tags?|plaques?|immatriculation|registration)\b
      |\b(?:immat|reg|lic)\b\.?)
    (?:\s*(?:plates?\b|no\b\.?|number\b|num[ée]ro\b|n°|\#|:|is\b|was\b|reads?\b
           |d['’]immatriculation\b)){0,3}
    \s*
    (?P<plate>[A-Za-z0-9]{1,4}(?:[ -]?[A-Za-z0-9]{1,4})?)
    (?![\w-])
    """,
    re.IGNORECASE | re.VERBOSE,
)

# A capitalised plate-shaped token standing alone: ABCD 123, ABC 123, ABC-1234
# (Ontario, Alberta, older BC), 123 ABC (Quebec), AB1 23C (BC), A12 BCD (Quebec).
_PLATE_BARE = re.compile(
    r"""
    (?<![\w-])
    (?:
        (?P<letters>[A-Z]{3,4})[ -]?(?P<digits>\d{3,4})
      | \d{3}[ -]?(?P<trailing>[A-Z]{3})
      | [A-Z]{2}\d[ -]?\d{2}[A-Z]
      | [A-Z]\d{2}[ -]?[A-Z]{3}
    )
    (?![\w-])
    """,
    re.VERBOSE,
)

# Capitalised words that come before or after a number in police and site writing and
# are not plates: police services, statutes, currencies, highways, months.
# fmt: off
_NOT_PLATE_WORDS = frozenset({
    # police services and units
    "TPS", "OPP", "RCMP", "GRC", "SPVM", "SPVQ", "SPL", "VPD", "EPS", "CPS", "WPS", "HRP",
    "OPS", "PRP", "YRP", "DRPS", "NRPS", "HPS", "LPS", "RPS", "SPS", "ETF", "MCIT", "EMS",
    "EMT", "PDQ", "UNIT", "CAR", "PC", "CST", "SGT", "DET",
    # transit agencies: "TTC 504" is a streetcar route
    "TTC", "STM", "STL", "RTL", "OC", "YRT", "DRT", "HSR", "LRT", "GO",
    # statutes, requests and identifiers named by their acronym
    "CDSA", "CSA", "ATIP", "FOI", "SIN", "NAS", "PHN", "OHIP", "RAMQ", "MSP", "NAM",
    "AHCIP",
    # money and roads
    "CAD", "USD", "EUR", "HWY", "RTE", "QEW", "DVP", "ROOM",
    # months and weekdays
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUNE", "JUL", "JULY", "AUG", "SEP", "SEPT",
    "OCT", "NOV", "DEC", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN",
})

# Short words that, next to a number after "plate" or "tag", make it an ordinary phrase
# rather than a plate: "plate from 2019", "tags on 100 cars", "plaque de 2019".
_NOT_PLATE_PARTS = frozenset({
    "a", "an", "am", "and", "are", "as", "at", "be", "by", "for", "from", "had", "has",
    "he", "her", "him", "his", "in", "is", "it", "its", "no", "not", "of", "on", "or",
    "our", "she", "so", "than", "that", "the", "then", "they", "this", "to", "up", "was",
    "we", "were", "with", "all", "any", "few", "one", "two", "six", "ten", "car", "cars",
    "van", "vans", "bus", "suv", "suvs", "km", "min", "mins", "hr", "hrs", "hour", "day",
    "days", "week", "time", "men", "ppl", "feet", "ft", "pm",
    "au", "aux", "de", "des", "du", "en", "est", "et", "la", "le", "les", "ou", "par",
    "sur", "un", "une", "h",
})
# fmt: on

# A number with a unit or ordinal glued to it is not a plate: "100km", "20mins",
# "2019th", "10h30".
_NUMBER_WITH_UNIT = re.compile(
    r"\d+(?:st|nd|rd|th|er|e|km|m|cm|kg|mg|ml|min|mins|h|hr|hrs|am|pm|s|x)|\d{1,2}h\d{2}",
    re.IGNORECASE,
)


def _is_year(part: str) -> bool:
    return len(part) == 4 and part.isdigit() and 1900 <= int(part) <= 2099


def _plausible_plate(plate: str, *, allow_year: bool) -> bool:
    """True when a token found after a plate word looks like a plate: five to eight
    letters and digits with at least one of each, and not an ordinary phrase.

    With allow_year False, letters next to a year ("from 2019", "ABC 2019") are not a
    plate."""
    parts = [part for part in re.split(r"[ -]", plate) if part]
    alnum = "".join(parts)
    if not (
        5 <= len(alnum) <= 8 and any(c.isdigit() for c in alnum) and any(c.isalpha() for c in alnum)
    ):
        return False
    if len(parts) == 1:
        return not _NUMBER_WITH_UNIT.fullmatch(alnum)
    for part in parts:
        if part.isalpha() and (
            part.upper() in _NOT_PLATE_WORDS
            or (not part.isupper() and part.lower() in _NOT_PLATE_PARTS)
        ):
            return False
    return allow_year or not (
        any(part.isalpha() for part in parts) and any(_is_year(part) for part in parts)
    )


# A police vehicle's own plate is police conduct, not a private vehicle: a word for a
# police vehicle anywhere earlier in the same sentence, before or after the plate word:
# "cruiser plate BXRT 512", "from an unmarked car, plate CNDX 123", "plate on the marked
# SUV was ATRK 445", "we got the plate of the police van: CJPL 390", « la plaque de
# l'auto-patrouille : FZK 2189 », « plaque du VUS identifié », « panier à salade ».
_POLICE_VEHICLE = re.compile(
    r"""
    \b(?:cruisers?|units?|scout\s+cars?|squad\s+cars?|patrol\s+cars?|ghost\s+cars?
       |(?:paddy\s+)?wagons?|police\s+(?:car|vehicle|van|suv|truck|cruiser|wagon|plate)s?
       |(?:un)?marked
       |autos?-?patrouilles?|(?:voiture|auto|char|v[ée]hicule|fourgon|camion)s?\s+de\s+police
       |banalis[ée]e?s?|identifi[ée]e?s?|unit[ée]s?|panier\s+[àa]\s+salade
       |autos?\s+fant[ôo]mes?)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
# …unless a private vehicle comes between: "the cruiser pulled over her car, plate …".
_PRIVATE_OWNER = re.compile(
    r"\b(?:his|her|hers|their|client['’]?s?|participant['’]?s?|bf['’]s|gf['’]s|son|sa|ses"
    r"|leur|chum|blonde)\b",
    re.IGNORECASE,
)
_POLICE_VEHICLE_REACH = 160  # characters back from the plate to look for the vehicle word


def _police_vehicle_before(text: str, start: int) -> bool:
    window_start = max(0, start - _POLICE_VEHICLE_REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, window_start, start)]
    sentence_start = ends[-1] if ends else window_start
    vehicles = list(_POLICE_VEHICLE.finditer(text, sentence_start, start))
    if not vehicles:
        return False
    return _PRIVATE_OWNER.search(text, vehicles[-1].end(), start) is None


def _typed_in_capitals(text: str, start: int, end: int) -> bool:
    """True when the words around a match are typed in capitals ("PARKED FOR 100 MIN"),
    where every word followed by a number looks like a plate."""
    letters = [c for c in text[max(0, start - 40) : end + 40] if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


# A plate a few words after "plate", in any case: "plaque ontarienne cbxr 512",
# "plate of the client's truck: 7ABC123". Each word that starts within _PLATE_NEAR_CHARS
# characters of the plate word (in the same sentence) is tried as the start of a plate.
_PLATE_WORD = re.compile(
    r"\b(?:plates?|plaques?|tags?|immatriculation|immat|registration|reg)\b", re.IGNORECASE
)
_PLATE_NEAR_CHARS = 30
_WORD_START = re.compile(r"(?<![\w'’-])(?=[A-Za-z0-9])")
_PLATE_TOKEN = re.compile(r"[A-Za-z0-9]{1,4}(?:[ -]?[A-Za-z0-9]{1,4})?(?![\w-])")
# A plate read out one character at a time: "plaque F W L 8 2 0 4", "plate c-k-l-t 2 9 4".
_PLATE_SPELLED = re.compile(r"[A-Za-z0-9](?:[ -][A-Za-z0-9]){4,7}(?![\w-])")

# A route or stop number, not a plate: "TTC 504 stop", "the KING 504 streetcar".
_TRANSIT_AFTER = re.compile(
    r"\s*(?:routes?|bus(?:es)?|streetcars?|stops?|stations?|lines?|subway|trains?|trams?"
    r"|express|ligne|arr[êe]t|autobus)\b",
    re.IGNORECASE,
)


def _plates_near_plate_words(text: str) -> Iterator[_Span]:
    for word in _PLATE_WORD.finditer(text):
        limit = word.end() + _PLATE_NEAR_CHARS
        sentence_end = _SENTENCE_END.search(text, word.end(), limit)
        if sentence_end:
            limit = sentence_end.start()
        for start in _WORD_START.finditer(text, word.end(), limit):
            token = _PLATE_SPELLED.match(text, start.start())
            if not (
                token and _plausible_plate(re.sub(r"[ -]", "", token.group()), allow_year=False)
            ):
                token = _PLATE_TOKEN.match(text, start.start())
            if token and _plausible_plate(token.group(), allow_year=False):
                if not _police_vehicle_before(text, token.start()):
                    yield _span(token, LICENCE_PLATE)
                break


def _licence_plates(text: str) -> Iterator[_Span]:
    for match in _PLATE_CONTEXT.finditer(text):
        if _plausible_plate(match.group("plate"), allow_year=True) and not (
            _police_vehicle_before(text, match.start("plate"))
        ):
            yield _span(match, LICENCE_PLATE, "plate")
    yield from _plates_near_plate_words(text)
    for match in _PLATE_BARE.finditer(text):
        word = match.group("letters") or match.group("trailing")
        digits = match.group("digits")
        if (
            word in _NOT_PLATE_WORDS
            # an acronym and a year: "CAMH 2019 report", "CBC 2024 article"
            or (digits is not None and _is_year(digits))
            or _TRANSIT_AFTER.match(text, match.end())
            or _police_vehicle_before(text, match.start())
            or _typed_in_capitals(text, *match.span())
        ):
            continue
        yield _span(match, LICENCE_PLATE)


# --------------------------------------------------------------------------------------
# Putting it together.
# --------------------------------------------------------------------------------------

_DETECTORS: tuple[Callable[[str], Iterable[_Span]], ...] = (
    _emails,
    _phones,
    _dates_of_birth,
    _social_handles,
    _health_cards,
    _licences_and_passports,
    _social_insurance_numbers,
    _street_addresses,
    _licence_plates,
)

# Spaces and dashes that look the same on screen but are different characters. Each is
# swapped one for one, so positions in the normalised text match the original.
_LOOKALIKES = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2212": "-",  # minus sign
    }
)


def _shorten(excerpt: str) -> str:
    excerpt = " ".join(excerpt.split())
    return excerpt if len(excerpt) <= EXCERPT_MAX else excerpt[: EXCERPT_MAX - 1] + "…"


def _resolve_overlaps(spans: Iterable[_Span]) -> list[_Span]:
    """One span per stretch of text: the most specific kind first, then the longest."""
    kept: list[_Span] = []  # sorted by start; never overlapping one another
    starts: list[int] = []
    for span in sorted(spans, key=lambda s: (_RANK[s.kind], s.start - s.end, s.start)):
        at = bisect.bisect_left(starts, span.start)
        # Only the neighbours on either side can overlap the new span.
        clashes_before = at > 0 and kept[at - 1].end > span.start
        clashes_after = at < len(kept) and kept[at].start < span.end
        if not (clashes_before or clashes_after):
            kept.insert(at, span)
            starts.insert(at, span.start)
    return kept


def _names(text: str, officers: Collection[str]) -> Iterator[_Span]:
    for name in find_names(text, officers):
        yield _Span(name.start, name.end, NICKNAME if name.nickname else PERSONAL_NAME)


def _refusals(text: str, officers: Collection[str], *, with_names: bool = True) -> list[Finding]:
    if not text:
        return []
    normalised = text.translate(_LOOKALIKES)
    spans = [
        span
        for detect in _DETECTORS
        for span in detect(normalised)
        if not (span.weak and _follows_police_word(normalised, span.start))
    ]
    if with_names:
        spans += _names(normalised, officers)
    findings: dict[Finding, None] = {}  # a dict keeps text order and drops repeats
    for span in _resolve_overlaps(spans):
        excerpt = _shorten(text[span.start : span.end])
        finding = Finding(span.kind, excerpt, MESSAGES[span.kind].reason)
        findings.setdefault(finding, None)
    return list(findings)


@dataclass(frozen=True)
class Assessment:
    """What the guard makes of one text: identifiers it refuses outright, and passages it
    cannot decide (a description that may single out a client), which the writer must
    edit or confirm as describing police."""

    refusals: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.refusals and not self.warnings


def assess(text: str, *, officers: Collection[str] = ()) -> Assessment:
    """Everything the guard finds in `text`, in text order. `officers`: the names of the
    site's police officers (the roster), which are allowed where other personal names
    are not."""
    from privacy.pii_descriptions import find_descriptions  # its own module, same layer

    if not text:
        return Assessment()
    return Assessment(
        refusals=tuple(_refusals(text, officers)),
        warnings=tuple(find_descriptions(text, officers=officers)),
    )


def find_pii(text: str, *, officers: Collection[str] = ()) -> list[Finding]:
    """Every identifier the guard refuses in `text`, in text order.

    Overlapping matches give one finding (the most specific kind wins), and the same
    text found twice as the same kind is reported once.
    """
    return list(assess(text, officers=officers).refusals)


def check_free_text(text: str) -> None:
    """Raise ValidationError (code "pii"), one message per finding, if `text` holds
    anything that could identify a person. The model fields' validator: it knows no
    site, so it checks what needs no roster; `check_text` is the whole guard."""
    findings = _refusals(text, (), with_names=False)
    if findings:
        raise ValidationError(
            [ValidationError(message_for(finding), code=ERROR_CODE) for finding in findings]
        )


def check_text(text: str, *, officers: Collection[str] = (), confirmed: bool = False) -> None:
    """The whole guard, for a text written at a site: raise ValidationError with one
    message per refusal (code "pii") and, unless the writer `confirmed` that the text
    describes police, one per warning (code `WARNING_CODE`)."""
    found = assess(text, officers=officers)
    errors = [ValidationError(message_for(f), code=ERROR_CODE) for f in found.refusals]
    if not confirmed:
        errors += [ValidationError(message_for(f), code=WARNING_CODE) for f in found.warnings]
    if errors:
        raise ValidationError(errors)
