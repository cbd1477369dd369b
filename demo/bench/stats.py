"""Percentiles and summaries of timings: plain functions, tested without a database."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with `fraction` of them at or below."""
    if not values:
        raise ValueError("No values to take a percentile of.")
    if not 0 < fraction <= 1:
        raise ValueError("The fraction is above 0 and at most 1.")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarise_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p95 and the slowest of a series of durations in seconds, in milliseconds."""
    return {
        "p50_ms": round(percentile(seconds, 0.5) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "runs": len(seconds),
    }
