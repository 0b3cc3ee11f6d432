"""Keep secrets (the bot token, the webhook secret) out of every log record.

python-telegram-bot and httpx log request URLs, which contain the token, at INFO and DEBUG level.
A filter on a logger would miss records of its child loggers and of handlers added later, so the
secrets are masked where every record is made: in the logging record factory.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

MASK = "[REDACTED]"

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def mask_secret(secret: str) -> None:
    """Mask ``secret`` in every log record created from now on, in this process."""
    global _installed
    with _lock:
        _secrets.add(secret)
        if not _installed:
            _install_factory()
            _installed = True


def redact(value: str) -> str:
    """Return ``value`` with every registered secret replaced by a mask."""
    for secret in tuple(_secrets):
        value = value.replace(secret, MASK)
    return value


def _contains_secret(value: str) -> bool:
    return any(secret in value for secret in tuple(_secrets))


def _install_factory() -> None:
    make_record = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _scrub(record)
        return record

    logging.setLogRecordFactory(factory)


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        return  # a malformed record; logging reports it when a handler formats it
    if _contains_secret(message):
        record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[1] is not None:
        # Exception texts can carry URLs too; format the traceback once, masked, for handlers.
        formatted = logging.Formatter().formatException(record.exc_info)
        if _contains_secret(formatted):
            record.exc_text = redact(formatted)
    if record.stack_info and _contains_secret(record.stack_info):
        record.stack_info = redact(record.stack_info)
