"""Scoped reads of mediation threads: the one place that answers "may this user open
this thread?" for the pages and the API alike.

The site is resolved by `agreements.access.site_access` (out of scope 404, a role that may
not 403). Inside the site, police (a liaison with an active assignment, which the access
helper already requires) reach a thread only while its interaction is shared: after an
unshare the thread answers 404 to them, as if it never existed, while the site's managers
keep reading it. What police are shown never loads the narrative or who logged it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from agreements.access import Permission, SiteAccess, site_access
from agreements.models import Site
from agreements.types import AnyUser
from mediation import rules
from mediation.models import SharedThread, ThreadReply

# What a liaison's reads leave in the database: police see none of it.
HIDDEN_FROM_POLICE = (
    "interaction__narrative",
    "interaction__resolution",
    "interaction__badge_numbers",
    "interaction__logged_by",
)


@dataclass(frozen=True)
class ThreadAccess:
    access: SiteAccess
    thread: SharedThread
    # The role the user replies as here (mediation/rules.py), None if they may not.
    author_role: str | None

    @property
    def can_manage(self) -> bool:
        return self.access.can(Permission.MANAGE)

    @property
    def shared(self) -> bool:
        return hasattr(self.thread.interaction, "share")


def threads_of(site: Site, *, manager: bool) -> QuerySet[SharedThread]:
    """The site's threads this side may open, with the interaction and its share."""
    rows = SharedThread.objects.filter(interaction__site=site).select_related(
        "interaction", "interaction__share", "resolved_by"
    )
    if manager:
        return rows
    return rows.filter(interaction__share__isnull=False).defer(*HIDDEN_FROM_POLICE)


def thread_access(user: AnyUser, slug: str, pk: int, *, manage: bool = False) -> ThreadAccess:
    """The thread `pk` of site `slug` for `user`: 404 out of scope (another site, no such
    thread, or no longer shared for police), 403 when `manage` is asked of police."""
    access = site_access(user, slug, Permission.VIEW_SHARED)
    thread = threads_of(access.site, manager=access.can(Permission.MANAGE)).filter(pk=pk).first()
    if thread is None:
        raise Http404("No such thread.")
    thread.interaction.site = access.site
    if manage and not access.can(Permission.MANAGE):
        raise PermissionDenied("Only the site's managers set a thread's status.")
    return ThreadAccess(access, thread, rules.author_role_for(access.roles))


def replies_of(thread: SharedThread) -> list[ThreadReply]:
    """The replies in order, with their authors (names are shown to the site only)."""
    rows = ThreadReply.objects.filter(thread=thread).select_related("author")
    return list(
        rows.only("id", "thread_id", "author_role", "text", "posted_at", "author__username")
    )


def last_author_roles(thread: str = "pk") -> Subquery:
    """The author role of each thread's last reply (None without replies), for
    annotating a queryset in the same query; `thread` is the path to the thread's id."""
    last = ThreadReply.objects.filter(thread=OuterRef(thread)).order_by("-id")
    return Subquery(last.values("author_role")[:1])
