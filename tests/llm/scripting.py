"""Helpers for scripting the OpenAI emulator against the real index: the generative answerer
pointed at a server, what it sent, and replies that cite the passage holding a phrase."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.answering import build_answerer
from bot.answering.llm_settings import LLMSettings
from tests.llm.openai_emulator import Reply

QUESTION = "When was Resolution 25-NQ/TW adopted?"
FACT = "3 June 2013"
GOOD = (
    "Resolution 25-NQ/TW was adopted on 3 June 2013 by the 7th plenum of the 11th Party "
    "Central Committee [{n}]."
)


def answerer_for(services: Any, base_url: str, **llm: Any) -> Any:
    """The generative answerer over ``services``' index, with its model at ``base_url``."""
    values: dict[str, Any] = {"base_url": base_url, "model": "emulated", "timeout_s": 5,
                              "max_retries": 1, "translate_queries": False}
    values.update(llm)
    settings = services.settings.model_copy(
        update={
            "answer": services.settings.answer.model_copy(update={"answerer": "llm"}),
            "llm": LLMSettings(**values),
        }
    )
    return build_answerer(settings, services)


def human_message(body: dict[str, Any]) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


def system_message(body: dict[str, Any]) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "system")


def passage_number(body: dict[str, Any], phrase: str) -> int:
    """Return the marker of the passage given to the model that contains ``phrase``."""
    blocks = re.split(r"\n\n(?=\[\d+\] )", human_message(body).split("Passages:\n\n", 1)[1])
    for block in blocks:
        if phrase in block:
            return int(block[1 : block.index("]")])
    raise AssertionError(f"no passage given to the model contains {phrase!r}")


def reply_with(template: str, phrase: str = FACT, **reply: Any) -> Callable[[Any], Reply]:
    """Reply with ``template``, its ``{n}`` the marker of the passage holding ``phrase``."""
    return lambda body: Reply(template.format(n=passage_number(body, phrase)), **reply)
