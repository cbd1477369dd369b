"""The thread page and the shared list, as each role: scope held (another site's liaison
404, a thread unshared 404 for police, researchers 403 and no text), what police never
read, the PII guard's answers and constant query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.access import roles_by_site
from agreements.sharing import interaction_unshare
from mediation.models import SharedThread, ThreadReply
from mediation.services import thread_reply_post
from mediation.waiting import waiting
from tests.factories import InteractionFactory
from tests.mediation.fixtures import (
    NARRATIVE,
    OUTCOME,
    POLICE_REPLY,
    REFUSED,
    SITE_REPLY,
    SUMMARY,
    WARNED,
    Mediation,
    share,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _thread_url(mediation: Mediation, slug: str = "riverside") -> str:
    return reverse("mediation:thread", kwargs={"slug": slug, "pk": mediation.thread.pk})


def _status_url(mediation: Mediation) -> str:
    return reverse(
        "mediation:thread_status", kwargs={"slug": "riverside", "pk": mediation.thread.pk}
    )


def _shared_url() -> str:
    return reverse("agreements:shared_interactions", kwargs={"slug": "riverside"})


def test_sharing_on_the_page_opens_the_thread_linked_from_both_pages(mediation: Mediation) -> None:
    interaction = InteractionFactory(site=mediation.world.site)
    manager = _client(mediation.manager)
    url = reverse(
        "agreements:interactions_share", kwargs={"slug": "riverside", "pk": interaction.pk}
    )
    response = manager.post(url, {"summary": SUMMARY, "edit_version": 0})
    assert response.status_code == 302
    thread = SharedThread.objects.get(interaction=interaction)
    thread_url = reverse("mediation:thread", kwargs={"slug": "riverside", "pk": thread.pk})
    edit = reverse(
        "agreements:interactions_edit", kwargs={"slug": "riverside", "pk": interaction.pk}
    )
    assert thread_url in manager.get(edit).content.decode()
    assert thread_url in _client(mediation.liaison).get(_shared_url()).content.decode()


def test_the_liaison_reads_the_summary_and_thread_never_the_narrative_nor_the_staff_name(
    mediation: Mediation,
) -> None:
    thread_reply_post(thread=mediation.thread, author=mediation.manager,
                      author_role="manager", text=SITE_REPLY)  # fmt: skip
    page = _client(mediation.liaison).get(_thread_url(mediation)).content.decode()
    assert SUMMARY in page
    assert SITE_REPLY in page
    assert "Site staff" in page
    assert NARRATIVE not in page
    assert "manager-riverside" not in page
    edit = reverse(
        "agreements:interactions_edit", kwargs={"slug": "riverside", "pk": mediation.interaction.pk}
    )
    assert edit not in page
    # The site's managers see who replied, and the way to the interaction.
    managers = _client(mediation.manager).get(_thread_url(mediation)).content.decode()
    assert "manager-riverside" in managers
    assert edit in managers


def test_the_liaison_replies_and_the_manager_resolves_both_read_the_outcome(
    mediation: Mediation,
) -> None:
    liaison, manager = _client(mediation.liaison), _client(mediation.manager)
    response = liaison.post(_thread_url(mediation), {"text": POLICE_REPLY})
    assert response.status_code == 302
    assert ThreadReply.objects.get().author_role == "liaison"
    response = manager.post(
        _status_url(mediation), {"status-status": "resolved", "status-outcome": OUTCOME}
    )
    assert response.status_code == 302
    for client in (liaison, manager):
        page = client.get(_thread_url(mediation)).content.decode()
        assert OUTCOME in page
        assert POLICE_REPLY in page


def test_the_liaison_cannot_set_the_status(mediation: Mediation) -> None:
    response = _client(mediation.liaison).post(
        _status_url(mediation), {"status-status": "resolved", "status-outcome": OUTCOME}
    )
    assert response.status_code == 403
    assert SharedThread.objects.get().status == "open"


def test_resolving_without_an_outcome_names_the_field_and_changes_nothing(
    mediation: Mediation,
) -> None:
    response = _client(mediation.manager).post(
        _status_url(mediation), {"status-status": "resolved", "status-outcome": ""}
    )
    assert response.status_code == 422
    assert "Outcome" in response.content.decode()
    assert SharedThread.objects.get().status == "open"


def test_a_liaison_of_another_site_gets_404_for_the_thread_and_its_status(
    mediation: Mediation,
) -> None:
    other = _client(mediation.other_liaison)
    assert other.get(_thread_url(mediation)).status_code == 404
    assert other.post(_thread_url(mediation), {"text": POLICE_REPLY}).status_code == 404
    assert other.post(_status_url(mediation), {"status-status": "open"}).status_code == 404
    # Nor through their own site's address: the thread is looked up inside the site.
    assert other.get(_thread_url(mediation, "eastside")).status_code == 404
    assert not ThreadReply.objects.exists()


def test_after_unsharing_the_thread_is_404_for_police_and_leaves_their_list(
    mediation: Mediation,
) -> None:
    thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                      author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    interaction_unshare(interaction=mediation.interaction, actor=mediation.manager)
    liaison = _client(mediation.liaison)
    assert liaison.get(_thread_url(mediation)).status_code == 404
    assert liaison.post(_thread_url(mediation), {"text": POLICE_REPLY}).status_code == 404
    assert _thread_url(mediation) not in liaison.get(_shared_url()).content.decode()
    # The site still reads it, told that police no longer do.
    page = _client(mediation.manager).get(_thread_url(mediation)).content.decode()
    assert POLICE_REPLY in page
    assert "no longer shared" in page
    # Shared again: the same thread comes back to police.
    share(mediation.interaction, mediation.manager)
    assert liaison.get(_thread_url(mediation)).status_code == 200


def test_a_researcher_gets_403_and_no_text_anywhere(mediation: Mediation) -> None:
    thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                      author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    researcher = _client(mediation.world.users["researcher"])
    for url in (_thread_url(mediation), _shared_url()):
        response = researcher.get(url)
        assert response.status_code == 403
        assert POLICE_REPLY not in response.content.decode()
    assert researcher.post(_thread_url(mediation), {"text": SITE_REPLY}).status_code == 403
    assert ThreadReply.objects.count() == 1


def test_a_reply_with_an_identifier_is_refused_naming_the_field(mediation: Mediation) -> None:
    response = _client(mediation.manager).post(
        _thread_url(mediation), {"text": REFUSED, "pii_confirmed": "on"}
    )
    assert response.status_code == 422
    assert "Your reply" in response.content.decode()
    assert not ThreadReply.objects.exists()


def test_a_warned_reply_is_kept_for_confirmation_then_saved(mediation: Mediation) -> None:
    liaison = _client(mediation.liaison)
    response = liaison.post(_thread_url(mediation), {"text": WARNED})
    page = response.content.decode()
    assert response.status_code == 422
    assert "This text describes police, not a client" in page
    assert "neck tattoo" in page
    assert not ThreadReply.objects.exists()
    assert (
        liaison.post(_thread_url(mediation), {"text": WARNED, "pii_confirmed": "on"}).status_code
        == 302
    )
    assert ThreadReply.objects.count() == 1


def test_the_shared_list_shows_a_waiting_badge_to_the_side_waited_on(mediation: Mediation) -> None:
    thread_reply_post(thread=mediation.thread, author=mediation.liaison,
                      author_role="liaison", text=POLICE_REPLY)  # fmt: skip
    assert (
        "Waiting for your reply" in _client(mediation.manager).get(_shared_url()).content.decode()
    )
    assert (
        "Waiting for your reply"
        not in _client(mediation.liaison).get(_shared_url()).content.decode()
    )


def test_waiting_lines_for_the_home_page(mediation: Mediation) -> None:
    manager, liaison = mediation.manager, mediation.liaison
    site_id = mediation.world.site.pk
    assert waiting(manager, roles_by_site(manager)) == []
    thread_reply_post(
        thread=mediation.thread, author=liaison, author_role="liaison", text=POLICE_REPLY
    )
    lines = waiting(manager, roles_by_site(manager))
    assert [(w.site_id, w.kind, w.url) for w in lines] == [
        (site_id, "thread_reply", _thread_url(mediation))
    ]
    assert waiting(liaison, roles_by_site(liaison)) == []
    thread_reply_post(
        thread=mediation.thread, author=manager, author_role="manager", text=SITE_REPLY
    )
    assert [w.kind for w in waiting(liaison, roles_by_site(liaison))] == ["thread_reply"]
    assert waiting(manager, roles_by_site(manager)) == []
    # Unshared: nothing waits for police any more.
    interaction_unshare(interaction=mediation.interaction, actor=manager)
    assert waiting(liaison, roles_by_site(liaison)) == []


def test_waiting_takes_one_query_whatever_the_threads(
    mediation: Mediation, django_assert_num_queries: Any
) -> None:
    manager = mediation.manager
    for _ in range(5):
        thread = share(InteractionFactory(site=mediation.world.site), manager)
        thread_reply_post(
            thread=thread, author=mediation.liaison, author_role="liaison", text=POLICE_REPLY
        )
    roles = roles_by_site(manager)
    with django_assert_num_queries(1):
        lines = waiting(manager, roles)
    assert "5 mediation threads" in lines[0].text
    assert lines[0].url == _shared_url()


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["manager", "liaison"])
def test_pages_take_the_same_queries_with_one_reply_or_many(
    mediation: Mediation, role: str
) -> None:
    client = _client(getattr(mediation, role))
    thread_reply_post(
        thread=mediation.thread, author=mediation.manager, author_role="manager", text=SITE_REPLY
    )
    share(InteractionFactory(site=mediation.world.site), mediation.manager)
    one = (_count(client, _thread_url(mediation)), _count(client, _shared_url()))
    for _ in range(20):
        thread_reply_post(
            thread=mediation.thread,
            author=mediation.liaison,
            author_role="liaison",
            text=POLICE_REPLY,
        )
    for _ in range(10):
        thread = share(InteractionFactory(site=mediation.world.site), mediation.manager)
        thread_reply_post(
            thread=thread, author=mediation.liaison, author_role="liaison", text=POLICE_REPLY
        )
    many = (_count(client, _thread_url(mediation)), _count(client, _shared_url()))
    assert one == many
