"""Access-matrix helpers for the consultation URLs (tests/test_access_matrix.py): the
matrix site's draft, opened for consultation with one comment from its community body."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse

from consultations.models import Comment, Consultation
from consultations.services import comment_add, consultation_open


def matrix_comment(objects: dict[str, Any]) -> Comment:
    """The comment of the matrix's consultation, made the first time a row asks for it."""
    if "consultation_comment" not in objects:
        draft = objects["protocols"]
        consultation = consultation_open(
            protocol=draft,
            closes_on=draft.site.today() + timedelta(days=30),
            actor=User.objects.get(username="manager-riverside"),
        )
        objects["consultation_comment"] = comment_add(
            consultation=consultation,
            author=User.objects.get(username="community-riverside"),
            text="The union asks that the notification clause name a deadline.",
        )
    return objects["consultation_comment"]


def consultation_url(name: str) -> Any:
    def make(objects: dict[str, Any]) -> str:
        consultation: Consultation = matrix_comment(objects).consultation
        return reverse(name, kwargs={"slug": "riverside", "pk": consultation.pk})

    return make


def answer_url(objects: dict[str, Any]) -> str:
    comment = matrix_comment(objects)
    return reverse(
        "consultations:answer",
        kwargs={"slug": "riverside", "pk": comment.consultation_id, "comment": comment.pk},
    )
