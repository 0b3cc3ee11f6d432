"""Settings of the generative answerer: which OpenAI-compatible server, model and limits."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

API_KEY_ENV = "POLICYBOT_LLM_API_KEY"


class LLMSettings(BaseModel):
    """The chat model behind ``answer.answerer: llm``; the API key comes from the environment."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["openai"] = Field(
        "openai",
        description="LangChain chat model integration; `openai` is ChatOpenAI against any "
        "OpenAI-compatible server (vLLM, llama.cpp, Ollama's /v1, LM Studio, hosted).",
    )
    base_url: str = Field(
        "http://127.0.0.1:8080/v1", description="Base URL of the OpenAI-compatible API."
    )
    model: str = Field("local", description="Model name sent with every request.")
    temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature (sent).")
    max_tokens: int = Field(400, ge=16, le=8192, description="Longest generated answer.")
    timeout_s: float = Field(
        60.0, gt=0, description="Timeout of one request; the extractive answer takes over."
    )
    max_retries: int = Field(
        1, ge=0, le=10,
        description="Retries after a timeout, 429 (waiting Retry-After) or 5xx, per question.",
    )
    context_passages: int = Field(
        5, ge=1, le=20, description="Retrieved passages given to the model, numbered [1]..[n]."
    )
    support_threshold: float = Field(
        0.55, ge=0, le=1,
        description="Least embedding similarity, on the model's own scale (0 for unrelated "
        "texts, 1 for a text and itself), between a generated sentence and a sentence of the "
        "passage it cites (set by hand; see README).",
    )
    support_threshold_cross_language: float = Field(
        0.4, ge=0, le=1,
        description="The same, when the sentence and the passage are in different languages "
        "(an English-only model reads Vietnamese through its gloss; set by hand likewise).",
    )
    rewrite_follow_ups: bool = Field(
        True, description="Rewrite a follow-up into a standalone question before retrieval."
    )
    translate_queries: bool = Field(
        True,
        description="Also search by the question's translation (Vietnamese <-> English).",
    )
    helper_timeout_s: float = Field(
        10.0, gt=0,
        description="Timeout of the follow-up rewriting and translation calls (skipped on "
        "failure).",
    )
