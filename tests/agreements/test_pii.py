"""The PII guard on free text (SPEC §2): what it refuses, what it lets through, and how
it explains itself. Pure functions, no database."""

import time

import pytest
from django.core.exceptions import ValidationError

from privacy.pii import (
    EXCERPT_MAX,
    KINDS,
    MESSAGES,
    ROSTER_KINDS,
    Finding,
    bc_phn_valid,
    check_free_text,
    check_text,
    find_pii,
    luhn_valid,
    message_for,
)

# Sentences an SIS manager might type that hold something identifying about a person,
# each with the one kind of finding it must give.
MUST_REFUSE: list[tuple[str, str]] = [
    # e-mail addresses
    ("The sergeant asked us to e-mail jdoe@example.com about the client.", "email"),
    ("Client's email is jane.doe+site@gmail.com, officer wrote it down.", "email"),
    ("Officer said to write to him at mike (at) hotmail dot com.", "email"),
    ("Courriel du client : m.tremblay@videotron.ca, noté par l'agent.", "email"),
    # phone numbers
    ("Officer asked for the client's phone; she gave 416-555-0123.", "phone"),
    ("Police wanted to reach him at (647) 555-0199 after the search.", "phone"),
    ("He told the officer to call 416.555.0123 if anything happens.", "phone"),
    ("Client's cell is +1 416 555 0123, the officer copied it.", "phone"),
    ("Number left on the whiteboard by police: 4165550123", "phone"),
    ("They phoned the 1-800-555-0199 line about her.", "phone"),
    ("Visiting from France; the officer took his number, +33 1 23 45 67 89.", "phone"),
    ("Le policier a noté son cellulaire : 514 555-0188.", "phone"),
    ("She said call 555-0123 to reach her brother.", "phone"),
    # dates of birth
    ("Officers asked whether the man born 1990-01-02 had been inside.", "date_of_birth"),
    ("DOB 02/01/1990 was read out by the officer at the door.", "date_of_birth"),
    ("Officer read his D.O.B. 1/2/90 over the radio.", "date_of_birth"),
    ("She told police her date of birth, January 2, 1990.", "date_of_birth"),
    ("The person searched (b. 2 Jan 1990) was let go after 20 minutes.", "date_of_birth"),
    ("Client né le 2 janvier 1990, fouillé par deux agents.", "date_of_birth"),
    ("Date de naissance : 02/01/1990, demandée par l'agent.", "date_of_birth"),
    ("La cliente, née le 1er mars 1985, a été interpellée.", "date_of_birth"),
    ("1990-01-02 (DOB) was written on the officer's notepad.", "date_of_birth"),
    ("Police had a list with his birthday: March 14, 1985.", "date_of_birth"),
    # …a few words after the birth word, in the same sentence
    ("Police asked for his date of birth; he gave 1990-01-02.", "date_of_birth"),
    ("Officer asked for DOB, client said 02/01/1990.", "date_of_birth"),
    ("Né(e) le 2/1/1990", "date_of_birth"),
    # health card numbers
    ("Police photographed her health card 1234-567-890-AB.", "health_card"),
    ("OHIP 1234 567 890 was read out by the officer.", "health_card"),
    ("Officer copied the number 2345 678 901 from a card on the table.", "health_card"),
    ("Carte RAMQ TREM 8501 0112 saisie par l'agent.", "health_card"),
    ("Officer took card TREM85010112 from the client.", "health_card"),
    ("His PHN is 9999999998, police asked for it.", "health_card"),
    ("Officer wrote 9999999998 on his notepad.", "health_card"),
    ("Police asked for his health number: 12345 6789.", "health_card"),
    ("Numéro de carte santé : 1234567890AB, demandé par la police.", "health_card"),
    # other provinces, by the name of the plan
    ("His AHCIP number is 123456780", "health_card"),
    ("Alberta health care 12345-6789", "health_card"),
    ("health care number 123 456 789", "health_card"),
    ("BC MSP 9123 456 789 was copied by the officer.", "health_card"),
    ("Sa carte d'assurance maladie 12345678 a été photographiée.", "health_card"),
    ("Numéro d'assurance maladie 123456789, noté par l'agent.", "health_card"),
    ("NAM 12345678 demandé par la police.", "health_card"),
    # social insurance numbers
    ("Police asked for his SIN, 046 454 286.", "sin"),
    ("SIN 123 456 789 was written on the form the officer had.", "sin"),
    ("He recited 046-454-286 to the officer.", "sin"),
    ("NAS 046454286 demandé par la police.", "sin"),
    ("Officer wanted her social insurance number, 130 692 544.", "sin"),
    # street addresses
    ("Police followed him home to 12 Main Street.", "street_address"),
    ("Officers raided 450 Queen St. W looking for a client.", "street_address"),
    ("Le client habite au 1450 rue Sainte-Catherine.", "street_address"),
    ("The arrest happened at 33 King Ave, not at the site.", "street_address"),
    ("Officers knocked at 7B Elm Cres looking for a client.", "street_address"),
    ("She stays in apt 4, 200 Bay St and police know it.", "street_address"),
    ("Interpellation devant le 1200 boul. René-Lévesque.", "street_address"),
    ("He sleeps at the shelter at 88 Sherbourne St.", "street_address"),
    ("Police took him to his mother's at 1234 Highway 7.", "street_address"),
    ("officers went to 12 main street to look for her", "street_address"),
    # more street types
    ("Police followed her to 12 Smith Row.", "street_address"),
    ("Officers knocked at 7 Oak Close twice.", "street_address"),
    ("He was arrested at 235 Queens Quay W.", "street_address"),
    ("She sleeps at 5 Elm Grove.", "street_address"),
    ("Police went to 3 Kings Gate looking for him.", "street_address"),
    ("Officers searched 14 Stable Mews.", "street_address"),
    ("He lives at 10 Trinity Square.", "street_address"),
    ("Police went to 22 Maple Sq.", "street_address"),
    ("Officers parked at 8 Oak Circle.", "street_address"),
    ("She stays at 41 Pine Cir.", "street_address"),
    ("Police went to 18 Forest Heights.", "street_address"),
    ("He stays at 9 Cedar Hill.", "street_address"),
    ("Officers walked to 60 Beaver Trail.", "street_address"),
    ("Police took him home to 1234 Eighth Line.", "street_address"),
    ("He lives at 5520 4th Concession.", "street_address"),
    ("She stays at 777 Townline Sideroad.", "street_address"),
    ("Police found him at 40 Rosedale Valley Path.", "street_address"),
    ("Officers went to 3 Riverside Walk.", "street_address"),
    ("He sleeps at 2 Allan Gardens.", "street_address"),
    # Montreal style, without "rue"
    ("Interpellé devant le 1450 Ste-Catherine E.", "street_address"),
    ("Police followed her to 2000 St-Denis.", "street_address"),
    # licence plates of private vehicles
    ("Officers ran plate ABCD 123 on a client's car.", "licence_plate"),
    ("Licence CBXR 512 was noted by police.", "licence_plate"),
    ("Ontario plate BXRT-512 was followed by the cruiser.", "licence_plate"),
    ("A grey Civic, ABC 123, was stopped in the buffer.", "licence_plate"),
    ("Police towed a car with Quebec plates 123 ABC.", "licence_plate"),
    ("The BC car AB1 23C was searched outside the site.", "licence_plate"),
    ("La police a noté la plaque d'immatriculation FXK 2345.", "licence_plate"),
    # "police" earlier in the sentence does not make it a police car
    ("Police stopped a car with plate ABCD 123 near the door.", "licence_plate"),
    # in lower case or a few words after the plate word
    ("La police a noté la plaque ontarienne cbxr 512.", "licence_plate"),
    ("Officers wrote down the plate of the client's truck: 7ABC123.", "licence_plate"),
    ("Police ran the tag on her van, fxk 234, twice.", "licence_plate"),
    # a plate word makes even a year-like number a plate
    ("Officers ran plate ABC 2019 on a client's car.", "licence_plate"),
    # bare plates: 4-digit numbers that are not a year stay plates
    ("A grey Civic, ABC 1234, was stopped in the buffer.", "licence_plate"),
    # driver's licence and passport numbers
    ("Officer copied his driver's licence S1234-56789-01234.", "licence_or_passport"),
    ("L'agent a noté son permis de conduire T1234-567890-12.", "licence_or_passport"),
    ("Police took her passport HK123456 for an hour.", "licence_or_passport"),
    ("Le policier a photographié son passeport HK123456.", "licence_or_passport"),
    ("Passport number: HK 123456, read out by the officer.", "licence_or_passport"),
    ("Police asked for his drivers license number, 123456789.", "licence_or_passport"),
    # social media handles
    ("The officer said he follows her insta @someone_mtl.", "social_handle"),
    ("Son IG : roxy.mtl.514, l'agent lui a dit qu'il suivait ça.", "social_handle"),
    # personal names and nicknames (no roster given: every name is a stranger's)
    ("Officers went through Kevin's backpack.", "personal_name"),
    ("Les policiers ont demandé Mélanie B. à l'accueil.", "personal_name"),
    ("Big Mike was told to leave the ramp by two cops.", "nickname"),
    ("Ti-Guy s'est fait sortir par deux agents.", "nickname"),
]

# Sentences about police conduct that must go through untouched.
MUST_PASS: list[str] = [
    # badge numbers
    "Two officers, badges 4411 and 5520, stood at the entrance for 40 minutes.",
    "Officer #4411 parked in the buffer and refused to move.",
    "Officer 52-A entered without a warrant at 14:30.",
    "Sgt. Patel (badge 7731) apologised at the meeting.",
    "Badge 046454286, the officer said it was his new number.",
    "Badges 4411 and 046454286 were both at the door.",
    "Le matricule de l'agent était 4411.",
    # police units and vehicles
    "Unit 1234 idled 20 m from the door.",
    "Car 52 parked across the entrance for 15 minutes.",
    "Cruiser 4411 circled the block three times.",
    "Scout car 5213 was parked at the corner of Queen and Bathurst.",
    "Police vehicle 2207 blocked the laneway for 15 minutes.",
    "Unit 046454286 stayed in the buffer all evening.",
    "The cruiser plate BXRT 512 was noted; it idled in the buffer for an hour.",
    "Officers from 52 Division and 14 Division attended.",
    "OPP 2207 and RCMP unit 52 were present at the briefing.",
    "TPS officers 4411 and 5520 left after 10 minutes.",
    "L'auto-patrouille 22-7 était stationnée devant l'entrée.",
    "Occurrence number 2026123456 was given for the complaint.",
    "Complaint filed with the OIPRD, file GO-2026-123456.",
    # 911 and counts
    "Staff called 911 for an overdose; paramedics and 2 officers came.",
    "About 15 people left the site when the cruiser arrived.",
    "Staff counted 6 officers and 2 cruisers between 21:00 and 23:00.",
    "Police attended 3 overdoses in the last 30 days without being called.",
    "We logged 12 interactions in May, down from 19 in April.",
    # intersections and distances
    "Two officers stood at Main St and King St watching the entrance.",
    "A cruiser was parked at King & Bay, about 100 metres away.",
    "Cruiser 2207 parked at the corner of Dundas and Sherbourne for 2 hours.",
    "Police dog deployed 50 m from the entrance for 10 minutes.",
    "The officer said the buffer is 100m, not 150 m.",
    "Officers in unit 7712 filmed the entrance from across the street.",
    # meetings, dates and times
    "Met the liaison on 2026-06-12 at 10:00 to review the protocol.",
    "Check-in on June 3, 2026 was held; the sergeant attended.",
    "Liaison meeting moved to 12/06/2026 at 10:00.",
    "The new protocol takes effect 2026-09-01 and must be reviewed by 2027-09-01.",
    "Conference call on 3 July 2026 with the deputy chief.",
    "Police entered at 2:15 pm and left at 2:40 pm.",
    "Plain-clothes officer seen at 14:30 near the side door.",
    "Born out of the 2019 dialogue, the protocol now covers 7 topics.",
    "This has been happening since 2019.",
    # statutes and money
    "Officers cited s. 10 of the CDSA when they searched a bag.",
    "The section 56.1 exemption was explained to the new staff sergeant.",
    "An officer confiscated supplies worth about $20.",
    # plain clinical words
    "Naloxone given twice; no police were called.",
    "Supervised consumption and drug checking paused for 30 minutes.",
    "Methadone 80 mg and fentanyl test strips were not touched.",
    # French
    "Rencontre avec l'agent de liaison le 12 juin à 10 h.",
    "Deux agents du SPVM sont restés à 20 m de l'entrée pendant 40 minutes.",
    "Selon l'article 56.1 de la LRCDAS, la police ne devait pas entrer.",
    "La vérification mensuelle du 9 juin 2026 a eu lieu à 10 h.",
    "Patrouille 4411 stationnée au coin de Sainte-Catherine et Saint-Laurent.",
    "Il reste 1 place dans la salle pour la formation des policiers.",
    "Rencontre de 45 minutes avec l'inspecteur du PDQ 21.",
    # typed in capitals
    "OFFICERS PARKED FOR 100 MIN AT THE DOOR, UNIT 2207 AGAIN.",
    # acronyms before a year or a transit route are not plates
    "The CAMH 2019 report was shared with the liaison officer.",
    "Police cited the CACP 2018 guidance on supervised consumption.",
    "Staff sent the CBC 2024 article to the inspector.",
    "The MDTF 2024 task force met the deputy chief.",
    "Two officers waited at the TTC 504 stop for 20 minutes.",
    "Police referred to the 2019 CAMH study at the meeting.",
    "The KING 504 streetcar was held while police searched it.",
    # a plate word near ordinary numbers
    "The plate from 2019 was old, the officer said.",
    "Officers checked tags on 100 cars in the lot.",
    "La plaque commémorative de 2019 a été retirée par la police.",
    "Officers ran the plate at 10h30 near the door.",
    "The officer's name tag said PC 4411.",
    "Police ran a plate, then cited the CAMH 2019 report.",
    # driver's licence and passport without a number
    "Police asked to see his passport but he had none.",
    "The driver's licence was returned after 20 minutes.",
    "Police took his passport at 14:30 on 2026-06-12 and gave it back.",
    # birth words away from a date, or in another sentence
    "Asked for his DOB. On 2026-06-12 we met the sergeant.",
    "The staff birthday party on 2026-06-12 was interrupted by police.",
    # health care words without a health number
    "His health care team met police on 2026-06-12.",
    "Health care workers counted 12 overdoses in June.",
    # street-type words in services and durations
    "Staff gave out the 24 Hour Crisis Line number.",
    "The station is a 5 Minute Walk from the site.",
    "Staff met 2 Saint-Jean officers at the door.",
]


def kinds_in(text: str) -> list[str]:
    return [finding.kind for finding in find_pii(text)]


def test_the_lists_are_long_enough_and_cover_every_kind() -> None:
    assert len(MUST_REFUSE) >= 45
    assert len(MUST_PASS) >= 45
    assert {kind for _, kind in MUST_REFUSE} == set(KINDS)


@pytest.mark.parametrize(("text", "kind"), MUST_REFUSE)
def test_it_refuses_identifying_details(text: str, kind: str) -> None:
    assert kinds_in(text) == [kind]
    if kind in ROSTER_KINDS:
        # The model field's validator knows no roster, so it cannot tell an officer's
        # name from a client's: names are left to check_text, which is given the roster.
        check_free_text(text)
        with pytest.raises(ValidationError):
            check_text(text, officers=["Cst. Paul Moreau"])
    else:
        with pytest.raises(ValidationError):
            check_free_text(text)


@pytest.mark.parametrize("text", MUST_PASS)
def test_it_accepts_descriptions_of_police_conduct(text: str) -> None:
    assert find_pii(text) == []
    check_free_text(text)  # does not raise


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("call (416) 555-0123 now", "(416) 555-0123"),
        ("cell +1 416 555 0123.", "+1 416 555 0123"),
        ("born on January 2, 1990.", "January 2, 1990"),
        ("health card 1234-567-890-AB.", "1234-567-890-AB"),
        ("lives at 450 Queen St. W since May", "450 Queen St. W"),
        ("lives at 12 Main Street.", "12 Main Street"),
        ("Quebec plates 123 ABC.", "123 ABC"),
        ("RAMQ: TREM 8501 0112", "TREM 8501 0112"),
    ],
)
def test_the_excerpt_is_the_identifier_itself(text: str, excerpt: str) -> None:
    assert [finding.excerpt for finding in find_pii(text)] == [excerpt]


def test_the_message_names_what_was_found_and_why() -> None:
    with pytest.raises(ValidationError) as caught:
        check_free_text("Officer asked for her number; she gave 416-555-0123.")
    assert caught.value.messages == [
        'Remove the phone number "416-555-0123": a phone number could identify a person. '
        "Describe what police did, not who was there."
    ]
    assert [error.code for error in caught.value.error_list] == ["pii"]


def test_each_finding_gets_its_own_message_in_text_order() -> None:
    text = "Police took 12 Main Street, then jdoe@example.com, then SIN 046 454 286."
    with pytest.raises(ValidationError) as caught:
        check_free_text(text)
    messages = caught.value.messages
    assert len(messages) == 3
    assert messages[0].startswith('Remove the street address "12 Main Street": ')
    assert "distance from the site" in messages[0]
    assert messages[1].startswith('Remove the e-mail address "jdoe@example.com": ')
    assert messages[2].startswith('Remove the social insurance number "046 454 286": ')
    assert kinds_in(text) == ["street_address", "email", "sin"]


def test_the_finding_carries_a_plain_english_reason() -> None:
    [finding] = find_pii("Officer wrote down 416-555-0123.")
    assert finding == Finding(
        kind="phone",
        excerpt="416-555-0123",
        reason="a phone number could identify a person; describe what police did, "
        "not who was there",
    )
    assert message_for(finding).startswith('Remove the phone number "416-555-0123": ')


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_wording(kind: str) -> None:
    text = MESSAGES[kind]
    assert text.label
    assert text.why[0].islower()  # a clause after the colon
    assert text.advice.endswith(".")


def test_a_long_excerpt_is_shortened() -> None:
    address = "a" * 80 + "@example.com"
    [finding] = find_pii(f"Her address is {address}.")
    assert len(finding.excerpt) <= EXCERPT_MAX
    assert finding.excerpt.endswith("…")
    assert address.startswith(finding.excerpt[:-1])


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("046454286", True),
        ("046 454 286", True),
        ("046-454-286", True),
        ("130692544", True),
        ("123456789", False),
        ("123 456 789", False),
        ("046454287", False),
        ("79927398713", True),
        ("4111111111111111", True),
        ("", False),
        ("04645428A", False),
    ],
)
def test_luhn_check(number: str, valid: bool) -> None:
    assert luhn_valid(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9999999998", True),
        ("9999 999 998", True),
        ("9999999999", False),
        ("9055550123", False),  # a phone number in the 905 area code
        ("1234567890", False),  # does not start with 9
        ("999999998", False),  # nine digits
    ],
)
def test_bc_personal_health_number_check(number: str, valid: bool) -> None:
    assert bc_phn_valid(number) is valid


def test_a_nine_digit_number_is_a_sin_only_when_luhn_valid() -> None:
    assert kinds_in("He recited 046 454 286.") == ["sin"]
    assert kinds_in("He recited 123 456 789.") == []
    # …unless a word says it is one.
    assert kinds_in("His SIN is 123 456 789.") == ["sin"]


def test_a_police_word_before_a_luhn_valid_number_makes_it_a_badge() -> None:
    assert kinds_in("Officer 046454286 stood at the door.") == []
    assert kinds_in("The man 046454286 stood at the door.") == ["sin"]
    # A police word does not clear a number that a SIN word introduced.
    assert kinds_in("Officer asked for his SIN 046454286.") == ["sin"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # six words between the birth word and the date: still a date of birth
        ("Asked for DOB, the man said after a pause: 1990-01-02.", ["date_of_birth"]),
        # seven words: too far to be about the birth word
        ("Asked for DOB and then, much later that evening, wrote 2026-06-12.", []),
        # a new sentence starts between them
        ("Asked for his date of birth? 2026-06-12 was the meeting.", []),
        ("Asked for his date of birth!\n2026-06-12 was the meeting.", []),
    ],
)
def test_a_birth_word_reaches_a_few_words_ahead_in_the_same_sentence(
    text: str, kinds: list[str]
) -> None:
    assert kinds_in(text) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # within 30 characters after the plate word
        ("plate, as the officer wrote: abc 1234", ["licence_plate"]),
        # further away, or in the next sentence
        ("plate, as the officer wrote it down quickly: abc 1234", []),
        ("They ran the plate. ABC 1999 was cited later.", []),
        # a police vehicle's plate
        ("the cruiser's plate, noted by staff: bxrt 512", []),
    ],
)
def test_a_plate_word_reaches_a_few_words_ahead(text: str, kinds: list[str]) -> None:
    assert kinds_in(text) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("CAMH 2019", []),  # an acronym and a year
        ("CAMH 1899", ["licence_plate"]),  # not a plausible year
        ("ABC 2100", ["licence_plate"]),
        ("TTC 504", []),  # a transit agency
        ("XYZ 504 bus", []),  # a route number
        ("XYZ 504 was seen", ["licence_plate"]),
    ],
)
def test_an_acronym_before_a_year_or_route_is_not_a_plate(text: str, kinds: list[str]) -> None:
    assert kinds_in(text) == kinds


def test_a_905_number_is_a_phone_number_not_a_health_card() -> None:
    assert kinds_in("She gave 9055550123 to the officer.") == ["phone"]


@pytest.mark.parametrize(
    ("text", "kind", "excerpt"),
    [
        # both phone patterns match the same number
        ("call +1 416 555 0123 today", "phone", "+1 416 555 0123"),
        # a ten-digit phone shape after "OHIP" is a health card
        ("OHIP 4165550123 was copied.", "health_card", "4165550123"),
        # shape and "SIN" both match
        ("SIN 046 454 286 was copied.", "sin", "046 454 286"),
        # 4-3-3 shape and the health card words both match, and "234 567 890" is not a SIN
        ("health card 1234 567 890 was copied.", "health_card", "1234 567 890"),
        # a Luhn-valid nine-digit number after "OHIP" is a health card, not a SIN
        ("OHIP 046 454 286 was copied.", "health_card", "046 454 286"),
        # the plate words and the bare shape both match
        ("plate ABC 123 was run.", "licence_plate", "ABC 123"),
        # a toll-free number after "health care" is a phone number
        ("Called the health care line at 1-800-555-0199.", "phone", "1-800-555-0199"),
        # a Luhn-valid nine-digit number after "passport" is a passport number
        ("Passport 046454286 was shown.", "licence_or_passport", "046454286"),
        # the strict and the near plate checks both match
        ("plaque ontarienne cbxr 512", "licence_plate", "cbxr 512"),
    ],
)
def test_overlapping_matches_give_one_finding(text: str, kind: str, excerpt: str) -> None:
    assert [(f.kind, f.excerpt) for f in find_pii(text)] == [(kind, excerpt)]


def test_the_most_specific_kind_wins() -> None:
    # The digits of an e-mail address could be a phone number; the e-mail wins.
    assert kinds_in("Write to 4165550123@sms.example.com now.") == ["email"]


def test_the_same_identifier_twice_is_reported_once() -> None:
    text = "She gave 416-555-0123, and later 416-555-0123 again, and 647-555-0199."
    assert [f.excerpt for f in find_pii(text)] == ["416-555-0123", "647-555-0199"]


def test_lookalike_spaces_and_dashes_do_not_hide_a_number() -> None:
    # no-break spaces and an en dash
    assert kinds_in("He gave 416\u00a0555\u20130123.") == ["phone"]
    assert kinds_in("SIN 046\u202f454\u202f286") == ["sin"]


def test_empty_text_is_fine() -> None:
    assert find_pii("") == []
    check_free_text("")


def test_long_text_is_checked_quickly() -> None:
    # Realistic narrative plus shapes that make careless patterns backtrack: long runs
    # of digits, letters, spaces and address-like words without a street type.
    chunks = [
        " ".join(MUST_PASS),
        "1" * 5000,
        " " + "a" * 5000 + " at " + " " * 5000 + "x",
        " 12 " + "Queen " * 1000,
        " OHIP " + " " * 3000 + "no",
        " born " + "- " * 1000,
        " plate " + "AB-" * 1000,
        " apt 4" + " " * 3000,
        # the newer checks: words after a birth word, a plate word, a document word and
        # a saint's name, and runs of short plate-like tokens
        " date of birth " + "word " * 1000,
        " plaque " + "ab " * 1000,
        " passport " + "1-" * 2000,
        " 1450 Ste-" + "-" * 3000,
        " tag " + "a1" * 2000,
    ]
    text = ""
    while len(text) < 50_000:
        text += " ".join(chunks) + " "
    text += "Officer wrote down 416-555-0123."
    started = time.perf_counter()
    findings = find_pii(text)
    elapsed = time.perf_counter() - started
    assert [f.kind for f in findings] == ["phone"]
    assert elapsed < 1.0


@pytest.mark.django_db
def test_every_problem_of_a_text_is_named_at_once_not_one_round_after_another() -> None:
    """A tired worker fixing one refusal should not meet the next one on the next try: a
    phone number and a client's name in one narrative are both named the first time."""
    from django.core.exceptions import ValidationError

    from tests.factories import InteractionFactory, SiteFactory

    interaction = InteractionFactory.build(
        site=SiteFactory(),
        narrative="Marc Tremblay was stopped; his number is 416-555-0199.",
    )
    with pytest.raises(ValidationError) as raised:
        interaction.full_clean()
    messages = " ".join(raised.value.message_dict["narrative"])
    assert "416-555-0199" in messages
    assert "Marc Tremblay" in messages
