"""Fixtures of the Telegram suite: a Bot API emulator on loopback and the real bot polling it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bot_runner import RunningBot
from botapi_emulator import BotApiEmulator
from corpus_answerer import FolderLibrary, RecordingAnswerer
from e2e_setup import make_settings, make_token

from bot.answering.types import Answerer
from bot.config import AppSettings
from bot.records import Records
from bot.telegram.app import Uploads, build_application


@pytest.fixture
def token() -> str:
    return make_token()


@pytest.fixture
def emulator(token: str) -> Iterator[BotApiEmulator]:
    emulator = BotApiEmulator(token)
    emulator.start()
    yield emulator
    emulator.stop()
    # Every test also checks that the bot never sent a request Telegram would reject.
    unexpected = [c for c in emulator.errors() if c.status not in emulator.expected_statuses]
    assert unexpected == [], f"the bot made requests the Bot API rejected: {unexpected}"


@pytest.fixture
def answerer(real_answerer: Answerer) -> RecordingAnswerer:
    """The real extractive answerer over both corpora; scenarios that need a controlled answer
    (slow, long, failing) start the bot with a CorpusAnswerer of their own."""
    return RecordingAnswerer(real_answerer)


class CountingLibrary:
    """The real services behind /sources and /reindex, counting the re-index runs."""

    def __init__(self, services: Any) -> None:
        self.services = services
        self.reindex_calls = 0

    def documents(self) -> list[Any]:
        return list(self.services.documents())

    def reindex(self) -> str:
        self.reindex_calls += 1
        return str(self.services.reindex())


@pytest.fixture
def library(indexed_services: Any) -> CountingLibrary:
    """/sources lists the really indexed documents; /reindex re-runs the real ingestion."""
    return CountingLibrary(indexed_services)


@pytest.fixture
def settings(tmp_path: Path, emulator: BotApiEmulator) -> AppSettings:
    return make_settings(tmp_path / "data", emulator.base_url)


@pytest.fixture
def start_bot(
    emulator: BotApiEmulator, settings: AppSettings, answerer: Answerer,
    library: FolderLibrary, token: str,
) -> Iterator[Callable[..., RunningBot]]:
    running: list[RunningBot] = []

    def start(
        *, settings: AppSettings = settings, answerer: Answerer = answerer,
        library: FolderLibrary = library, records: Records | None = None,
        webhook: dict[str, Any] | None = None, uploads: Uploads | None = None,
    ) -> RunningBot:
        application = build_application(
            settings, answerer, library=library, token=token, records=records, uploads=uploads
        )
        bot = RunningBot(application, webhook).start()
        running.append(bot)
        return bot

    yield start
    for bot in running:
        bot.stop()


@pytest.fixture
def bot(start_bot: Callable[..., RunningBot]) -> RunningBot:
    return start_bot()
