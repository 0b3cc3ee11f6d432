"""Inline buttons under an answer, and the short callback data they carry.

Telegram limits ``callback_data`` to 64 bytes, so a button carries a key to the answer kept by
the bot (``q:<key>:<n>`` for a quote, ``f:<key>:u|d`` for feedback), never the answer itself;
a button of /remove carries the document id (``rm:<doc_id>``), never its file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answering.types import Answer
from bot.records import Vote
from vectorstore.model import DocumentInfo

QUOTE_PATTERN = r"^q:"
FEEDBACK_PATTERN = r"^f:"
REMOVE_PATTERN = r"^rm:"
BUTTONS_PER_ROW = 8  # Telegram's maximum for an inline keyboard row
MAX_QUOTE_BUTTONS = 96  # an inline keyboard holds 100 buttons; two are for feedback
MAX_REMOVE_BUTTONS = 100  # all an inline keyboard holds
REMOVE_LABEL_CHARS = 48

_CALLBACK = re.compile(r"^(?P<kind>[qf]):(?P<key>[A-Za-z0-9_-]{1,16}):(?P<arg>\d{1,4}|u|d)$")
_VOTES: dict[str, Vote] = {"u": "up", "d": "down"}
_REMOVE = re.compile(r"^rm:(?P<doc_id>[A-Za-z0-9_-]{1,60})$")


@dataclass(frozen=True)
class ButtonPress:
    """A decoded callback: which answer, and which citation or vote."""

    kind: Literal["quote", "feedback"]
    key: str
    n: int = 0
    vote: Vote = "up"


def answer_keyboard(key: str, answer: Answer) -> InlineKeyboardMarkup:
    """Build the ``[1] [2] ...`` quote buttons and the 👍 👎 feedback buttons of an answer."""
    quotes = [
        InlineKeyboardButton(f"[{citation.n}]", callback_data=f"q:{key}:{citation.n}")
        for citation in answer.citations[:MAX_QUOTE_BUTTONS]
    ]
    rows = [quotes[i : i + BUTTONS_PER_ROW] for i in range(0, len(quotes), BUTTONS_PER_ROW)]
    rows.append(
        [
            InlineKeyboardButton("👍", callback_data=f"f:{key}:u"),
            InlineKeyboardButton("👎", callback_data=f"f:{key}:d"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def parse_button(data: str | None) -> ButtonPress | None:
    """Decode callback data made by :func:`answer_keyboard`; None for anything else."""
    match = _CALLBACK.match(data or "")
    if match is None:
        return None
    kind, key, arg = match.group("kind", "key", "arg")
    if kind == "q" and arg.isdigit():
        return ButtonPress("quote", key, n=int(arg))
    if kind == "f" and arg in _VOTES:
        return ButtonPress("feedback", key, vote=_VOTES[arg])
    return None


def removal_keyboard(documents: list[DocumentInfo]) -> InlineKeyboardMarkup:
    """Build one ``n. title`` button per uploaded document (at most 100), one per row."""
    rows = []
    for number, document in enumerate(documents[:MAX_REMOVE_BUTTONS], start=1):
        title = document.title or document.source.rsplit("/", 1)[-1]
        if len(title) > REMOVE_LABEL_CHARS:
            title = title[: REMOVE_LABEL_CHARS - 1].rstrip() + "…"
        rows.append(
            [InlineKeyboardButton(f"{number}. {title}", callback_data=f"rm:{document.doc_id}")]
        )
    return InlineKeyboardMarkup(rows)


def parse_removal(data: str | None) -> str | None:
    """Return the document id of a /remove button, or None for anything else."""
    match = _REMOVE.match(data or "")
    return match.group("doc_id") if match else None
