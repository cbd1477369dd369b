"""The follow-up code: random words from a vendored list (peer_reports/wordlist.txt).

Words, not digits: the reporter is told the code aloud by a union worker, often on the
street, and may keep it only in their head. Five words from 2,411 give about 56 bits,
far beyond what a guesser can try at ten guesses an hour per address. The list holds
short, common, inoffensive words, without drug-scene slang or words about police, so
that no code reads as a message.

Only the SHA-256 hash of the normalised code is kept (agreements.secret_tokens); the
code itself is shown once and never stored or logged. Typing it back forgives case,
extra spaces and hyphens or spaces between the words — and missing separators, when the
letters split into five words of the list in one way only ("mapleotterlantern…").
"""

from __future__ import annotations

import re
import secrets
from functools import cache
from itertools import islice
from pathlib import Path

from agreements.secret_tokens import hash_token

WORDS_PER_CODE = 5
SEPARATOR = "-"
_WORDLIST = Path(__file__).with_name("wordlist.txt")
_SPLIT = re.compile(r"[\s\-‐‑‒–—_.,;:]+")


@cache
def words() -> tuple[str, ...]:
    """The word list, each word once, in file order."""
    listed = (line.strip() for line in _WORDLIST.read_text(encoding="utf-8").splitlines())
    return tuple(dict.fromkeys(word for word in listed if word))


def new_code() -> str:
    """A fresh code, e.g. "maple-otter-lantern-brisk-harbor"."""
    vocabulary = words()
    return SEPARATOR.join(secrets.choice(vocabulary) for _ in range(WORDS_PER_CODE))


def normalise(typed: str) -> str:
    """The code as stored before hashing: lower case, words joined by one hyphen, so that
    " Maple otter-LANTERN  brisk harbor " finds the same report. Words typed together
    ("mapleotter lantern brisk harbor") are split, if they split one way only."""
    parts = [part for part in _SPLIT.split(typed.casefold()) if part]
    if 0 < len(parts) < WORDS_PER_CODE:
        split = _only_split("".join(parts))
        if split is not None:
            parts = split
    return SEPARATOR.join(parts)


def _only_split(letters: str) -> list[str] | None:
    """The five words of the list that `letters` is made of, when there is exactly one way
    to read it so; None when there is none or more than one (then the code is looked up
    as typed, and is not found). Whatever it returns is one look-up, counted as any."""
    vocabulary = frozenset(words())
    longest = max(map(len, vocabulary))

    @cache
    def splits(start: int, left: int) -> tuple[tuple[str, ...], ...]:
        # At most two readings are kept: two already make the code ambiguous.
        if left == 0:
            return ((),) if start == len(letters) else ()
        found: list[tuple[str, ...]] = []
        for end in range(start + 1, min(len(letters), start + longest) + 1):
            word = letters[start:end]
            if word in vocabulary:
                found.extend((word, *rest) for rest in splits(end, left - 1))
        return tuple(islice(found, 2))

    readings = splits(0, WORDS_PER_CODE)
    return list(readings[0]) if len(readings) == 1 else None


def code_hash(typed: str) -> str:
    return hash_token(normalise(typed))
