"""Run a python-telegram-bot Application (long polling or webhook) in a thread of its own.

It follows what ``Application.run_polling`` and ``run_webhook`` do (initialize, post_init, start
the updater, start; then stop and shut down in reverse), so tests and the benchmark run the bot
as it is served, while the test thread stays free to drive the emulator.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from botapi_emulator import SentMessage
from telegram.error import TelegramError
from telegram.ext import Application

from bot.answering.types import Answer
from bot.records import Records
from bot.telegram.handlers import SERVICES_KEY
from bot.telegram.keyboards import parse_button
from bot.telegram.services import BotServices

POLL_TIMEOUT_S = 5  # long polling: the emulator answers as soon as an update arrives


class RunningBot:
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        webhook: dict[str, Any] | None = None,
    ) -> None:
        self.application = application
        self.webhook = webhook  # start_webhook arguments; long polling when None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="bot")

    @property
    def services(self) -> BotServices:
        return self.application.bot_data[SERVICES_KEY]

    @property
    def records(self) -> Records:
        return self.services.records

    def answer_of(self, reply: SentMessage) -> Answer:
        """The Answer the bot rendered into ``reply``, found through the key in its buttons."""
        press = parse_button(reply.button("👍")["callback_data"])
        assert press is not None
        answer = self.services.answers.get(press.key)
        assert answer is not None
        return answer

    def start(self, timeout: float = 15.0) -> RunningBot:
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the bot did not start")
        if self._error is not None:
            raise self._error
        return self

    def stop(self, timeout: float = 30.0) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("the bot did not stop")
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # reported to the test thread
            self._error = error
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        application = self.application
        await application.initialize()
        try:
            if application.post_init:
                await application.post_init(application)
            assert application.updater is not None
            if self.webhook is None:

                def error_callback(error: TelegramError) -> None:
                    # As run_polling does: polling errors go to the application's error handler.
                    application.create_task(application.process_error(update=None, error=error))

                await application.updater.start_polling(
                    poll_interval=0.0, timeout=POLL_TIMEOUT_S, error_callback=error_callback
                )
            else:
                await application.updater.start_webhook(**self.webhook)
            await application.start()
            self._ready.set()
            await self._stop.wait()
            await application.updater.stop()
            await application.stop()
        finally:
            await application.shutdown()
            if application.post_shutdown:
                await application.post_shutdown(application)
