"""Limits: a per-user sliding window for questions, and Bot API calls that survive hiccups."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

logger = logging.getLogger(__name__)

_Result = bool | dict[str, Any] | list[dict[str, Any]]  # what a Bot API call returns


class SlidingWindowLimiter:
    """At most ``limit`` events per key in any window of ``window_s`` seconds."""

    def __init__(self, limit: int, window_s: float = 60.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._events: dict[int, deque[float]] = {}
        self._last_sweep = 0.0

    def acquire(self, key: int, now: float) -> float:
        """Count one event for ``key`` if allowed and return 0, else the seconds until allowed."""
        self._sweep(now)
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window_s:
            events.popleft()
        if len(events) >= self.limit:
            return events[0] + self.window_s - now
        events.append(now)
        return 0.0

    def _sweep(self, now: float) -> None:
        """Forget keys idle for a whole window, so memory stays bounded by recent users."""
        if now - self._last_sweep < self.window_s:
            return
        self._last_sweep = now
        for key in [k for k, events in self._events.items() if events[-1] <= now - self.window_s]:
            del self._events[key]


class EditPacer:
    """At most one message edit per ``interval_s`` in each chat, the edits taking turns.

    An edit starts ``interval_s`` after the previous edit in the same chat was answered, so
    Telegram receives them at least that far apart however long each request takes.
    """

    def __init__(self, interval_s: float = 1.0) -> None:
        self.interval_s = interval_s
        self._locks: dict[int, asyncio.Lock] = {}
        self._last: dict[int, float] = {}

    @contextlib.asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        """Wait for the chat's next edit slot; the body makes the edit."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            wait_s = self._last.get(chat_id, -self.interval_s) + self.interval_s - time.monotonic()
            if wait_s > 0:
                await asyncio.sleep(wait_s)
            try:
                yield
            finally:
                self._last[chat_id] = time.monotonic()
                self._forget_idle(chat_id)

    def _forget_idle(self, current: int) -> None:
        """Drop chats whose last edit is past its interval, so memory stays bounded."""
        horizon = time.monotonic() - self.interval_s
        for chat_id in [c for c, at in self._last.items() if at < horizon and c != current]:
            if not self._locks[chat_id].locked():
                del self._last[chat_id], self._locks[chat_id]


class RetryingRateLimiter(AIORateLimiter):
    """python-telegram-bot's AIORateLimiter that also retries transient network failures.

    AIORateLimiter keeps within Telegram's flood limits and honours ``RetryAfter`` (429). On top of
    that, timeouts, 5xx answers and refused or dropped connections (a Bot API server restarting)
    are retried with exponential backoff. Bad requests are never retried: they would fail again.
    """

    def __init__(
        self, *, network_retries: int = 4, backoff_s: float = 0.5, **limits: Any
    ) -> None:
        super().__init__(**limits)
        self._network_retries = network_retries
        self._backoff_s = backoff_s

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, _Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> _Result:
        """Run one Bot API request through the rate limiter, retrying network failures."""
        attempt = 0
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except NetworkError as exc:  # also TimedOut, 5xx and lost connections
                if attempt >= self._network_retries:
                    raise
                delay = self._backoff_s * 2**attempt
                attempt += 1
                logger.warning(
                    "Bot API %s failed (%s); retry %d of %d in %.1f s",
                    endpoint, exc, attempt, self._network_retries, delay,
                )
                await asyncio.sleep(delay)
