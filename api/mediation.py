"""API endpoints of the `mediation` app (SPEC §7)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["mediation"])
