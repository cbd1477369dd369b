"""The benchmark suite behind `make bench` (docs/benchmarks.md).

`suite` drives whole runs (fresh databases, seeding, one `manage.py benchmark` per
database and size) and needs no Django settings; the other modules measure inside
`manage.py benchmark`; `report` turns the figures into docs/benchmarks.md and JSON.
"""
