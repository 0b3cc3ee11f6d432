"""The answering core shared by the command line and the Telegram bot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.types import Answer, Answerer, Citation, SourceGroup, Turn

if TYPE_CHECKING:
    from bot.config import AppSettings
    from bot.services import Services

__all__ = ["Answer", "Answerer", "Citation", "SourceGroup", "Turn", "build_answerer"]


def build_answerer(settings: AppSettings, services: Services | None = None) -> Answerer:
    """Return the answerer named by ``settings.answer.answerer``, with its parts loaded."""
    from bot.services import Services

    services = services or Services(settings)
    match settings.answer.answerer:
        case "extractive":
            from bot.answering.extractive import ExtractiveAnswerer

            return ExtractiveAnswerer(
                services.searcher, services.embedder, lambda: services.indexes, settings.answer
            )
        case "llm":
            from bot.answering.chat_models import build_chat_model
            from bot.answering.extractive import ExtractiveAnswerer
            from bot.answering.llm import LLMAnswerer
            from vectorstore.retriever import HybridRetriever

            llm = settings.llm
            return LLMAnswerer(
                ExtractiveAnswerer(
                    services.searcher, services.embedder, lambda: services.indexes, settings.answer
                ),
                HybridRetriever(searcher=services.searcher),
                services.embedder,
                build_chat_model(llm),
                llm,
                # The helper calls are cheap and optional: short timeout, no retries.
                helper_model=build_chat_model(llm, timeout_s=llm.helper_timeout_s, max_retries=0),
                max_sentences=settings.answer.max_sentences,
            )
        case other:
            raise ValueError(
                f"answer.answerer: unknown answerer {other!r} (valid: extractive, llm)"
            )
