"""Settings of the answering core."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AnswerSettings(BaseModel):
    """How answers are composed and when the bot refuses."""

    model_config = ConfigDict(extra="forbid")

    answerer: Literal["extractive"] = Field(
        "extractive", description="Answering strategy; `extractive` needs no LLM."
    )
    max_sentences: int = Field(3, ge=1, le=6, description="Sentences quoted in an answer.")
    passages_considered: int = Field(
        6, ge=1, le=50, description="Top passages whose sentences compete for the answer."
    )
    min_relevance: float = Field(
        0.35, ge=0, le=1, description="Refuse when the best passage's similarity is below this."
    )
    min_coverage: float = Field(
        0.5, ge=0, le=1,
        description="Refuse when less than this share of the question's key terms is found.",
    )
    max_question_chars: int = Field(4000, ge=10, description="Longer questions are rejected.")
