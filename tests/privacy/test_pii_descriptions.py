"""Descriptions that may single out a client are warned about; police descriptions pass.

The examples are new (not from the shared corpus), written the way staff type after an
incident, so that they measure the detector rather than what it was tuned on.
"""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError

from privacy.pii import DESCRIPTION, WARNING_CODE, assess, check_text, message_for
from privacy.pii_descriptions import find_descriptions

ROSTER = ("Paul", "Moreau", "Aisha", "Okafor", "Marc", "Gagnon", "Nadia", "Lavoie")

CLIENT_DESCRIPTIONS = [
    "the guy with the snake tattoo on his forearm got searched by the dumpster",
    "officers woke the woman who sleeps in the bus shelter on Gerrard every night",
    "cops asked about the man with the crutches who is always at the door by 9",
    "a participant with dreadlocks and a green hoodie was stopped twice",
    "they ticketed the kid on the skateboard who hangs out by the library every afternoon",
    "the lady with the little white dog was told to leave the bench",
    "police took the orange tent behind the arena apart",
    "someone with a scar across his cheek was questioned at the corner",
    "the tall man in the yellow raincoat who camps under the bridge was moved",
    "Cst. Moreau searched the client with the neck tattoo",
    "The officer searched a client. He had a spiderweb tattoo on his hand.",
    "le gars avec le chien noir qui dort au parc a été réveillé",
    "la femme en fauteuil roulant qui quête devant l'épicerie tous les jours a été avertie",
    "les policiers ont fouillé le jeune aux cheveux verts",
    "la dame qui vient toujours à 6 h avec son panier a été interpellée",
    "un client avec une cicatrice sur le front s'est fait demander ses papiers",
    "l'agent Gagnon a suivi l'homme au manteau rouge qui dort derrière le dépanneur",
    "la tente orange sous le viaduc a été démontée par les agents",
    "celle avec le tatouage sur le cou s'est fait fouiller",
    "la participante enceinte a été suivie jusqu'au coin",
]

POLICE_DESCRIPTIONS = [
    "the officer had a tattoo on his forearm and kept his hand on his belt",
    "a constable with a dog walked the line twice",
    "K9 unit with a German shepherd searched the alley",
    "the plainclothes officer wore a grey hoodie and a Jays cap",
    "officers in uniform, one with a shaved head, stood at the door",
    "unmarked car again, same as every morning this week",
    "the sergeant always parks at the hydrant",
    "two cops on bikes came by every afternoon this week",
    "police cleared three tents from the park this morning",
    "the cruiser is always idling by the door around 7",
    "Okafor, who has a limp, came to the meeting",
    "the detective with the beard asked for the manager",
    "officers kept their dog in the car",
    "a woman leaving the site was followed half a block",
    "police stopped a client at the door and searched his bag",
    "l'agente aux cheveux rouges a demandé à voir le gérant",
    "le maître-chien et son berger allemand ont fouillé la ruelle",
    "les policiers en civil portaient des casquettes et des manteaux noirs",
    "l'auto-patrouille passe tous les matins vers 7 h",
    "la sergente Lavoie vient toujours aux rencontres trimestrielles",
    "les agents ont démantelé des tentes au parc",
    "le policier avec une cicatrice au menton a refusé de donner son matricule",
]


@pytest.mark.parametrize("text", CLIENT_DESCRIPTIONS)
def test_a_client_description_is_warned(text: str) -> None:
    findings = find_descriptions(text, officers=ROSTER)
    assert findings, text
    assert all(f.kind == DESCRIPTION for f in findings)


@pytest.mark.parametrize("text", POLICE_DESCRIPTIONS)
def test_a_police_description_passes(text: str) -> None:
    assert find_descriptions(text, officers=ROSTER) == []


def test_a_roster_name_counts_as_police_only_with_the_roster() -> None:
    text = "Okafor, who has a limp, came to the meeting"
    assert find_descriptions(text, officers=ROSTER) == []
    assert find_descriptions(text) != []  # unknown name: the writer must decide


def test_the_warning_says_what_singled_someone_out_and_quotes_the_passage() -> None:
    [finding] = find_descriptions("the guy with the spider tattoo who sleeps behind the bank")
    assert finding.excerpt.startswith("guy with the spider tattoo")
    assert finding.reason == "a tattoo and where someone sleeps or stays"
    assert "This seems to describe a client" in message_for(finding)


def test_the_excerpt_is_short() -> None:
    text = "the man " + "with the very long and winding " * 5 + "tattoo"
    [finding] = find_descriptions(text)
    assert len(finding.excerpt) <= 40


def test_the_reason_is_in_french_when_the_page_is(settings: object) -> None:
    from django.utils import translation

    with translation.override("fr-ca"):
        [finding] = find_descriptions("le gars avec le tatouage qui dort au parc")
    assert "tatouage" in finding.reason


def test_two_people_described_give_two_warnings() -> None:
    text = "the guy with the neck tattoo and later a woman with a husky were both stopped"
    assert len(find_descriptions(text)) == 2


def test_check_text_refuses_a_warned_text_until_confirmed() -> None:
    text = "the woman in the blue tent behind the church was told to move"
    with pytest.raises(ValidationError) as refused:
        check_text(text)
    assert [e.code for e in refused.value.error_list] == [WARNING_CODE]
    check_text(text, confirmed=True)  # no error


def test_assess_keeps_warnings_apart_from_refusals() -> None:
    found = assess("the guy with the tattoo gave jo@example.com to the officer")
    assert [f.kind for f in found.refusals] == ["email"]
    assert [f.kind for f in found.warnings] == [DESCRIPTION]


def test_a_long_narrative_is_read_quickly() -> None:
    text = " ".join(CLIENT_DESCRIPTIONS + POLICE_DESCRIPTIONS) * 5  # about 25 000 characters
    start = time.perf_counter()
    find_descriptions(text, officers=ROSTER)
    assert time.perf_counter() - start < 0.5
