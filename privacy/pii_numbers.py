"""Numbers spelled out in words, turned into digits for the PII guard's phone detector.

A worker typing what a client said out loud writes "four one six, five five five, oh one
nine eight", « cinq-un-quatre cinq-cinq-cinq zéro-un-quarante-quatre » or "six04 555 0121".
`spell_digits` rewrites such text with digits ("416, 555, 0198" becomes "416 555 0198")
and keeps, for every character of the result, where it came from in the original, so a
finding in the rewritten text is reported with the writer's own words.

Only the digits 0 to 99 are read (with "double"/"triple" in English): phone numbers are
said digit by digit or in pairs. Dates in words are the date-of-birth detector's business
(`privacy.pii`), which matches the words directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["NUMBER_WORD", "Spelled", "number_word_value", "spell_digits", "spoken_year"]

_EN_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_EN_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_FR_UNITS = {
    "zéro": 0, "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "six": 6, "sept": 7, "huit": 8, "neuf": 9,
}  # fmt: skip
_FR_TEENS = {
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19,
}  # fmt: skip
_FR_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_MULTIPLIERS = {"double": 2, "triple": 3}


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "dix-sept" is tried before "dix" and "seventeen" before "seven".
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_FR_BELOW_20 = _alternation([*_FR_TEENS, *_FR_UNITS])
_FR_TENS_WORDS = _alternation(_FR_TENS)
# "quarante-quatre", "vingt-et-un", "soixante-dix-sept", "quatre-vingt-onze", "quatre-vingts".
_FR_ONE_TO_NINE = _alternation(set(_FR_UNITS) - {"zéro", "zero"})
_EN_ONE_TO_NINE = _alternation(set(_EN_UNITS) - {"zero", "oh"})
_FR_COMPOUND = (
    rf"(?:quatre-vingts?|{_FR_TENS_WORDS})"
    rf"(?:[- ]et[- ]une?|-(?:{_alternation(_FR_TEENS)}|{_FR_ONE_TO_NINE}))?"
)
_EN_COMPOUND = rf"(?:{_alternation(_EN_TENS)})(?:-(?:{_EN_ONE_TO_NINE}))?"
_UNIT_WORD = _alternation({*_EN_UNITS, *_FR_UNITS})

# One number said as a word (or a compound joined by hyphens), standing alone or glued to
# digits ("six04", "zero189"), never inside a longer word ("someone", "bonus").
NUMBER_WORD = re.compile(
    rf"""
    (?<![^\W\d_])
    (?:
        (?:double|triple)\s+(?:{_UNIT_WORD})
      | {_FR_COMPOUND}
      | {_EN_COMPOUND}
      | {_FR_BELOW_20}
      | {_alternation(_EN_TEENS)}
      | {_alternation(_EN_UNITS)}
    )
    (?![^\W\d_])
    """,
    re.IGNORECASE | re.VERBOSE,
)


def number_word_value(word: str) -> str:
    """The digits a number word stands for: "five" "5", "quarante-quatre" "44",
    "double five" "55". Raises KeyError for anything NUMBER_WORD does not match."""
    word = " ".join(word.lower().split())
    first, _, rest = word.partition(" ")
    if first in _MULTIPLIERS:
        return number_word_value(rest) * _MULTIPLIERS[first]
    flat = {**_EN_UNITS, **_EN_TEENS, **_EN_TENS, **_FR_UNITS, **_FR_TEENS, **_FR_TENS}
    if word in flat:
        return str(flat[word])
    for tens_word in ("quatre-vingts", "quatre-vingt", *_FR_TENS, *_EN_TENS):
        if word.startswith(tens_word):
            tens = 80 if tens_word.startswith("quatre-vingt") else flat[tens_word]
            tail = word[len(tens_word) :].lstrip("- ")
            tail = tail.removeprefix("et").lstrip("- ")
            return str(tens + (flat[tail] if tail else 0))
    raise KeyError(word)


@dataclass(frozen=True)
class Spelled:
    """Text with number words replaced by digits, and where each character came from."""

    text: str
    starts: tuple[int, ...]  # for each character of `text`: where its source starts…
    ends: tuple[int, ...]  # …and ends in the original

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the original text that `text[start:end]` was made from."""
        return self.starts[start], self.ends[end - 1]


# What may separate the parts of a number said aloud: a comma, as in "six four seven,
# five five five", is read as a space when a number word is on either side of it.
_COMMA_GAP = re.compile(r"\s*,\s*")
_TOKEN = re.compile(rf"(?P<word>{NUMBER_WORD.pattern})|(?P<digits>\d+)", NUMBER_WORD.flags)


def spell_digits(text: str) -> Spelled:
    """`text` with every number word replaced by its digits. A hyphen between two number
    words is dropped ("four-one-six" becomes "416") and a comma next to a number word
    becomes a space, so a number read out in groups is one run of digits."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def copy(start: int, end: int) -> None:
        for at in range(start, end):
            chars.append(text[at])
            starts.append(at)
            ends.append(at + 1)

    position = 0
    previous: str | None = None  # "word" or "digits": the kind of the token before
    for token in _TOKEN.finditer(text):
        kind = "word" if token.group("word") else "digits"
        gap = text[position : token.start()]
        spoken = "word" in (kind, previous)
        if previous and spoken and gap == "-" and kind == previous == "word":
            pass  # "four-one-six": the hyphen goes
        elif previous and spoken and gap and _COMMA_GAP.fullmatch(gap):
            chars.append(" ")
            starts.append(position)
            ends.append(token.start())
        else:
            copy(position, token.start())
        if kind == "word":
            for digit in number_word_value(token.group()):
                chars.append(digit)
                starts.append(token.start())
                ends.append(token.end())
        else:
            copy(token.start(), token.end())
        position = token.end()
        previous = kind
    copy(position, len(text))
    return Spelled("".join(chars), tuple(starts), tuple(ends))


# Words that multiply what comes before them in a year said aloud: "nineteen hundred",
# « mille neuf cent ».
_SCALE_WORDS = {
    "hundred": 100,
    "cent": 100,
    "cents": 100,
    "thousand": 1000,
    "mille": 1000,
    "mil": 1000,
}
_YEAR_TOKEN = re.compile(
    rf"(?P<scale>\b(?:{_alternation(_SCALE_WORDS)})\b)|(?P<word>{NUMBER_WORD.pattern})",
    NUMBER_WORD.flags,
)


def spoken_year(words: str) -> tuple[int, int] | None:
    """The value of a year said in words, and how many digits it was said with (2 or 4):
    "ninety two" (92, 2), "eighty-eight" (88, 2), "nineteen eighty-eight" (1988, 4),
    "two thousand four" (2004, 4), « quatre-vingt-onze » (91, 2), « mille neuf cent
    quatre-vingt-huit » (1988, 4). None when the words do not make a year of two or four
    digits ("two", "three hundred")."""
    values: list[int] = []
    scaled = False
    for token in _YEAR_TOKEN.finditer(words):
        if token.group("scale"):
            scale = _SCALE_WORDS[token.group("scale").lower()]
            scaled = True
            if scale == 1000:
                values = [(sum(values) or 1) * 1000]
            else:
                # "nineteen hundred": multiply only what came after the thousands
                thousands = sum(v for v in values if v >= 1000)
                rest = sum(v for v in values if v < 1000)
                values = [thousands, (rest or 1) * 100]
            continue
        value = int(number_word_value(token.group()))
        # "ninety two", « quatre-vingt douze »: a tens word and what completes it
        tens = values[-1] if values and not scaled else 0
        if tens >= 20 and tens % 10 == 0 and (value < 10 or (value < 20 and tens in (60, 80))):
            values[-1] += value
            continue
        values.append(value)
    if not values:
        return None
    if scaled:
        year = sum(values)
    elif len(values) == 1:
        year = values[0]
    elif len(values) == 2 and 10 <= values[0] <= 99 and values[1] <= 99:
        year = values[0] * 100 + values[1]  # "nineteen eighty-eight", "twenty ten"
    elif len(values) == 3 and 10 <= values[0] <= 99 and values[1] == 0 and values[2] < 10:
        year = values[0] * 100 + values[2]  # "nineteen oh five"
    else:
        return None
    if 10 <= year <= 99:
        return year, 2
    if 1000 <= year <= 2999:
        return year, 4
    return None
