"""API endpoints of the `perception` app (SPEC §7)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["perception"])
