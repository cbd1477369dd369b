"""Passages that may single out a client without any identifier (issue 15 item 2).

A tattoo, a tent's colour and place, a dog, a limp, where someone sleeps and when: no
pattern can tell with confidence whether such words describe a client or an officer, so
the guard warns and the writer decides (`privacy.pii.check_text`). Pure: no database.

How it reads a text
-------------------
1. It finds *features* that single a person out: a tattoo, a scar, hair or a beard, a
   mobility aid or limp, a dog, what someone wears, where someone sleeps or stays, a
   tent described by its colour, what someone carries (a cart, a stroller), what they do
   for money, and habits and times ("every morning", « tous les soirs », "right at 8").
2. It finds *mentions* of people: police (officer, cop, constable, K9, cruiser, agent,
   matricule… and the names on the site's police roster) and others (guy, woman, client,
   participant, someone, « gars », « femme », « celui »…). Pronouns (he, she, il, elle)
   are not mentions: they stand for whoever was named last.
3. Each feature belongs to the nearest mention before it (or, with none before, the
   nearest one just after: "a tattooed guy"). Features that belong to police are
   police conduct and pass ("the officer had a tattoo", "constable with a dog").
4. A warning is given for every non-police mention with at least one feature, and for
   features belonging to nobody when one of them is strong (a tattoo, a scar, a limp…)
   or two weak ones come together (a cap and where someone sleeps).

Limits: it reads words, not meaning. "The guy in the blue tent" and "the blue tent by
the fence" are caught; "the one we all know from the ramp" is not; a police description
written without any police word near it is warned about, and the writer confirms.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from privacy.pii import DESCRIPTION, EXCERPT_MAX, Finding

__all__ = ["find_descriptions"]

# How far (in characters) a feature looks back, then forward, for the person it describes.
_LOOK_BACK = 160
_LOOK_AHEAD = 40


@dataclass(frozen=True)
class _Feature:
    name: str
    label: str | Promise  # a noun phrase for the reason: "a tattoo"
    strong: bool  # enough alone to single someone out, even without a person word
    pattern: re.Pattern[str]
    # Never police's: officers do not sleep in tents or panhandle, so "police took the
    # orange tent" describes whoever lives in it, not the officers before it.
    never_police: bool = False


def _words(*alternatives: str) -> str:
    return "|".join(alternatives)


_COLOURS = _words(
    "red", "blue", "green", "yellow", "orange", "purple", "pink", "black", "white", "grey",
    "gray", "brown", "camo", "camouflage", "rouge", "bleue?", "verte?", "jaune", "mauve",
    "violette?", "rose", "noire?", "blanche", "blanc", "grise?", "brune?", "beige",
)  # fmt: skip


def _rx(body: str) -> re.Pattern[str]:
    # \b does not see an apostrophe as a boundary in "l'homme": (?<![\w]) does the job.
    body = body.replace("COLOUR", _COLOURS)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


_FEATURES: tuple[_Feature, ...] = (
    _Feature(
        "tattoo",
        _("a tattoo"),
        True,
        _rx(r"tatt?oo(?:s|ed)?|tats?|tatouages?|tatoué(?:e|s|es)?"),
    ),
    _Feature("scar", _("a scar"), True, _rx(r"scars?|scarred|cicatrices?|balafre")),
    _Feature(
        "hair",
        _("hair or a beard"),
        True,
        _rx(
            r"(?:(?:COLOUR|bleached|dyed|long|shaved|curly)\s+)?(?:hair|mohawk)|dreads"
            r"|dreadlocks|beard|bald|cheveux(?:\s+(?:COLOUR))?|barbe|rasé|chauve|mohawk"
        ),
    ),
    _Feature(
        "mobility",
        _("a limp, a wheelchair or another aid"),
        True,
        _rx(
            r"limps?|limping|wheelchair|walker|cane|crutch(?:es)?|prosthe(?:tic|sis)"
            r"|one\s+leg|missing\s+(?:a\s+)?(?:leg|arm|hand|fingers?|teeth)|amputee"
            r"|(?:qui\s+)?boite|boiteux|boiteuse|fauteuil\s+roulant|marchette|déambulateur"
            r"|canne|béquilles?|prothèse|une\s+(?:seule\s+)?jambe"
        ),
    ),
    _Feature(
        "dog",
        _("a dog"),
        True,
        _rx(
            r"dogs?|pupp(?:y|ies)|husky|pit\s?bulls?|pitbulls?|shepherd|chiens?|chiennes?"
            r"|chiots?|pitous?|cats?|chats?"
        ),
    ),
    _Feature(
        "body",
        _("how someone looks"),
        True,
        _rx(
            r"pregnant|enceinte|indigenous|autochtone|piercings?|nose\s+ring|gold\s+tooth"
            r"|missing\s+teeth|birthmark|tache\s+de\s+naissance|dent\s+en\s+or"
        ),
    ),
    _Feature(
        "tent",
        _("a tent's colour or place"),
        True,
        _rx(
            r"(?:COLOUR)\s+(?:tent|tarp)|(?:tent|tarp)\s+(?:behind|under|by|next\s+to|beside)"
            r"|tentes?\s+(?:COLOUR)|(?:sa|son)\s+tente|tente\s+(?:derrière|sous|près)"
        ),
        never_police=True,
    ),
    _Feature(
        "clothing",
        _("clothing"),
        False,
        _rx(
            r"(?:wears?|wearing|dressed\s+in)|jackets?|coats?|parkas?|hoodies?|caps?|hats?"
            r"|toques?|beanies?|bandanas?|vests?|boots|manteaux?|manteau|casquettes?"
            r"|tuques?|chapeaux?|chapeau|coton\s+ouaté|kangourou|veste|bottes|foulard"
        ),
    ),
    _Feature(
        "sleeps",
        _("where someone sleeps or stays"),
        False,
        _rx(
            r"sleeps|sleeping|stays|staying|lives|living|camps|camping|crashes|crashing"
            r"|squats?|dort|couche|campe|vit|habite|reste\s+(?:dans|sous|derrière|au|à)"
            r"|(?:in|under|from)\s+(?:the|a|his|her)\s+(?:\w+\s+)?tent|tente"
        ),
        never_police=True,
    ),
    _Feature(
        "carries",
        _("what someone carries"),
        False,
        _rx(
            r"shopping\s+cart|cart|stroller|skateboard|bike\s+trailer|suitcase"
            r"|panier(?:\s+d'épicerie)?|poussette|planche\s+à\s+roulettes|valise|sac\s+à\s+dos"
        ),
    ),
    _Feature(
        "living",
        _("what someone does for money"),
        False,
        _rx(
            r"panhandles?|panhandling|sells|selling|squeegees?|binning|busks?|busking"
            r"|quête|quêter|vend|vendait|robine"
        ),
        never_police=True,
    ),
    _Feature(
        "build",
        _("how someone looks"),
        False,
        _rx(r"tall|skinny|heavy[- ]?set|older|elderly|maigre|vieux|vieille|âgée?"),
    ),
    _Feature(
        "habit",
        _("when someone comes by"),
        False,
        _rx(
            r"every\s+(?:single\s+)?(?:morning|night|evening|afternoon|day|week|time)"
            r"|most\s+(?:mornings|afternoons|evenings|nights|days)|always|usually"
            r"|(?:comes?|shows?\s+up|arrives?)\s+(?:in\s+)?(?:right\s+)?(?:at|every|around)"
            r"|right\s+at\s+\d{1,2}|every\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day"
            r"|tous\s+les\s+(?:matins|soirs|jours|midis|après-midi|lundis|vendredis)"
            r"|chaque\s+(?:matin|soir|jour|nuit|semaine)|toujours|d'habitude|pile"
            r"|(?:vient|arrive|passe)\s+(?:chaque|tous|toujours|à|vers)"
        ),
    ),
)

# Who a feature may belong to. Police first: a police word wins over a person word at
# the same place ("police officer", "female officer", "agente").
_POLICE = _rx(
    r"police(?:\s+officers?)?|officers?|cops?|constables?|cst|const|pc|sgt|s/sgt|sergeants?"
    r"|det|detectives?|insp|inspector|supt|k-?9|canine\s+unit|dog\s+handler|handler"
    r"|plain\s?clothes|plainclothes|cruisers?|scout\s+cars?|units?|squad|patrol|rcmp"
    r"|policiers?|policières?|agents?|agentes?|sergents?|sergentes?|sergent-détective"
    r"|enquêteur|enquêtrice|commandante?|patrouilleurs?|patrouilleuses?|matricules?"
    r"|auto-?patrouilles?|autos-patrouilles|maître-chien|escouade|spvm|tps|sq|grc"
    r"|the\s+liaison|la\s+liaison|liaison\s+officer"
)
_PERSON = _rx(
    r"guys?|man|men|woman|women|lady|ladies|girl|boy|kid|youth|dude|fella|gentleman|couple"
    r"|client|participant|someone|somebody|person|resident|regular|older\s+man"
    r"|individual|the\s+one|one\s+who|gars|homme|hommes|femmes?|dame|monsieur|madame"
    r"|fille|garçon|jeune|ado|type|client(?:e|s|es)?|participant(?:e|s|es|·e)?|personne"
    r"|quelqu'un|celui|celle|vieux|vieille|couple|habitué(?:e)?|usag(?:er|ère)"
)
# A generic "someone" with nothing that singles them out is police conduct, so plurals
# of person words (people, clients) are not mentions at all.


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    police: bool


def _mentions(text: str, officers: Collection[str]) -> list[_Mention]:
    found: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    # A roster name counts whole or in part: "Cst. Moreau" is Paul Moreau.
    names = sorted({part for name in officers for part in name.split() if len(part) > 1})
    police_patterns = [_POLICE]
    if names:
        police_patterns.append(_rx("|".join(re.escape(n) for n in names)))
    for pattern in police_patterns:
        for match in pattern.finditer(text):
            found.append(_Mention(match.start(), match.end(), True))
            taken.append(match.span())
    for match in _PERSON.finditer(text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        # "a woman officer", "female cop": a person word right before a police word.
        following = _POLICE.match(text, _skip_space(text, match.end()))
        found.append(_Mention(match.start(), match.end(), following is not None))
    return sorted(found, key=lambda m: m.start)


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] == " ":
        at += 1
    return at


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    feature: _Feature


def _hits(text: str, mentions: list[_Mention]) -> Iterator[_Hit]:
    inside = [(m.start, m.end) for m in mentions]
    for feature in _FEATURES:
        for match in feature.pattern.finditer(text):
            # a feature word that is part of a mention ("dog handler", "K9") is not one
            if any(a <= match.start() and match.end() <= b for a, b in inside):
                continue
            yield _Hit(match.start(), match.end(), feature)


def _owner(hit: _Hit, mentions: list[_Mention]) -> _Mention | None:
    if hit.feature.never_police:
        mentions = [m for m in mentions if not m.police]
    before = [m for m in mentions if m.end <= hit.start and hit.start - m.end <= _LOOK_BACK]
    if before:
        return before[-1]
    after = [m for m in mentions if m.start >= hit.end and m.start - hit.end <= _LOOK_AHEAD]
    return after[0] if after else None


def _reason(features: list[_Feature]) -> str:
    labels: list[str] = []
    for feature in features:
        label = str(feature.label)
        if label not in labels:
            labels.append(label)
    if len(labels) == 1:
        return labels[0]
    # Translators: joins the last two things that singled someone out: "a tattoo and a dog".
    return gettext("%(first)s and %(last)s") % {
        "first": ", ".join(labels[:-1]),
        "last": labels[-1],
    }


def _excerpt(text: str, start: int, end: int) -> str:
    passage = " ".join(text[start:end].split())
    return passage if len(passage) <= EXCERPT_MAX else passage[: EXCERPT_MAX - 1] + "…"


def find_descriptions(text: str, *, officers: Collection[str] = ()) -> list[Finding]:
    """Passages of `text` that seem to describe a client, as warnings (kind
    `privacy.pii.DESCRIPTION`), in text order. `officers`: the names on the site's police
    roster, which count as police mentions."""
    if not text:
        return []
    mentions = _mentions(text, officers)
    groups: dict[_Mention | None, list[_Hit]] = {}
    for hit in sorted(_hits(text, mentions), key=lambda h: h.start):
        owner = _owner(hit, mentions)
        if owner is not None and owner.police:
            continue
        groups.setdefault(owner, []).append(hit)
    findings: list[tuple[int, Finding]] = []
    for owner, hits in groups.items():
        features = [h.feature for h in hits]
        if owner is None and not (
            any(f.strong for f in features) or len({f.name for f in features}) >= 2
        ):
            continue
        if owner is not None and all(f.name == "build" for f in features):
            continue  # "an older man" alone singles nobody out
        start = owner.start if owner is not None else hits[0].start
        start = min(start, hits[0].start)
        end = max(h.end for h in hits[:2])
        findings.append(
            (start, Finding(DESCRIPTION, _excerpt(text, start, end), _reason(features)))
        )
    return [finding for _, finding in sorted(findings, key=lambda pair: pair[0])]
