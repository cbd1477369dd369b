"""Personal names and nicknames in free text, for the PII guard (`privacy.pii`).

A name is refused unless it is one of the site's police officers'. Nothing here is a
model: the measured choice (docs/decisions.md, "Names without a language model") is
patterns, a first-name list written for this project (`privacy.pii_firstnames`), and the
site's roster. A capitalised word is read as a person's name when

- it is a listed first name ("Kevin's backpack", "Tyler Hendricks"), or any capitalised
  word followed by an initial ("Jenna T.", "Mélanie B.");
- a phrase says it is one: "first name Danny", « prénom : Steve », "asked for Josh by
  name", "called him Scarecrow", « l'appelait Cowboy », "goes by", "aka";
- it is what police did something to ("picked up Red Jay", « ramassé Pitou ») or who
  said something ("Tiny says", « La Puce dit »);
- it has the shape of a nickname: "Big Mike", "Lil Dee", « Ti-Guy », « le Grand Martin »,
  or a lone capitalised word in quotes ('Smokey').

Street names that are also first names ("au coin de Rachel et Papineau", "Saint-Denis",
"312 Rachel", "on George") are left alone: a name after a street word, a saint's prefix,
a house number or as one side of an intersection is a street's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from privacy.pii_firstnames import FIRST_NAMES

__all__ = ["NameSpan", "find_names", "fold", "roster_initials", "roster_words"]


def fold(word: str) -> str:
    """Lower case without accents or a possessive: "Éric", "eric" and "Eric's" are the
    same name."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")
    return folded.removesuffix("'s")


def _folded_words(words: str) -> frozenset[str]:
    """A set of words written as one string, one or more a line, folded."""
    return frozenset(fold(word) for word in words.split())


# Ranks and titles in a stored officer ("Cst. Marc Moreau", "sergente Nadia Lavoie"):
# not names, so a stranger with the same title is not let through.
_RANKS = _folded_words(
    """cst const constable pc sgt s/sgt sergeant det detective insp inspector supt
    superintendent officer agent agente sergent sergente sergent-detective
    sergente-detective commandant commandante lieutenant lieutenante inspecteur
    inspectrice enqueteur enqueteuse enquetrice capitaine chief chef"""
)


def roster_initials(officers: Collection[str]) -> frozenset[str]:
    """The initials of the site's officers, folded and without dots: "Cst. Marc Moreau"
    gives "mm"; "sergente Marie-Ève Lavoie" gives "ml" and "mel"."""
    found = set()
    for officer in officers:
        words = [fold(w.strip(".()")) for w in re.split(r"[\s,]+", officer)]
        words = [w for w in words if len(w) > 1 and w not in _RANKS]
        if len(words) < 2:
            continue
        first, last = words[0], words[-1]
        found.add(first[0] + last[0])
        found.add("".join(part[0] for part in first.split("-") if part) + last[0])
    return frozenset(found)


def roster_words(officers: Collection[str]) -> frozenset[str]:
    """The name words of the site's officers, folded: "Cst. Marc Moreau" gives "marc" and
    "moreau". Ranks and initials are dropped."""
    words = set()
    for officer in officers:
        for word in re.split(r"[\s,]+", officer):
            word = fold(word.strip(".()"))
            if len(word) > 1 and word not in _RANKS:
                words.add(word)
                words.update(part for part in word.split("-") if len(part) > 1)
    return frozenset(words)


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    nickname: bool


_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
# One capitalised word, hyphenated parts allowed: "Kevin", "Marie-Ève", "Jean-François".
# "O'Brien" and a possessive ("Kevin's") too, but not an elided article ("L'agent").
_CAP = rf"[{_UPPER}](?:['’][{_UPPER}])?[{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)*(?:['’]s\b)?"

# Capitalised words that are never a client's name here, wherever they appear: pronouns,
# roles, ranks, days and months, words that start sentences, and sports teams, brands and
# shops people name when they describe a place or a thing ("le drapeau des Habs").
# fmt: off
_NOT_NAMES = _folded_words("""
he she they it we i you him her them his its their our my your this that these those
the a an and or but so then there here when where who what why how if after before
while because also just only still again some someone somebody nobody everyone
everybody anyone staff police cops cop officer officers constable sergeant detective
inspector dispatch security client clients participant participants witness neighbour
neighbor manager nurse worker workers people person guy man woman team coordinator
il elle ils elles on nous vous je tu lui leur le la les un une des du de ce cette ces
mais donc puis ensuite apres avant pendant parce quand personne quelqu'un tout tous
policier policiere policiers agent agente agents sergent sergente commandante intervenant
intervenante equipe participante client cliente gens monsieur madame
cst sgt det insp pc mr mrs ms dr
monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi
vendredi samedi dimanche january february march april may june july august september
october november december janvier fevrier mars avril mai juin juillet aout septembre
octobre novembre decembre
stop move sorry hey go leave yes no okay ok hello hi thanks merci allez bouge degage
bonjour salut attention help aide urgent warning
narcan naloxone uber lyft presto opus
habs canadiens canadien leafs raptors jays expos alouettes als argos nordiques bruins
senators oilers flames canucks jets rangers yankees tfc impact nike adidas puma reebok
timmies mcdo mcdonald's dollarama couche-tard shoppers walmart costco provigo maxi
loblaws pharmaprix starbucks esso petro-canada ultramar
""")
# fmt: on

# Words after which a capitalised word is a street or a place, not a person: "on
# Sherbourne", "au coin de Rachel", "rue Saint-Denis", "parc Émilie-Gamelin".
_PLACE_BEFORE = re.compile(
    r"(?:\b(?i:on|off|at|sur|rue|street|avenue|ave|av|boul|boulevard|blvd|parc|park|metro"
    r"|métro|station|coin|angle|corner|intersection|côté|cote|vers|towards?|north|south"
    r"|east|west|chemin|place|pont|bridge|école|school|hôpital"
    r"|hospital)\.?(?:\s+(?i:of|de|du|des|la|l['’]))?|\b(?:Saint|Sainte|St|Ste)\.?[\s-]|\d[\s,]|[&/])\s*$"
)
# …or before which: "Rachel Street", "George St", "Victoria Park", "Charles/Jarvis".
_PLACE_AFTER = re.compile(
    r"^(?:\s+(?i:st|street|ave|avenue|rd|road|blvd|boulevard|park|parc|square|gardens?"
    r"|commons|green|station|hortons"
    r"|hospital|school|church|centre|center|place|market|tower|towers|building|mall"
    r"|plaza|court|lane|drive|crescent|terrace|east|west|north|south|est|ouest|nord"
    rf"|sud)\b|\s*[&/]|\s+(?i:and|et)\s+[{_UPPER}][{_LOWER}]+\s+(?i:st|street|ave|avenue)\b)"
)
# "at Queen and Sherbourne", « au coin Ontario et Saint-Dominique »: either side of an
# intersection after a place word.
_INTERSECTION = re.compile(
    rf"\b(?i:at|on|coin|angle|corner|intersection|au\s+coin|à\s+l['’]angle)(?:\s+(?i:of|de|du))?"
    rf"\s+(?P<a>{_CAP})\s*(?:and|et|&|/)\s*(?:(?:Saint|Sainte|St|Ste)[-\s.]+)?(?P<b>{_CAP})"
)

# A capitalised word and an initial: "Jenna T.", "Marie-Ève L., 34", "Crystal M. said".
_WITH_INITIAL = re.compile(rf"(?<![\w'’-])(?P<name>{_CAP})\s+[{_UPPER}]\.(?![\w.])")
# A person's initials: two or three capital letters, each with its full stop ("R.M.",
# « M.L. », "J.-P.B."). Acronyms written with dots are not anyone's: times, places,
# documents and services ("A.M.", "U.S.", "Q.C.", "D.O.B.", "R.C.M.P."); an acronym
# without dots ("TPS", "PDQ") never matches. Initials that are an officer's on the
# roster ("P.M." for Paul Moreau) pass.
_INITIALS = re.compile(rf"(?<![\w.’'-])(?:[{_UPPER}]\.-?){{2,3}}(?![\w])")
_NOT_INITIALS = _folded_words("""
am pm a.m p.m us u.s uk eu un qc bc on ab sk mb ns nb pe pei nl nwt yt nu dc la ny nyc
dob sin nas id er or icu ems emt od ts fta cp ps ok tv bs aka eta etc ie eg rip
rcmp grc opp spvm spvq tps pdq sq cdsa dui dwi bnl jr sr md rn np phd
""")  # fmt: skip

# Words that take a letter after them without being a name: "Plan B.", "Unit C.".
_NOT_NAME_BEFORE_LETTER = _folded_words("""
plan unit door porte room salle building batiment bloc block zone section phase level
niveau exhibit annex annexe schedule grade group groupe team equipe vitamin vitamine
hepatitis hepatite type option appendix entrance entree wing aile gate tower tour
""")  # fmt: skip

# A listed first name, and the capitalised surname after it if any: "Tyler Hendricks".
_CAPITALISED = re.compile(rf"(?<![\w'’-]){_CAP}(?![\w-])")
_SURNAME_AFTER = re.compile(rf"\s+(?P<surname>{_CAP})(?![\w-])")

# Phrases that say a name follows.
_NAME_CUE = re.compile(
    rf"""
    (?:
        \b(?i:first\s+name|last\s+name|surname|full\s+name|named|name\s+(?:is|was)
           |pr[ée]nom|nom\s+de\s+famille|nomm[ée]e?|s['’]appelle|s['’]appelait)
    )
    \s*(?:[:=,-]\s*)?(?:c['’]est\s+|is\s+)?["'«“‘]?\s*
    (?P<name>{_CAP}(?:\s+{_CAP})?)
    """,
    re.VERBOSE,
)
_NICKNAME_CUE = re.compile(
    rf"""
    (?:
        \b(?i:go(?:es)?\s+by|went\s+by|known\s+as|knows?\s+(?:him|her|them)\s+as
           |known\s+(?:to\s+\w+|on\s+the\s+street|around\s+here|here)\s+as
           |aka|a\.k\.a\.?|nicknamed|street\s+name|call(?:s|ed)?\s+(?:him|her|them)(?:self)?
           |surnomm[ée]e?|surnom|l['’]appel(?:ait|le|aient|lent)|l['’]a\s+appel[ée]e?
           |dite)
      | (?<=,)\s*(?i:dit)(?=\s+(?i:le|la)\s)  # "Marcel, dit le Grizzly"
    )
    # "on l'appelle tous la Puce", "they all call him", "everyone still calls her"
    (?:\s+(?i:tous|toutes|toujours|souvent|juste|just|all|always|still|encore))?
    \s*(?:[:=,-]\s*)?["'«“‘]?\s*
    (?P<name>(?:(?i:le|la)\s+)?{_CAP}(?:\s+{_CAP})?)
    """,
    re.VERBOSE,
)
_BY_NAME = re.compile(rf"(?<![\w'’-])(?P<name>{_CAP})\s+(?i:by\s+name|par\s+son\s+nom)\b")

# What police did to someone, then who: "picked up Red Jay", « ramassé Pitou ».
_DONE_TO = re.compile(
    rf"""
    \b(?i:picked\s+up|told|searched|arrested|stopped|cuffed|ticketed|grabbed|pushed|tackled
       |followed|questioned|detained|asked\s+for|asking\s+(?:about|for)|looking\s+for
       |seen|saw|ramass[ée]e?s?|vue?|cherch(?:ait|aient|ent|é)|fouill[ée]e?|arr[êe]t[ée]e?|interpell[ée]e?
       |menott[ée]e?|sorti|suivi|dit\s+[àa]|demand[ée]\s+(?:à|a|pour))
    \s+(?:(?i:again|encore|up|aussi)\s+)?["'«“‘]?\s*
    (?P<name>{_CAP}(?:\s+{_CAP})?)
    """,
    re.VERBOSE,
)
# Who said something, at the start of a sentence: "Tiny says…", « La Puce dit… ».
_SPEAKER = re.compile(
    rf"(?:^|[.!?;:]\s+|\n)(?P<name>(?:(?:La|Le)\s+)?{_CAP})\s+"
    r"(?i:says|said|told|claims|reports|got|dit|a\s+dit|raconte|affirme|explique)\b"
)
# Words that name a police operation, a team or a unit, not a person, after "known as"
# or "called": "the sweep known as Project Claw", « l'opération surnommée Opération Hiver ».
_OPERATION_WORDS = _folded_words("""
project projet operation op task unit squad team escouade unite division program
programme initiative
""")  # fmt: skip
# A plural article makes a thing, not a person: "le drapeau des Habs, le gars…".
_PLURAL_BEFORE = re.compile(r"\b(?i:des|les|aux|ces|the|these|those)\s+$")

# A name and who they are: "Ortiz, the guy from the morning", « Guylaine Roy, une habituée ».
_APPOSITION = re.compile(
    rf"(?<![\w'’-])(?P<name>{_CAP}(?:\s+{_CAP})?),\s+(?i:the|a|an|our|le|la|un|une|notre)\s+"
    r"(?i:guy|man|woman|girl|lady|kid|regular|client|participant|gars|fille|femme|homme"
    r"|jeune|habitu[ée]e?|dame|monsieur|participante|cliente)\b"
)
# Nickname shapes: "Big Mike", "Lil Dee", "Red Jay", « Ti-Guy », « le Grand Martin ».
_NICKNAME_SHAPE = re.compile(
    rf"""
    (?<![\w'’-])
    (?:
        (?:Big|Lil|Li['’]l|Little|Tiny|Old|Young|Crazy|Fat|Skinny|Slim|Red|Baby|Uncle|Auntie
           |Mama|Papa)\s+(?P<after>{_CAP})
      | (?:Ti|P['’]tit|P['’]tite)-{_CAP}
      | (?i:le|la)\s+(?i:grand|grande|petit|petite|gros|grosse|p['’]tit|p['’]tite|vieux|vieille)
        \s+(?P<after_fr>{_CAP})
    )
    (?![\w-])
    """,
    re.VERBOSE,
)
# Words after "Big", "Little", « le Grand » that make a place or a thing: "Little Italy",
# "Red Cross", "Big Mac", « le Grand Prix ».
_NOT_NICKNAME_AFTER = _folded_words("""
italy portugal india jamaica cross mac navy apple brother brothers sister sisters tower
towers street park creek lake river hill town mountain bay point road prix port marche
theatre nord sud est ouest montreal toronto bibliotheque hotel nord-est
""") | _NOT_NAMES  # fmt: skip
# A capitalised word or two in quotes, asked about or described as a person: "about
# 'Smokey', the guy who…", « pour « Cowboy » ». A quoted word on its own is more often
# something said ("told us 'Sorry'", « a dit « Désolé » »).
_QUOTED = re.compile(
    rf"""(?:(?<![\w])'|"|«\s*|“|‘)(?P<name>(?:(?i:le|la)\s+)?{_CAP}(?:\s+{_CAP})?)"""
    r"""(?:'(?![\w])|"|\s*»|”|’(?![\w]))"""
)
_QUOTED_PERSON_BEFORE = re.compile(
    r"\b(?i:about|for|named|called|aka|with|to|pour|avec|sur|à|de)\s*$"
)
_QUOTED_PERSON_AFTER = re.compile(r",?\s*(?i:the|a|celui|celle|le|la|un|une|who|qui)\b")


# Month names that are also first names ("Jan", "April", « Avril », "June", "May"): next
# to a day or a year they are a date ("Jan 12", "12 avril", "June 2024").
_MONTH_WORDS = _folded_words("""
    jan january feb mar apr april may jun june jul july aug august sep sept oct nov dec
    janvier fevrier avril mai juin juillet aout septembre octobre novembre decembre
""")
_NUMBER_AFTER = re.compile(r"\.?,?\s{0,3}\d{1,4}(?!\d)")
_NUMBER_BEFORE = re.compile(r"(?<!\d)\d{1,2}(?:st|nd|rd|th|er|e)?\s{1,3}$")


def _is_date(text: str, start: int, end: int, word: str) -> bool:
    return fold(word) in _MONTH_WORDS and bool(
        _NUMBER_AFTER.match(text, end) or _NUMBER_BEFORE.search(text, max(0, start - 8), start)
    )


def _is_place(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 25) : start]
    return bool(_PLACE_BEFORE.search(before) or _PLACE_AFTER.match(text[end : end + 30]))


def _words(name: str) -> list[str]:
    return [fold(w) for w in re.split(r"[\s]+", name) if w]


def _allowed(name: str, roster: frozenset[str]) -> bool:
    """True when every word of `name` is an officer's, a rank, or never a name."""
    words = [w for w in _words(name) if w not in {"le", "la"}]
    return all(w in roster or w in _NOT_NAMES or w in _RANKS for w in words)


def _listed_first_name(word: str) -> bool:
    folded = fold(word)
    if folded in FIRST_NAMES:
        return True
    parts = folded.split("-")
    # "Marie-Eve": every part a first name; "Émilie-Gamelin" (a park) is not.
    return len(parts) > 1 and all(part in FIRST_NAMES for part in parts)


def _intersection_sides(text: str) -> set[int]:
    sides = set()
    for match in _INTERSECTION.finditer(text):
        sides.add(match.start("a"))
        sides.add(match.start("b"))
    return sides


def _officer_after(text: str, end: int, roster: frozenset[str]) -> bool:
    """True when an officer's surname follows initials: "Cst. J.P. Moreau"."""
    surname = _SURNAME_AFTER.match(text, end)
    return bool(surname and fold(surname.group("surname")) in roster)


def find_names(text: str, officers: Collection[str] = ()) -> Iterator[NameSpan]:
    """Personal names and nicknames in `text` that are not the site's officers'."""
    roster = roster_words(officers)
    streets = _intersection_sides(text)

    def keep(start: int, end: int, name: str) -> bool:
        return not (start in streets or _is_place(text, start, end) or _allowed(name, roster))

    initials = roster_initials(officers)
    for match in _INITIALS.finditer(text):
        letters = fold(match.group().replace(".", "").replace("-", ""))
        dotted = fold(match.group().rstrip("."))
        if not (
            letters in _NOT_INITIALS
            or dotted in _NOT_INITIALS
            or letters in initials
            or _officer_after(text, match.end(), roster)
        ):
            yield NameSpan(match.start(), match.end(), nickname=False)
    for match in _WITH_INITIAL.finditer(text):
        name = match.group("name")
        if fold(name) not in _NOT_NAME_BEFORE_LETTER and keep(match.start(), match.end(), name):
            yield NameSpan(match.start(), match.end(), nickname=False)
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if not _listed_first_name(word) or not keep(match.start(), match.end(), word):
            continue
        if _is_date(text, match.start(), match.end(), word):
            continue
        end = match.end()
        surname = _SURNAME_AFTER.match(text, end)
        if surname and fold(surname.group("surname")) not in _NOT_NAMES:
            end = surname.end()
        yield NameSpan(match.start(), end, nickname=False)
    for pattern, nickname in (
        (_NAME_CUE, False),
        (_BY_NAME, False),
        (_DONE_TO, False),
        (_SPEAKER, False),
        (_APPOSITION, False),
        (_NICKNAME_CUE, True),
    ):
        for match in pattern.finditer(text):
            start, end = match.span("name")
            first = _words(match.group("name"))
            if (
                nickname
                and first
                and first[-1 if first[0] in {"le", "la"} else 0] in (_OPERATION_WORDS)
            ):
                continue
            if pattern is _APPOSITION and _PLURAL_BEFORE.search(text, max(0, start - 8), start):
                continue
            if keep(start, end, match.group("name")):
                yield NameSpan(start, end, nickname)
    for match in _QUOTED.finditer(text):
        start, end = match.span("name")
        person = _QUOTED_PERSON_BEFORE.search(
            text, max(0, match.start() - 12), match.start()
        ) or _QUOTED_PERSON_AFTER.match(text, match.end())
        if person and keep(start, end, match.group("name")):
            yield NameSpan(start, end, nickname=True)
    for match in _NICKNAME_SHAPE.finditer(text):
        after = match.group("after") or match.group("after_fr")
        if after and fold(after) in _NOT_NICKNAME_AFTER:
            continue
        if keep(match.start(), match.end(), match.group()):
            yield NameSpan(match.start(), match.end(), nickname=True)
