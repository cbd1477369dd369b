"""The PII guard's detectors for issue 15, one group per category, each with police-only
counter-examples that must pass. The site's roster is passed as `officers` where names
matter, as `check_text` does for a site."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from privacy.pii import (
    ERROR_CODE,
    MESSAGES,
    NICKNAME,
    PERSONAL_NAME,
    SOCIAL_HANDLE,
    assess,
    check_free_text,
    check_text,
    find_pii,
    message_for,
)
from privacy.pii_numbers import spell_digits

ROSTER = ["Cst. Paul Moreau", "Sgt. Priya Singh", "agente Julie Tremblay", "Sgt. Lee"]


def kinds(text: str, officers: list[str] = ROSTER) -> list[str]:
    return [f.kind for f in find_pii(text, officers=officers)]


def excerpts(text: str, officers: list[str] = ROSTER) -> list[str]:
    return [f.excerpt for f in find_pii(text, officers=officers)]


# --- phone numbers in words and odd groupings -------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("his cell is four one six five five five zero one nine eight", "four one six five…"),
        ("six four seven, five five five, oh one four two", "six four seven, five…"),
        ("call double four one six… no: 416 555 01 98", "416 555 01 98"),
        ("her cell (four-one-six) 555-0198, call her", "(four-one-six) 555-0198"),
        ("number: six04 555 0121", "six04 555 0121"),
        ("rappeler au 514-555-zéro-un-neuf-un", "514-555-zéro-un-neuf-un"),
        ("quatre-un-huit, cinq-cinq-cinq, zéro-un-quarante-quatre", "quatre-un-huit, cinq…"),
        ("son cell : 43 85 55 01 04", "43 85 55 01 04"),
    ],
)
def test_phone_numbers_in_words_or_odd_groups_are_refused_with_the_writers_words(
    text: str, excerpt: str
) -> None:
    found = find_pii(text)
    assert [f.kind for f in found] == ["phone"]
    # The excerpt quotes the original text, cut to EXCERPT_MAX.
    assert found[0].excerpt.startswith(excerpt.rstrip("…")[:15])


@pytest.mark.parametrize(
    "text",
    [
        "occurrence 2026 1234567, keep it",
        "dossier 2026-1041658 transmis",
        "two cruisers, one unit and five officers at the door",
        "un agent, deux agents, trois agents : cinq en tout",
        "cruisers 5124, 5131 and 5142 blocked the lane",
        "the officer said oh one more thing",
    ],
)
def test_police_numbers_and_counting_words_are_not_phone_numbers(text: str) -> None:
    assert kinds(text) == []


def test_spelled_digits_map_back_to_the_original_text() -> None:
    spelled = spell_digits("call four-one-six, 555 oh one nine eight")
    assert spelled.text == "call 416 555 0 1 9 8"
    start = spelled.text.index("416")
    assert spelled.original_span(start, start + 3) == (5, 17)


# --- social handles ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "her tiktok is @crystalrose_to, she filmed it",
        "on snap: jdoe_99. he says cops messaged him",
        "he goes by bigmike_416 on facebook",
        "Les policiers ont dit connaître son compte Facebook, Karine Lapointe",
        "sur snap : ti_loup514",
    ],
)
def test_social_handles_are_refused(text: str) -> None:
    assert SOCIAL_HANDLE in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "the 51 Division account (@TPS51Div) posted a photo",
        "le compte @SPVM a publié une photo",
        "@TorontoPolice tweeted about the sweep",
        "staff saw it on instagram at 3.15pm",
        "cops said they'd be back @5pm, then @10h30 again",
    ],
)
def test_police_services_accounts_and_times_pass(text: str) -> None:
    assert kinds(text) == []


# --- dates of birth ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Cst. asked her DOB, she said March 3rd 91",
        "his birthday is the 3rd of March, officer made a comment",
        "officer asked his date of birth, he said 12th of October eighty-eight",
        "elle a dit née le trois mars quatre-vingt-onze",
        "Il est né le douze octobre mille neuf cent quatre-vingt-huit",
        "born in 91 according to the cop",
        "né en 88, le 12 octobre",
        "she turned 34 yesterday, cops stopped her",
        "sa fête c'est le 3 mars",
    ],
)
def test_dates_of_birth_in_words_or_partial_are_refused(text: str) -> None:
    assert "date_of_birth" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "the 3rd of March, about 10 pm, police set up at the corner",
        "le trois mars, vers 22 h, la police s'est installée au coin",
        "March 3 at 21:10, a cruiser stopped in front of the site",
        "the staff birthday party was on the 3rd of March",
    ],
)
def test_meeting_and_incident_dates_pass(text: str) -> None:
    assert kinds(text) == []


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("he stays at 88 Dundas W, unit 3, and cops came", "88 Dundas W, unit 3"),
        ("officers followed him home to 12 Sackville, basement door", "12 Sackville"),
        ("Elle reste au 4520 Saint-Denis, app. 3", "4520 Saint-Denis, app. 3"),
        ("chez son frère, 845 Beaubien E, les policiers l'attendaient", "845 Beaubien E"),
        ("her place is #310-55 Bleecker", "#310-55 Bleecker"),
        ("au 2100 De Maisonneuve, appartement 5", "2100 De Maisonneuve, appartement 5"),
    ],
)
def test_addresses_without_a_street_type_or_with_a_unit_are_refused(
    text: str, excerpt: str
) -> None:
    assert excerpts(text) == [excerpt]


@pytest.mark.parametrize(
    "text",
    [
        "staff went to the front desk at 51 Division to file it",
        "we dropped off the letter at 52 Division's front counter",
        "police set up by the 505 Dundas streetcar stop",
        "la police s'est installée à l'arrêt du 24 Sherbrooke",
        "two officers were at the 24 Sherbrooke stop",
        "2 cruisers on Sackville, 1 on Dundas",
        "the officers arrived at 2 h 15 and left at 3",
    ],
)
def test_divisions_routes_and_counts_are_not_addresses(text: str) -> None:
    assert kinds(text) == []


# --- licence plates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "they pulled over her bf's car, registration cdfk-482",
        "the silver civic they boxed in was his, reg # aklm-203",
        "ils ont intercepté l'auto de son chum, immatriculation k42-vtn",
        "le pick-up du participant (immat. G47KTR) a reçu un constat",
        # a police car earlier in the sentence, but the plate is the client's car
        "the cruiser pulled over her car, plate bfpk 931",
    ],
)
def test_private_plates_in_any_case_are_refused(text: str) -> None:
    assert kinds(text) == ["licence_plate"]


@pytest.mark.parametrize(
    "text",
    [
        "from an unmarked car, plate CNDX 123, two plainclothes watched",
        "the cruiser's plate was BXRT 219",
        "plate on the marked SUV was ATRK 445, same one as last week",
        "we got the plate of the police van: CJPL 390",
        "the wagon's plates: BZRL 552, two officers in front",
        "la plaque de l'auto-patrouille : FZK 2189",
        "plaque du VUS identifié : FTR 4451",
        "les plaques du panier à salade : FZL 5527",
    ],
)
def test_police_vehicle_plates_pass_whatever_the_word_order(text: str) -> None:
    assert kinds(text) == []


# --- names and nicknames ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "excerpt"),
    [
        ("Cst. Moreau stopped Jenna T. right outside", PERSONAL_NAME, "Jenna T."),
        ("Marie-Eve L., 34, was searched", PERSONAL_NAME, "Marie-Eve L."),
        ("participant, first name Danny, was told to move", PERSONAL_NAME, "Danny"),
        ("un participant, prénom : Steve, s'est fait dire de circuler", PERSONAL_NAME, "Steve"),
        ("Tyler Hendricks got a ticket for loitering", PERSONAL_NAME, "Tyler Hendricks"),
        ("police asked for Josh by name", PERSONAL_NAME, "Josh"),
        ("Big Mike was told to leave the ramp", NICKNAME, "Big Mike"),
        ("les policiers cherchaient « le Grand Martin »", NICKNAME, "le Grand Martin"),
        ("Officer called him Scarecrow like they know each other", NICKNAME, "Scarecrow"),
        ("la police a encore ramassé Pitou au coin", PERSONAL_NAME, "Pitou"),
    ],
)
def test_names_that_are_not_on_the_roster_are_refused(text: str, kind: str, excerpt: str) -> None:
    found = find_pii(text, officers=ROSTER)
    assert [(f.kind, f.excerpt) for f in found] == [(kind, excerpt)]


@pytest.mark.parametrize(
    "text",
    [
        "Sgt. Singh said the notices will stop",
        "Priya Singh and Paul Moreau came to the meeting",
        "l'agente Julie Tremblay a été correcte",
        "julie and PAUL were polite",  # case and accents do not matter
        "Sgt. Lee came by at noon",
        "ils ont retenu des gens au coin de Rachel et Papineau",
        "3 agents ont marché sur Saint-Denis jusqu'au parc Émilie-Gamelin",
        "cops parked at George and Dundas, then moved to Charles St",
        "officers walked from Allan Gardens to Moss Park twice",
        "Officer Moreau told us 'Sorry' and left",
        "two officers stopped by the Tim Hortons and asked for Narcan",
        "the unmarked van (white Sienna, plate CMPR-417) was back",
    ],
)
def test_officers_on_the_roster_and_street_names_pass(text: str) -> None:
    assert kinds(text) == []


def test_an_officers_name_is_a_strangers_at_another_site() -> None:
    assert kinds("Paul was polite", officers=["Cst. Paul Moreau"]) == []
    assert kinds("Paul was polite", officers=["Sgt. Nadia Lavoie"]) == [PERSONAL_NAME]


def test_the_model_validator_leaves_names_to_the_site_guard() -> None:
    text = "Kevin was searched at the door"
    check_free_text(text)  # no roster known: names are not decided here
    with pytest.raises(ValidationError) as raised:
        check_text(text, officers=ROSTER)
    assert [e.code for e in raised.value.error_list] == [ERROR_CODE]


def test_name_messages_say_what_to_write_instead() -> None:
    found = assess("Jenna T. was searched", officers=ROSTER).refusals
    message = message_for(found[0])
    assert '"Jenna T."' in message
    assert "roster" in message
    assert str(MESSAGES[NICKNAME].advice) in message_for(
        assess("Big Mike was searched", officers=ROSTER).refusals[0]
    )
