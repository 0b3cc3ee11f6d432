"""One factory for the LangChain chat model behind the generative answerer."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from bot.answering.llm_settings import API_KEY_ENV, LLMSettings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

PROVIDERS = ("openai",)
NO_KEY = "no-key"


def build_chat_model(
    settings: LLMSettings, *, timeout_s: float | None = None, max_retries: int | None = None
) -> BaseChatModel:
    """Return the chat model named by ``settings.provider``, streaming, with explicit limits.

    ``timeout_s`` and ``max_retries`` override the configured ones (the short helper calls).
    """
    match settings.provider:
        case "openai":
            from langchain_openai import ChatOpenAI
            from pydantic import SecretStr

            # Passed explicitly so that OPENAI_API_KEY, which may belong to something else on
            # the machine, is never sent to this server. Local servers need none, but the
            # client refuses to start without one, so they get a placeholder they ignore.
            api_key = SecretStr(os.environ.get(API_KEY_ENV, "").strip() or NO_KEY)
            return ChatOpenAI(
                model=settings.model,
                base_url=settings.base_url,
                api_key=api_key,
                temperature=settings.temperature,
                max_tokens=settings.max_tokens,
                timeout=settings.timeout_s if timeout_s is None else timeout_s,
                # The openai client retries timeouts, 429 and 5xx, and waits the server's
                # Retry-After (up to two minutes) before each retry of a 429.
                max_retries=settings.max_retries if max_retries is None else max_retries,
                streaming=True,
                stream_usage=False,
            )
        case other:
            raise ValueError(
                f"llm.provider: unknown provider {other!r} (valid: {', '.join(PROVIDERS)})"
            )


def failure_reason(provider: str, exc: BaseException) -> str:
    """Return why a call of the ``provider``'s chat model failed, in a word (never the key)."""
    match provider:
        case "openai":
            import openai

            if isinstance(exc, openai.APITimeoutError):
                return "timeout"
            if isinstance(exc, openai.APIConnectionError):
                return "unreachable"
            if isinstance(exc, openai.APIStatusError):
                return f"http_{exc.status_code}"
            if isinstance(exc, openai.APIResponseValidationError | ValueError | KeyError):
                return "malformed"
            # Anything else escaped from the HTTP layer mid-stream: a connection cut short.
            return "stream_cut"
        case _:
            return type(exc).__name__
