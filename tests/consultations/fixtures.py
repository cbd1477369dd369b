"""A site with a signed version in force and a draft that changes it, around the `world`
of tests/conftest.py (riverside opts in to community oversight): its manager and its
community body have e-mail addresses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User

from agreements.models import Protocol
from consultations.models import Consultation
from consultations.services import consultation_open
from tests.conftest import World
from tests.factories import ClauseFactory, ProtocolFactory, SignedProtocolFactory

# Texts the guard lets through: about the protocol and police, never anyone else.
OLD_CLAUSE = "Officers do not enter during opening hours."
NEW_CLAUSE = "Officers do not enter during opening hours, except with a warrant shown to staff."
COMMENT = "Comment-3a9f: the warrant exception should name who at the site is told first."
ANSWER = "Answer-7d21: the shift lead is told first; the clause will say so."
REWORDED = "Answer-7d21b: the shift lead and the manager on call are told first."
# A passage the guard warns about (it may describe a client), and one it refuses.
WARNED = "A man with a neck tattoo who sleeps in the blue tent was searched."
REFUSED = "Call 416-555-0199 to follow up."


@dataclass
class Setting:
    world: World
    manager: User
    community: User
    liaison: User
    in_force: Protocol
    draft: Protocol

    def open(self, days: int = 14) -> Consultation:
        return consultation_open(
            protocol=self.draft,
            closes_on=self.world.site.today() + timedelta(days=days),
            actor=self.manager,
        )


@pytest.fixture
def setting(world: World) -> Setting:
    manager, community, liaison = (world.users[r] for r in ("manager", "community", "liaison"))
    assert manager is not None
    assert community is not None
    assert liaison is not None
    manager.email = "manager@site.example"
    manager.save()
    community.email = "union@community.example"
    community.save()
    liaison.email = "liaison@police.example"
    liaison.save()
    in_force = SignedProtocolFactory(site=world.site, version=1, review_by=date(2030, 1, 1))
    ClauseFactory(protocol=in_force, topic="entry_during_hours", text=OLD_CLAUSE)
    draft = ProtocolFactory(site=world.site, version=2, created_on=world.site.today())
    ClauseFactory(protocol=draft, topic="entry_during_hours", text=NEW_CLAUSE)
    return Setting(world, manager, community, liaison, in_force, draft)
