"""Interactions, check-ins, engagements and support statements: list and create."""

from ninja import Router

router = Router()
