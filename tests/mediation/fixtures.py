"""A shared interaction with its thread, around the `world` of tests/conftest.py: its
manager (with an e-mail address), its liaison (an officer with an active assignment and
an account) and a liaison of another site."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from agreements.choices import Role
from agreements.models import Interaction
from agreements.sharing import interaction_share
from mediation.models import SharedThread
from tests.conftest import World, make_user
from tests.factories import AssignmentFactory, InteractionFactory, OfficerFactory

# Texts the guard lets through: they describe police, never anyone else.
SUMMARY = "Summary-5c1d: a cruiser idled by the door for an hour."
NARRATIVE = "Narrative-e29a: staff saw it from the desk."
SITE_REPLY = "Reply-site-71aa: we ask that cruisers park beyond the buffer."
POLICE_REPLY = "Reply-police-0b3c: the sergeant will brief the night shift."
OUTCOME = "Outcome-88f0: cruisers park beyond the buffer from now on."
# A passage the guard warns about (it may describe a client), and one it refuses.
WARNED = "A man with a neck tattoo who sleeps in the blue tent was searched."
REFUSED = "Call 416-555-0199 to follow up."


@dataclass
class Mediation:
    world: World
    interaction: Interaction
    thread: SharedThread
    manager: User
    liaison: User
    other_liaison: User


def share(interaction: Interaction, actor: Any, summary: str = SUMMARY) -> SharedThread:
    """Share through the sharing service, which opens the interaction's thread."""
    interaction_share(interaction=interaction, summary=summary, actor=actor)
    return SharedThread.objects.get(interaction=interaction)


@pytest.fixture
def mediation(world: World) -> Mediation:
    manager, liaison = world.users["manager"], world.users["liaison"]
    assert manager is not None
    assert liaison is not None
    manager.email = "manager@site.example"
    manager.save()
    liaison.email = "liaison@police.example"
    liaison.save()
    # A liaison of the other site, with an account and an active assignment there.
    other = make_user(Role.LIAISON, username="liaison-eastside")
    officer = OfficerFactory(user=other, badge_number="5522", email="other@police.example")
    AssignmentFactory(officer=officer, site=world.other_site)
    interaction = InteractionFactory(site=world.site, narrative=NARRATIVE)
    thread = share(interaction, manager)
    return Mediation(world, interaction, thread, manager, liaison, other)
