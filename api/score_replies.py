"""API endpoints of the `score_replies` app (SPEC §7)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["score-replies"])
