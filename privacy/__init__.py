"""The rules that keep clients unidentifiable: the PII guard and small-count suppression.
Plain functions over plain data: no database, no Django models."""
