"""Every write to a mediation thread: open it, post a reply, set its status.

Each runs in one transaction, locks the thread's row, validates with `full_clean()` (the
PII guard included), writes its audit entry (field names, never text) and e-mails the
other side (mediation/notify.py). Pages, the API and the admin call these and nothing
else.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agreements import audit
from agreements.audit import Action
from agreements.hour_stamp import this_hour
from agreements.models import Interaction, InteractionShare
from agreements.types import Actor
from mediation import rules
from mediation.models import SharedThread, ThreadReply, ThreadStatus
from mediation.notify import notify_side

NOT_SHARED = _("This interaction is not shared with police: its liaison cannot reply.")


def thread_open(*, interaction: Interaction, actor: Actor) -> SharedThread:
    """The interaction's thread, created the first time it is shared. Sharing it again
    after an unshare finds the same thread, with its replies and status."""
    with transaction.atomic():
        thread = SharedThread.objects.filter(interaction=interaction).first()
        if thread is not None:
            return thread
        thread = SharedThread(interaction=interaction)
        thread.full_clean()
        thread.save()
        audit.record(Action.CREATE, actor=actor, site=interaction.site, obj=thread,
                     fields=["status"])  # fmt: skip
    return thread


def open_thread_after_share(interaction: Interaction, actor: Actor) -> None:
    """Registered with agreements.sharing: every share opens (or finds) the thread."""
    thread_open(interaction=interaction, actor=actor)


def thread_reply_post(
    *,
    thread: SharedThread,
    author: Actor,
    author_role: str,
    text: str,
    pii_confirmed: bool = False,
) -> ThreadReply:
    """Add a reply. A liaison replies only while the interaction is shared; a reply to a
    resolved thread reopens it (mediation/rules.py)."""
    site = thread.interaction.site
    with transaction.atomic():
        thread = _locked(thread)
        reply = ThreadReply(thread=thread, author_role=author_role, text=text)
        if author is not None and author.is_authenticated:
            reply.author = author
        if author_role == rules.LIAISON and not _shared(thread):
            raise ValidationError({"text": NOT_SHARED})
        reply.pii_confirmed = pii_confirmed
        reply.full_clean()
        reply.save()
        audit.record(Action.CREATE, actor=author, site=site, obj=reply, fields=["text"],
                     detail=f"reply in mediation thread {thread.pk}")  # fmt: skip
        reopened = rules.status_after_reply(thread.status)
        if reopened != thread.status:
            thread.status = reopened
            thread.resolved_at = None
            thread.resolved_by = None
            thread.save(update_fields=["status", "resolved_at", "resolved_by"])
            audit.record(Action.UPDATE, actor=author, site=site, obj=thread,
                         fields=["status"], detail="reopened by a reply")  # fmt: skip
        other = rules.POLICE if reply.side == rules.SITE else rules.SITE
        notify_side(thread=thread, site=site, side=other, actor=author, event="reply")
    return reply


def thread_status_set(
    *,
    thread: SharedThread,
    status: str,
    outcome: str | None = None,
    actor: Actor,
    pii_confirmed: bool = False,
) -> SharedThread:
    """Open or resolve the thread (the site's managers decide). Resolving needs an
    outcome; `outcome` None keeps the one stored. Reopening keeps the outcome's text, so
    that resolving again can amend it; only a resolved thread shows it."""
    site = thread.interaction.site
    with transaction.atomic():
        thread = _locked(thread)
        new_outcome = thread.outcome if outcome is None else outcome
        errors = rules.status_errors(status, new_outcome)
        if errors:
            raise ValidationError(errors)
        changed = [
            name
            for name, value in (("status", status), ("outcome", new_outcome))
            if getattr(thread, name) != value
        ]
        thread.status, thread.outcome = status, new_outcome
        if status == ThreadStatus.RESOLVED:
            if changed:
                thread.resolved_at, thread.resolved_by = this_hour(site), _user(actor)
        else:
            thread.resolved_at, thread.resolved_by = None, None
        thread.pii_confirmed = pii_confirmed
        thread.full_clean()
        if not changed:
            return thread
        thread.save()
        audit.record(Action.UPDATE, actor=actor, site=site, obj=thread, fields=changed,
                     detail=f"mediation thread {status}")  # fmt: skip
        notify_side(thread=thread, site=site, side=rules.POLICE, actor=actor, event="status")
    return thread


def _locked(thread: SharedThread) -> SharedThread:
    """The thread's row, locked until the transaction ends (the row alone: PostgreSQL
    refuses FOR UPDATE across the nullable side of a join), with its interaction."""
    locked = SharedThread.objects.select_for_update().get(pk=thread.pk)
    locked.interaction = thread.interaction
    return locked


def _shared(thread: SharedThread) -> bool:
    return InteractionShare.objects.filter(interaction_id=thread.interaction_id).exists()


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None
