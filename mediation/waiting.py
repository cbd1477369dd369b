"""Threads waiting for this user's side, for the home page's badge (agreements/waiting.py).

A thread waits for a side when it is open and its last reply came from the other side:
the site's managers are waited on after a liaison wrote, the liaison after the site did.
Police are waited on only for interactions still shared. One query, whatever the number
of sites or threads.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import ngettext

from agreements.choices import Role
from agreements.types import AnyUser
from agreements.waiting import Waiting
from mediation import rules
from mediation.models import SharedThread, ThreadStatus
from mediation.selectors import last_author_roles

KIND = "thread_reply"


def waiting(user: AnyUser, roles: Mapping[int, frozenset[str]]) -> list[Waiting]:
    """One line per site where threads wait for this user's side (administrators are
    not waited on: the site's managers are; they are e-mailed and badged)."""
    sides = {
        site_id: rules.SITE if Role.MANAGER in held else rules.POLICE
        for site_id, held in roles.items()
        if Role.MANAGER in held or Role.LIAISON in held
    }
    if not sides:
        return []
    site_ids = [s for s, side in sides.items() if side == rules.SITE]
    police_ids = [s for s, side in sides.items() if side == rules.POLICE]
    rows = (
        SharedThread.objects.filter(status=ThreadStatus.OPEN)
        .filter(
            Q(interaction__site_id__in=site_ids)
            | Q(interaction__site_id__in=police_ids, interaction__share__isnull=False)
        )
        .annotate(last_role=last_author_roles())
        .order_by("id")
        .values_list("pk", "interaction__site_id", "interaction__site__slug", "last_role")
    )
    by_site: dict[int, tuple[str, list[int]]] = {}
    for pk, site_id, slug, last_role in rows:
        if rules.waits_for(status=rules.OPEN, last_author_role=last_role, side=sides[site_id]):
            by_site.setdefault(site_id, (slug, []))[1].append(pk)
    lines = []
    for site_id, (slug, threads) in by_site.items():
        if len(threads) == 1:
            url = reverse("mediation:thread", kwargs={"slug": slug, "pk": threads[0]})
        else:
            url = reverse("agreements:shared_interactions", kwargs={"slug": slug})
        text = ngettext(
            "%(count)d mediation thread waits for your reply.",
            "%(count)d mediation threads wait for your reply.",
            len(threads),
        ) % {"count": len(threads)}
        lines.append(Waiting(site_id=site_id, text=text, url=url, kind=KIND))
    return lines
