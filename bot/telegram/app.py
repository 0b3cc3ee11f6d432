"""The Telegram bot: built by :func:`build_application`, run by :func:`run` (polling or webhook)."""

from __future__ import annotations

import logging
import os
import re
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.answering.types import Answerer
from bot.config import AppSettings, ConfigError
from bot.records import Records
from bot.telegram import access, handlers
from bot.telegram.i18n import LANGUAGES, Language, text
from bot.telegram.keyboards import FEEDBACK_PATTERN, QUOTE_PATTERN, REMOVE_PATTERN
from bot.telegram.ratelimit import RetryingRateLimiter
from bot.telegram.redact import mask_secret
from bot.telegram.services import BotServices, Library, Uploads
from bot.telegram.settings import TelegramSettings

__all__ = [
    "BotApplication",
    "Library",
    "Uploads",
    "build_application",
    "read_token",
    "read_webhook_secret",
    "register_commands",
    "run",
    "webhook_options",
]

logger = logging.getLogger(__name__)

BotApplication = Application[Any, Any, Any, Any, Any, Any]

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
WEBHOOK_SECRET_ENV = "TELEGRAM_WEBHOOK_SECRET"
RECORDS_FILE = "records.sqlite3"
MENU_COMMANDS = ("start", "help", "ask", "sources", "reset", "lang")
RETRY_AFTER_RETRIES = 3  # 429 answers honoured (by waiting retry_after) before giving up

_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def read_token() -> str:
    """Return the bot token from TELEGRAM_BOT_TOKEN; raise ConfigError if missing or malformed."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise ConfigError(f"{TOKEN_ENV}: not set; export the token @BotFather gave you")
    if not _TOKEN.match(token):
        raise ConfigError(
            f"{TOKEN_ENV}: malformed; expected digits, a colon and at least 30 letters, digits,"
            " '_' or '-'"
        )
    return token


def read_webhook_secret() -> str:
    """Return the webhook secret from TELEGRAM_WEBHOOK_SECRET; raise ConfigError if unusable.

    It is required: without it anyone who learns the webhook URL could post forged updates,
    and the allow-lists trust the user id inside an update.
    """
    secret = os.environ.get(WEBHOOK_SECRET_ENV, "").strip()
    if not secret:
        raise ConfigError(f"{WEBHOOK_SECRET_ENV}: not set; webhook mode needs a secret token")
    if not _WEBHOOK_SECRET.match(secret):
        raise ConfigError(f"{WEBHOOK_SECRET_ENV}: use 1-256 letters, digits, '_' or '-'")
    return secret


def build_application(
    settings: AppSettings,
    answerer: Answerer,
    *,
    library: Library,
    token: str,
    records: Records | None = None,
    uploads: Uploads | None = None,
) -> BotApplication:
    """Build the whole bot: handlers, rate limiting, records, command menu; nothing runs yet.

    Without ``uploads``, documents sent to the bot are answered like any other non-text message.
    """
    mask_secret(token)
    telegram = settings.telegram
    if access.is_closed(telegram):
        logger.warning(
            "THE BOT IS CLOSED: telegram.allowed_user_ids and telegram.allowed_chat_ids are empty "
            "and telegram.open_to_all is false, so only admins (%d configured) will get answers",
            len(telegram.admin_user_ids),
        )
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(telegram.base_url)
        .base_file_url(telegram.base_file_url or _file_url(telegram.base_url))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(telegram.concurrent_updates)
        .rate_limiter(RetryingRateLimiter(max_retries=RETRY_AFTER_RETRIES))
        .post_init(register_commands)
    )
    if records is None:
        settings.store.path.mkdir(parents=True, exist_ok=True)
        records = Records(settings.store.path / RECORDS_FILE)
        owned = records

        async def close_records(_: BotApplication) -> None:
            owned.close()

        builder = builder.post_shutdown(close_records)
    application = builder.build()
    application.bot_data[handlers.SERVICES_KEY] = BotServices(
        settings=telegram, answerer=answerer, library=library, records=records,
        uploads=uploads, as_of=settings.answer.as_of,
    )
    _add_handlers(application)
    return application


def _add_handlers(application: BotApplication) -> None:
    new_message = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    commands = {
        "start": handlers.start,
        "help": handlers.help_command,
        "ask": handlers.ask,
        "sources": handlers.sources,
        "reset": handlers.reset,
        "lang": handlers.lang,
        "stats": handlers.stats,
        "reindex": handlers.reindex,
        "remove": handlers.remove,
    }
    for name, callback in commands.items():
        # Only new messages: an edited "/ask ..." must not be answered twice.
        application.add_handler(CommandHandler(name, callback, filters=new_message))
    text_question = new_message & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(text_question & private, handlers.private_text))
    application.add_handler(MessageHandler(text_question & groups, handlers.group_text))
    application.add_handler(
        MessageHandler(new_message & private & filters.COMMAND, handlers.unknown_command)
    )
    application.add_handler(
        MessageHandler(new_message & private & filters.Document.ALL, handlers.document)
    )
    application.add_handler(MessageHandler(new_message & private, handlers.not_text))
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & private, handlers.edited)
    )
    application.add_handler(CallbackQueryHandler(handlers.show_quote, pattern=QUOTE_PATTERN))
    application.add_handler(CallbackQueryHandler(handlers.record_vote, pattern=FEEDBACK_PATTERN))
    application.add_handler(
        CallbackQueryHandler(handlers.remove_document, pattern=REMOVE_PATTERN)
    )
    application.add_handler(CallbackQueryHandler(handlers.unknown_button))
    application.add_error_handler(handlers.on_error)


async def register_commands(application: BotApplication) -> None:
    """Publish the command menu in Vietnamese and English; a failure only costs the menu."""
    services = application.bot_data[handlers.SERVICES_KEY]
    menus: list[tuple[str | None, Language]] = [(code, code) for code in LANGUAGES]
    menus.append((None, services.settings.default_language))
    for language_code, language in menus:
        commands = [BotCommand(name, text(f"command_{name}", language)) for name in MENU_COMMANDS]
        try:
            await application.bot.set_my_commands(commands, language_code=language_code)
        except TelegramError as exc:
            logger.warning(
                "Could not register the command menu (%s): %s", language_code or "default", exc
            )


def webhook_options(telegram: TelegramSettings, secret_token: str) -> dict[str, Any]:
    """Return the arguments of ``run_webhook``/``start_webhook`` for these settings."""
    if not telegram.webhook_url:
        raise ConfigError("telegram.webhook_url: not set")
    return {
        "listen": telegram.listen,
        "port": telegram.port,
        "url_path": urlsplit(telegram.webhook_url).path.lstrip("/"),
        "webhook_url": telegram.webhook_url,
        "secret_token": secret_token,
    }


def run(
    settings: AppSettings,
    answerer: Answerer,
    library: Library,
    token: str,
    uploads: Uploads | None = None,
) -> None:
    """Run the bot until interrupted: long polling, or a webhook when one is configured."""
    telegram = settings.telegram
    secret = read_webhook_secret() if telegram.webhook_url else None
    for name in ("httpx", "httpcore"):
        # They log every request URL, and Bot API URLs contain the token.
        logging.getLogger(name).setLevel(logging.WARNING)
    application = build_application(
        settings, answerer, library=library, token=token, uploads=uploads
    )
    if secret is not None:
        mask_secret(secret)
        logger.info("Starting the bot with a webhook on %s:%d", telegram.listen, telegram.port)
        application.run_webhook(**webhook_options(telegram, secret))
    else:
        logger.info("Starting the bot with long polling")
        application.run_polling()


def _file_url(base_url: str) -> str:
    """Derive the Bot API file URL from the base URL (``.../bot`` → ``.../file/bot``)."""
    if base_url.endswith("/bot"):
        return base_url[: -len("/bot")] + "/file/bot"
    return "https://api.telegram.org/file/bot"
