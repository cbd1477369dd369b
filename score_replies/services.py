"""Every write of a score reply goes through `score_reply_write`: the page, the API and
any command. Validated (`full_clean`: the PII guard with the site's roster, the month's
rules), one transaction with the site locked, audited (field names, never the text),
then the site's managers are e-mailed a link and the month (never the text)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements import audit
from agreements.audit import Action
from agreements.models import Site
from agreements.notices import in_both_languages, manager_addresses, send_each
from agreements.research_days import last_complete_month_end, month_end
from agreements.types import Actor
from liaisons.models import LiaisonAssignment, LiaisonOfficer
from score_replies.models import ScoreReply, ScoreReplyVersion
from score_replies.months import Month, month_refusal

NOT_ASSIGNED = _(
    "Only a liaison officer with an active assignment at this site may reply to its scorecard."
)


def reply_month(text: str | Month) -> Month:
    """The month a caller named, "YYYY-MM"; a ValidationError naming `month` otherwise."""
    if isinstance(text, Month):
        return text
    try:
        return Month.parse(str(text))
    except ValueError as error:
        raise ValidationError({"month": str(error)}) from None


def writing_officer(site: Site, actor: Actor, day: date) -> LiaisonOfficer:
    """The actor's officer record, if it holds an assignment at `site` active on `day`
    (the site's today) and the site gives police accounts; else PermissionDenied."""
    officer = (
        LiaisonOfficer.objects.filter(user_id=getattr(actor, "pk", None) or 0, active=True)
        .select_related("service")
        .first()
    )
    assigned = (
        officer is not None
        and site.police_accounts
        and LiaisonAssignment.objects.filter(officer=officer, site=site, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .exists()
    )
    if not assigned or officer is None:
        raise PermissionDenied(str(NOT_ASSIGNED))
    return officer


def score_reply_write(
    *,
    site: Site,
    month: str | Month,
    text: str,
    actor: Actor,
    pii_confirmed: bool = False,
    now: datetime | None = None,
) -> tuple[ScoreReply, bool]:
    """Write (or re-word) the police service's reply to `site`'s scorecard for `month`.
    Returns the reply and whether it was created. The same text again changes nothing
    (no version, no entry, no e-mail)."""
    now = now or timezone.now()
    officer = writing_officer(site, actor, timezone.localtime(now, site.tz).date())
    chosen = reply_month(month)
    refusal = month_refusal(
        chosen, opened_on=site.opened_on, last_complete=last_complete_month_end(site, now)
    )
    if refusal:
        raise ValidationError({"month": refusal})
    text = text.strip() if isinstance(text, str) else text
    with transaction.atomic():
        # Serialises replies at one site, so version numbers cannot race.
        list(Site.objects.select_for_update().filter(pk=site.pk).values_list("pk"))
        reply = ScoreReply.objects.filter(site=site, month=chosen.first_day()).first()
        created = reply is None
        if reply is not None and reply.text == text:
            return reply, False
        reply = reply or ScoreReply(site=site, month=chosen.first_day())
        reply.text = text
        reply.author = officer
        reply.service = officer.service
        reply.updated_at = now
        reply.pii_confirmed = pii_confirmed
        reply.full_clean()
        reply.save()
        last = reply.versions.aggregate(last=Max("number"))["last"] or 0
        version = ScoreReplyVersion(
            reply=reply, number=last + 1, text=text, author=officer, written_at=now
        )
        version.full_clean()
        version.save()
        audit.record(
            Action.CREATE if created else Action.UPDATE,
            actor=actor,
            site=site,
            obj=reply,
            fields=["month", "text"] if created else ["text"],
            detail=f"reply to the {chosen} scorecard, version {version.number}",
        )
    score_reply_notify(reply=reply, actor=actor, created=created)
    return reply, created


def score_reply_notify(*, reply: ScoreReply, actor: Actor, created: bool) -> int:
    """E-mail the site's managers that the police service replied (or re-worded its
    reply): the site, the month and a link, in both languages; never the text, which
    stays behind the sign-in. Returns how many were sent. A failed e-mail is logged and
    leaves the reply as written: the managers' home page says it too."""
    site = reply.site
    emails = manager_addresses(site)
    if not emails:
        return 0
    subject, body = in_both_languages(lambda: _notice_text(reply, created))
    sent = send_each(
        subject=subject, body=body, addresses=emails, what="Score reply notice to a manager"
    )
    if sent:
        month = Month.of(reply.month)
        audit.record(Action.NOTIFY, actor=actor, site=site, obj=reply,
                     detail=f"reply to the {month} scorecard e-mailed to {sent} "
                     f"manager(s)")  # fmt: skip
    return sent


def _absolute(path: str) -> str:
    return str(settings.HR_POLICE_BASE_URL).rstrip("/") + path


def _notice_text(reply: ScoreReply, created: bool) -> tuple[str, str]:
    site = reply.site
    month = formats.date_format(reply.month, "YEAR_MONTH_FORMAT")
    score = reverse("agreements:site_score", kwargs={"slug": site.slug})
    replies = reverse("score_replies:site_replies", kwargs={"slug": site.slug})
    words = {"site": site.name, "month": month}
    if created:
        subject = gettext("Police reply to the %(month)s scorecard of %(site)s") % words
        opening = (
            gettext("The police service replied to the scorecard of %(site)s for %(month)s.")
            % words
        )
    else:
        subject = gettext("Police reply re-worded: %(month)s scorecard of %(site)s") % words
        opening = (
            gettext(
                "The police service re-worded its reply to the scorecard of %(site)s for %(month)s."
            )
            % words
        )
    lines = [
        opening,
        "",
        gettext("Read it beside the score: %(url)s")
        % {"url": _absolute(f"{score}?as_of={month_end(reply.month):%Y-%m-%d}")},
        gettext("Every wording: %(url)s")
        % {"url": _absolute(f"{replies}?month={reply.month:%Y-%m}")},
        "",
        gettext("You receive this because you manage this site."),
    ]
    return subject, "\n".join(lines) + "\n"
