"""Fictional demo data (`seed_demo`), the large demo and `make bench`. No production code
imports it."""
