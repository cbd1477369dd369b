"""Migration mediation/0002: interactions shared before threads existed get one."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from agreements.sharing import interaction_share
from mediation.models import SharedThread
from tests.factories import InteractionFactory
from tests.mediation.fixtures import SUMMARY, Mediation

pytestmark = pytest.mark.django_db

migration = importlib.import_module("mediation.migrations.0002_threads_of_existing_shares")


def test_each_share_without_a_thread_gets_one_kept_to_the_hour(mediation: Mediation) -> None:
    older = InteractionFactory(site=mediation.world.site)
    share = interaction_share(interaction=older, summary=SUMMARY, actor=mediation.manager)
    migration.open_threads(apps, None)
    migration.open_threads(apps, None)  # run twice: still one thread each
    assert SharedThread.objects.count() == 2
    thread = SharedThread.objects.get(interaction=older)
    assert thread.opened_at == share.shared_at
    assert (thread.opened_at.minute, thread.opened_at.second) == (0, 0)
