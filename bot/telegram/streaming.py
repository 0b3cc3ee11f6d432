"""One answer shown while it is being made: a first message at once, then paced edits.

The answerer reports the verified text so far from its worker thread; the message is edited to
the latest of it at most once per second per chat (Telegram's pace for one chat), never with
unchanged text (Telegram rejects "message is not modified"), and finally to the whole answer
with its Sources block and buttons. Only the answerer decides what text is verified: this module
shows what it is given, nothing else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Message
from telegram.error import TelegramError

from bot.telegram.ratelimit import EditPacer
from bot.telegram.render import render_partial

logger = logging.getLogger(__name__)


class StreamedReply:
    """The bot's message for one question, edited as the verified answer grows."""

    def __init__(self, message: Message, pacer: EditPacer) -> None:
        self.message = message
        self.pacer = pacer
        self._shown: str | None = None
        self._latest: str | None = None
        self._final: tuple[list[str], InlineKeyboardMarkup | None] | None = None
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run())

    def offer(self, answer_text: str) -> None:
        """Take the verified answer text so far (on the event loop's thread)."""
        self._latest = answer_text
        self._wake.set()

    async def finish(self, parts: Sequence[str], markup: InlineKeyboardMarkup | None) -> None:
        """Replace the message by the final answer; parts beyond the first are sent after it."""
        self._final = (list(parts), markup)
        self._wake.set()
        await self._task

    def cancel(self) -> None:
        """Stop editing (the question was abandoned); a no-op once the answer is shown."""
        self._task.cancel()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            async with self.pacer.turn(self.message.chat_id):
                # Whatever arrived while waiting for the turn is shown at once: the freshest
                # text, or the final answer, which makes any partial text moot.
                self._wake.clear()
                if self._final is not None:
                    await self._edit_final(*self._final)
                    return
                if self._latest is not None:
                    await self._edit(render_partial(self._latest))

    async def _edit(self, html_text: str) -> None:
        if html_text == self._shown:
            return
        try:
            await self.message.edit_text(html_text)
        except TelegramError as exc:  # the final edit will try again, or send anew
            logger.debug("Progress edit in chat %s failed: %s", self.message.chat_id, exc)
            return
        self._shown = html_text

    async def _edit_final(self, parts: list[str], markup: InlineKeyboardMarkup | None) -> None:
        first, rest = parts[0], parts[1:]
        first_markup = None if rest else markup
        try:
            if first != self._shown or first_markup is not None:
                await self.message.edit_text(first, reply_markup=first_markup)
        except TelegramError as exc:
            # The message may have been deleted meanwhile: the answer must still arrive.
            logger.warning("Final edit in chat %s failed (%s); sending anew",
                           self.message.chat_id, exc)
            rest = parts
        for index, part in enumerate(rest):
            last = index == len(rest) - 1
            await self.message.reply_text(
                part, do_quote=False, allow_sending_without_reply=True,
                reply_markup=markup if last else None,
            )
