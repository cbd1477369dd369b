from tests.consultations.fixtures import setting

__all__ = ["setting"]
