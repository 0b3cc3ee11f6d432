"""What the handlers share: the answerer, the library, the records and the bot's own state."""

from __future__ import annotations

import asyncio
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from bot.answering.types import Answer, Answerer
from bot.records import Records
from bot.telegram.ratelimit import EditPacer, SlidingWindowLimiter
from bot.telegram.settings import TelegramSettings
from bot.uploads import IndexedUpload
from vectorstore.model import DocumentInfo


class Library(Protocol):
    """The indexed document collection, as the bot's /sources and /reindex see it."""

    def documents(self) -> list[DocumentInfo]:
        """List the indexed documents."""
        ...

    def reindex(self) -> str:
        """Run incremental ingestion and return a short human summary; may be slow or raise."""
        ...


class Uploads(Protocol):
    """The folder of documents admins add by sending them to the bot (see bot.uploads)."""

    def add(self, filename: str, data: bytes) -> IndexedUpload:
        """Check, save and index a file; raise UploadRefused saying why not. May be slow."""
        ...

    def uploaded(self) -> list[DocumentInfo]:
        """List the indexed documents that were uploaded."""
        ...

    def remove(self, doc_id: str) -> DocumentInfo | None:
        """Remove an uploaded document from the folder and the index; None if not uploaded."""
        ...


class AnswerCache:
    """Recent answers under short random keys, so buttons carry a key instead of a payload."""

    def __init__(self, capacity: int = 2048) -> None:
        self.capacity = capacity
        self._answers: OrderedDict[str, Answer] = OrderedDict()

    def put(self, answer: Answer) -> str:
        """Keep ``answer`` and return its new key (8 URL-safe characters)."""
        key = secrets.token_urlsafe(6)
        self.keep(key, answer)
        return key

    def keep(self, key: str, answer: Answer) -> None:
        """Keep ``answer`` under ``key``, forgetting the least recently used beyond capacity."""
        self._answers[key] = answer
        self._answers.move_to_end(key)
        if len(self._answers) > self.capacity:
            self._answers.popitem(last=False)

    def get(self, key: str) -> Answer | None:
        """Return the answer kept under ``key``, or None when it was evicted or never existed."""
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer


@dataclass
class BotServices:
    """Everything a handler needs beyond the update, kept in ``application.bot_data``."""

    settings: TelegramSettings
    answerer: Answerer
    library: Library
    records: Records
    uploads: Uploads | None = None  # None: documents sent to the bot are not accepted
    answers: AnswerCache = field(default_factory=AnswerCache)
    # Held by every ingestion started from Telegram (/reindex, an upload, a removal).
    reindexing: asyncio.Lock = field(default_factory=asyncio.Lock)
    as_of: date | None = None  # answer.as_of: the date document statuses are judged on
    edit_pacer: EditPacer = field(default_factory=EditPacer)  # streamed answers' edits
    limiter: SlidingWindowLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = SlidingWindowLimiter(self.settings.rate_limit_per_minute, 60.0)

    async def find_answer(self, key: str) -> Answer | None:
        """Return the answer behind a button: from memory, else from the records (restarts)."""
        answer = self.answers.get(key)
        if answer is None:
            answer = await asyncio.to_thread(self.records.find_answer, key)
            if answer is not None:
                self.answers.keep(key, answer)
        return answer
