"""Settings of the answering core."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AnswerSettings(BaseModel):
    """How answers are composed and when the bot refuses."""

    model_config = ConfigDict(extra="forbid")

    answerer: Literal["extractive", "llm"] = Field(
        "extractive",
        description="Answering strategy; `extractive` needs no LLM, `llm` uses the `llm` section "
        "and falls back to `extractive`.",
    )
    max_sentences: int = Field(3, ge=1, le=6, description="Sentences quoted in an answer.")
    passages_considered: int = Field(
        6, ge=1, le=50, description="Top passages whose sentences compete for the answer."
    )
    min_relevance: float = Field(
        0.15, ge=0, le=1,
        description="Refuse when the best passage's similarity, on the model's own scale (0 for "
        "unrelated texts, 1 for a text and itself), is below this and key terms are thin.",
    )
    min_coverage: float = Field(
        0.45, ge=0, le=1,
        description="Refuse when the top passages hold less than this IDF-weighted share of the "
        "question's key terms.",
    )
    max_absent: float = Field(
        0.45, ge=0, le=1,
        description="Refuse when more than this IDF-weighted share of the question's key terms "
        "occurs nowhere in the collection (an off-topic question).",
    )
    semantic_rescue: float = Field(
        0.45, ge=0, le=1,
        description="Before refusing an English question for lack of shared words, answer "
        "anyway when a candidate sentence's embedding similarity, on the model's own scale, "
        "reaches this (0 = never).",
    )
    rerank_sentences: int = Field(
        0, ge=0, le=50,
        description="Best candidate sentences re-scored with their own embedding (costs about "
        "1 ms per sentence on 2 CPU cores; 0 = off).",
    )
    max_question_chars: int = Field(4000, ge=10, description="Longer questions are rejected.")
    as_of: date | None = Field(
        None,
        description="Date (ISO) on which document statuses are judged: in force, replaced, "
        "amended, ...; null = today. Set it for reproducible evaluation.",
    )
