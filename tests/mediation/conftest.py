"""The `mediation` fixture (tests/mediation/fixtures.py) for these tests."""

from tests.mediation.fixtures import mediation

__all__ = ["mediation"]
