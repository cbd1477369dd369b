"""The score JSON of SPEC §7 as a schema of the OpenAPI document, so that a generated
client gets typed figures instead of a free-form object.

A figure is a number, or `{"min": …, "max": …}` where a researcher's view hides a count
from 1 to T−1 (`scoring.intervals.Span.as_json`); a band likewise is a band name or
`{"min": …, "max": …}` (`BandRange.as_json`). Integers stay integers and decimals stay
decimals (`int | float`), so the answer is byte for byte what `ScoreView.as_json` gives.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, WithJsonSchema

from agreements.choices import FACTOR_KEYS

Band = Literal["at_risk", "fragile", "developing", "strong"]
# JSON has one kind of number: say so, rather than "integer or number".
Number = Annotated[int | float, WithJsonSchema({"type": "number"})]


class FigureRange(Schema):
    """A figure known only to lie between two values (both included)."""

    min: Number
    max: Number


class BandRange(Schema):
    """The band, known only to be one of those from `min` (the lowest) to `max`."""

    min: Band
    max: Band


Figure = Number | FigureRange


class CriterionOut(Schema):
    key: str
    points: Figure
    max: int
    evidence: str


class FactorOut(Schema):
    key: Literal[FACTOR_KEYS]  # type: ignore[valid-type]
    score: Figure
    max: int = Field(description="Always 100: a factor scores out of 100.")
    criteria: list[CriterionOut]


class ScoreOut(Schema):
    """A site's scorecard on a day."""

    site: str = Field(description="The site's slug.")
    as_of: date
    rubric: str = Field(description="The rubric version the score follows, e.g. v1.")
    weights: dict[Literal[FACTOR_KEYS], int] = Field(  # type: ignore[valid-type]
        description="Each factor's weight in the total."
    )
    total: Figure = Field(description="0–100, the weighted mean of the factors.")
    band: Band | BandRange
    factors: list[FactorOut]
