"""The follow-up code: five words from a vendored list, typed back in any case and with
any spacing or hyphens (no database)."""

from __future__ import annotations

import re

from agreements.secret_tokens import hash_token
from peer_reports import codes


def test_the_word_list_is_long_short_and_plain() -> None:
    words = codes.words()
    assert len(words) >= 2048
    assert len(set(words)) == len(words)
    assert all(re.fullmatch(r"[a-z]{3,8}", word) for word in words)


def test_the_word_list_says_nothing_about_police_or_drugs() -> None:
    words = set(codes.words())
    for word in ("police", "cop", "crime", "drug", "needle", "rock", "ice", "crack", "gun",
                 "arrest", "dope", "high", "speed", "pipe", "snow", "prison", "dead"):  # fmt: skip
        assert word not in words


def test_a_code_is_five_words_of_the_list() -> None:
    code = codes.new_code()
    parts = code.split("-")
    assert len(parts) == codes.WORDS_PER_CODE == 5
    assert set(parts) <= set(codes.words())


def test_codes_do_not_repeat() -> None:
    assert len({codes.new_code() for _ in range(200)}) == 200


def test_a_code_is_found_whatever_the_case_spacing_or_hyphens() -> None:
    code = "maple-otter-lantern-brisk-harbor"
    for typed in (
        "maple-otter-lantern-brisk-harbor",
        "Maple Otter Lantern Brisk Harbor",
        "  maple  otter-LANTERN   brisk -- harbor ",
        "maple – otter – lantern – brisk – harbor",
        "maple\totter\nlantern brisk harbor",
    ):
        assert codes.normalise(typed) == code
        assert codes.code_hash(typed) == hash_token(code)


def test_other_words_or_another_order_are_another_code() -> None:
    assert codes.code_hash("otter maple lantern brisk harbor") != codes.code_hash(
        "maple otter lantern brisk harbor"
    )
    assert codes.normalise("   ") == ""
