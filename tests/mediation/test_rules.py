"""The thread's rules, on plain values."""

from __future__ import annotations

from mediation import rules


def test_a_manager_or_an_administrator_replies_for_the_site_a_liaison_for_police() -> None:
    assert rules.author_role_for({"manager", "liaison"}) == "manager"
    assert rules.author_role_for({"admin"}) == "admin"
    assert rules.author_role_for({"liaison"}) == "liaison"
    assert rules.author_role_for({"researcher"}) is None
    assert [rules.side_of(r) for r in ("manager", "admin", "liaison")] == ["site", "site", "police"]


def test_resolving_needs_an_outcome_and_the_status_must_be_known() -> None:
    assert rules.status_errors("resolved", "  ") == {"outcome": str(rules.OUTCOME_REQUIRED)}
    assert rules.status_errors("resolved", "Agreed.") == {}
    assert rules.status_errors("open", "") == {}
    assert set(rules.status_errors("closed", "x")) == {"status"}


def test_a_reply_reopens_a_resolved_thread() -> None:
    assert rules.status_after_reply("resolved") == "open"
    assert rules.status_after_reply("open") == "open"


def test_an_open_thread_waits_for_the_side_that_did_not_write_last() -> None:
    assert rules.waits_for(status="open", last_author_role="liaison", side="site")
    assert not rules.waits_for(status="open", last_author_role="liaison", side="police")
    assert rules.waits_for(status="open", last_author_role="admin", side="police")
    assert not rules.waits_for(status="open", last_author_role=None, side="site")
    assert not rules.waits_for(status="resolved", last_author_role="liaison", side="site")
