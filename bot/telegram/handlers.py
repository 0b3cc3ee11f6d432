"""The bot's handlers: commands, questions, buttons, other input, and errors."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import cast

from telegram import (
    Document,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.answering.types import Answer, StreamingAnswerer, Turn
from bot.telegram import access
from bot.telegram.i18n import Language, language_from_code, parse_language, text
from bot.telegram.keyboards import (
    MAX_REMOVE_BUTTONS,
    ButtonPress,
    answer_keyboard,
    parse_button,
    parse_removal,
    removal_keyboard,
)
from bot.telegram.render import (
    render_answer,
    render_documents,
    render_quote,
    render_refusal,
    render_stats,
    render_upload,
    render_uploads,
    split_html,
)
from bot.telegram.services import BotServices
from bot.telegram.streaming import StreamedReply
from bot.uploads import UploadRefused, safe_name

logger = logging.getLogger(__name__)

SERVICES_KEY = "services"
TYPING_DELAY_S = 0.5  # answers ready sooner are sent without a typing indicator
TYPING_REFRESH_S = 4.0  # Telegram shows "typing…" for 5 s after each chat action
TYPING_GRACE_S = 1.0  # longest wait for a chat action still on its way when the answer is ready
# Bots may download files of up to 20 MB (the Bot API's getFile limit, 20 << 20 bytes).
DOWNLOAD_LIMIT_BYTES = 20 * 2**20

Context = ContextTypes.DEFAULT_TYPE


async def start(update: Update, context: Context) -> None:
    """Greet the user and say what the bot does."""
    if await _admitted(update, context):
        await _reply(update, text("welcome", _language(update, context)))


async def help_command(update: Update, context: Context) -> None:
    """Show example questions and the commands."""
    if await _admitted(update, context):
        username = html.escape(context.bot.username)
        language = _language(update, context)
        reply = text("help", language, username=username)
        user = update.effective_user
        if user is not None and access.is_admin(_services(context).settings, user.id):
            reply += text("help_admin", language)
        await _reply(update, reply)


async def ask(update: Update, context: Context) -> None:
    """Answer the question after /ask (also /ask@botname in groups)."""
    message = update.effective_message
    if message is None or not await _admitted(update, context):
        return
    parts = (message.text or "").split(maxsplit=1)
    await _answer(update, context, parts[1] if len(parts) > 1 else "")


async def private_text(update: Update, context: Context) -> None:
    """Answer any text in a private chat as a question."""
    message = update.effective_message
    if message is not None and await _admitted(update, context):
        await _answer(update, context, message.text or "")


async def group_text(update: Update, context: Context) -> None:
    """Answer a group message that mentions the bot or replies to it; ignore everything else."""
    message = update.effective_message
    if message is None:
        return
    question = addressed_question(message, context.bot.id, context.bot.username)
    if question is not None and await _admitted(update, context):
        await _answer(update, context, question)


async def sources(update: Update, context: Context) -> None:
    """List the indexed documents."""
    if not await _admitted(update, context):
        return
    documents = await asyncio.to_thread(_services(context).library.documents)
    as_of = _services(context).as_of
    for part in render_documents(documents, _language(update, context), as_of):
        await _reply(update, part)


async def reset(update: Update, context: Context) -> None:
    """Forget the conversation of this chat."""
    if await _admitted(update, context):
        _history(context).clear()
        await _reply(update, text("reset_done", _language(update, context)))


async def lang(update: Update, context: Context) -> None:
    """Set the language of the bot's own texts in this chat: /lang vi or /lang en."""
    if not await _admitted(update, context):
        return
    chosen = parse_language(context.args[0]) if context.args else None
    if chosen is None or context.chat_data is None:
        await _reply(update, text("lang_usage", _language(update, context)))
        return
    context.chat_data["language"] = chosen
    await _reply(update, text("lang_set", chosen))


async def stats(update: Update, context: Context) -> None:
    """Show today's questions, refusal rate, median answer time and feedback (admins only)."""
    if not await _admitted_admin(update, context):
        return
    figures = await asyncio.to_thread(_services(context).records.stats, datetime.now().astimezone())
    await _reply(update, render_stats(figures, _language(update, context)))


async def reindex(update: Update, context: Context) -> None:
    """Re-run incremental ingestion and report its summary (admins only)."""
    if not await _admitted_admin(update, context):
        return
    services = _services(context)
    language = _language(update, context)
    if services.reindexing.locked():
        await _reply(update, text("reindex_busy", language))
        return
    async with services.reindexing:
        await _reply(update, text("reindex_started", language))
        try:
            summary = await asyncio.to_thread(services.library.reindex)
        except Exception as exc:  # the library may fail in many ways; the admin must hear of it
            logger.exception("Re-indexing requested from Telegram failed")
            await _reply(update, text("reindex_failed", language, error=type(exc).__name__))
            return
    await _reply(update, text("reindex_done", language, summary=html.escape(summary)))


async def document(update: Update, context: Context) -> None:
    """Add a document an admin sends in a private chat; ask anyone else for text."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or message.document is None or chat is None or user is None:
        return
    if not await _admitted(update, context):
        return
    services = _services(context)
    language = _language(update, context)
    uploads = services.uploads
    if uploads is None or not access.is_admin(services.settings, user.id):
        await _reply(update, text("text_only", language))
        return
    sent = message.document
    try:
        name = safe_name(sent.file_name or "")
        # Checked before downloading: getFile refuses bigger files anyway, and a download
        # that cannot succeed should not hold the ingestion lock.
        if sent.file_size is not None and sent.file_size > DOWNLOAD_LIMIT_BYTES:
            raise _too_big(name)
        async with _typing(context, chat.id), services.reindexing:
            data = await _download(sent, name)
            added = await asyncio.to_thread(uploads.add, name, data)
    except UploadRefused as refusal:
        logger.info("Upload of %r refused: %s", sent.file_name, refusal.reason)
        await _reply(update, render_refusal(refusal, language))
        return
    except Exception as exc:  # a store or disk failure: the admin must hear of it
        logger.exception("Adding a document sent from Telegram failed")
        await _reply(update, text("upload_failed", language, error=type(exc).__name__))
        return
    logger.info(
        "Indexed an uploaded document as %s (%d chunks)", added.name, added.document.chunk_count
    )
    await _reply(update, render_upload(added, language), quote=True)


async def remove(update: Update, context: Context) -> None:
    """List the uploaded documents with a button each, to remove one (admins only)."""
    if not await _admitted_admin(update, context):
        return
    services = _services(context)
    language = _language(update, context)
    uploaded = (
        [] if services.uploads is None else await asyncio.to_thread(services.uploads.uploaded)
    )[:MAX_REMOVE_BUTTONS]
    if not uploaded:
        await _reply(update, text("remove_none", language))
        return
    await _reply(update, render_uploads(uploaded, language), markup=removal_keyboard(uploaded))


async def remove_document(update: Update, context: Context) -> None:
    """Remove the uploaded document chosen under /remove from the folder and the index."""
    query = update.callback_query
    if query is None or query.message is None or not await _button_admitted(update, context):
        return
    services = _services(context)
    language = _language(update, context)
    doc_id = parse_removal(query.data)
    if not access.is_admin(services.settings, query.from_user.id):
        await query.answer(text("admin_only", language), show_alert=True)
        return
    if doc_id is None or services.uploads is None:
        await query.answer(text("remove_gone", language), show_alert=True)
        return
    # Answered before the removal, which re-indexes and can outlast the client's patience.
    await query.answer()
    chat_id = query.message.chat.id
    try:
        async with _typing(context, chat_id), services.reindexing:
            removed = await asyncio.to_thread(services.uploads.remove, doc_id)
    except Exception as exc:  # the query is answered already: the admin hears of it in the chat
        logger.exception("Removing an uploaded document failed")
        await context.bot.send_message(
            chat_id, text("remove_failed", language, error=type(exc).__name__)
        )
        return
    if removed is None:
        await context.bot.send_message(chat_id, text("remove_gone", language))
        return
    logger.info("Removed the uploaded document %s", removed.doc_id)
    name = removed.source.rsplit("/", 1)[-1]
    await context.bot.send_message(chat_id, text(
        "remove_done", language, title=html.escape(removed.title or name),
        name=html.escape(name), chunks=removed.chunk_count,
    ))
    # The list is out of date now: take its buttons away rather than leave stale ones.
    with contextlib.suppress(TelegramError):
        await query.edit_message_reply_markup(None)


async def unknown_command(update: Update, context: Context) -> None:
    """Point to /help when a private chat sends a command the bot does not know."""
    if await _admitted(update, context):
        await _reply(update, text("unknown_command", _language(update, context)))


async def not_text(update: Update, context: Context) -> None:
    """Ask for text when a private chat sends a sticker, photo, voice, file or the like."""
    if await _admitted(update, context):
        await _reply(update, text("text_only", _language(update, context)))


async def edited(update: Update, context: Context) -> None:
    """Ask for a new message when a question is edited in a private chat."""
    if await _admitted(update, context):
        await _reply(update, text("edited", _language(update, context)))


async def show_quote(update: Update, context: Context) -> None:
    """Reveal the verbatim passage behind one ``[n]`` marker, as a reply to the answer."""
    query = update.callback_query
    if query is None or not await _button_admitted(update, context):
        return
    language = _language(update, context)
    pressed = await _pressed(query.data, context)
    citation = None
    if pressed is not None:
        press, answer = pressed
        citation = next((c for c in answer.citations if c.n == press.n), None)
    if citation is None or query.message is None:
        # The callback must be answered even when the answer is gone (evicted, or from a
        # database that was reset), or the user's client keeps showing a spinner.
        await query.answer(text("quote_unavailable", language), show_alert=True)
        return
    await query.answer()
    reply_to = ReplyParameters(query.message.message_id, allow_sending_without_reply=True)
    for part in render_quote(citation, language):
        await context.bot.send_message(query.message.chat.id, part, reply_parameters=reply_to)


async def record_vote(update: Update, context: Context) -> None:
    """Store a 👍 or 👎 on an answer."""
    query = update.callback_query
    if query is None or not await _button_admitted(update, context):
        return
    language = _language(update, context)
    pressed = await _pressed(query.data, context)
    if pressed is None or query.message is None:
        await query.answer(text("quote_unavailable", language), show_alert=True)
        return
    press, answer = pressed
    await asyncio.to_thread(
        _services(context).records.record_feedback,
        answer_key=press.key,
        answer=answer,
        vote=press.vote,
        chat_id=query.message.chat.id,
        user_id=query.from_user.id,
    )
    await query.answer(text("feedback_thanks", language))


async def unknown_button(update: Update, context: Context) -> None:
    """Answer a button press this bot cannot decode (e.g. from an older version)."""
    if update.callback_query is not None:
        await update.callback_query.answer(
            text("quote_unavailable", _language(update, context)), show_alert=True
        )


async def on_error(update: object, context: Context) -> None:
    """Log the failure and apologise in the chat where it happened; the bot keeps running."""
    error = context.error
    if update is None and isinstance(error, NetworkError):
        # Polling failed to reach the Bot API; python-telegram-bot retries with backoff.
        logger.warning("Bot API unreachable while polling: %s", error)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("Handling update %s failed", update_id, exc_info=error)
    if not isinstance(update, Update):
        return
    language = _language(update, context)
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            # Answer the query too, in case the failure came before the handler answered it.
            await update.callback_query.answer(text("error", language), show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text("error", language))


def _too_big(name: str) -> UploadRefused:
    return UploadRefused("too_big", name=name, limit=str(DOWNLOAD_LIMIT_BYTES // 2**20))


async def _download(sent: Document, name: str) -> bytes:
    """Fetch a sent file from the Bot API (getFile, then its file URL)."""
    try:
        file = await sent.get_file()
    except BadRequest as exc:
        # The file_size in a message is optional; getFile is what enforces the limit.
        if "file is too big" in exc.message.lower():
            raise _too_big(name) from exc
        raise
    return bytes(await file.download_as_bytearray())


def addressed_question(message: Message, bot_id: int, bot_username: str) -> str | None:
    """Return the question of a group message addressed to the bot, or None if not addressed.

    A message is addressed to the bot when it mentions it (``@botname``, or a text mention of
    the bot's user) or replies to one of its messages. Mentions of the bot are removed from the
    question; offsets are in UTF-16 code units, as Telegram counts them.
    """
    mentions = [
        entity
        for entity, value in message.parse_entities(
            [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        ).items()
        if (entity.type == MessageEntity.MENTION and value.lower() == f"@{bot_username.lower()}")
        or (entity.user is not None and entity.user.id == bot_id)
    ]
    replied = message.reply_to_message
    replies_to_bot = replied is not None and replied.from_user is not None and (
        replied.from_user.id == bot_id
    )
    if not mentions and not replies_to_bot:
        return None
    encoded = (message.text or "").encode("utf-16-le")
    for entity in sorted(mentions, key=lambda e: e.offset, reverse=True):
        encoded = encoded[: entity.offset * 2] + encoded[(entity.offset + entity.length) * 2 :]
    return " ".join(encoded.decode("utf-16-le").split())


async def _answer(update: Update, context: Context, question: str) -> None:
    """Answer one question off the event loop, reply with sources and buttons, log it."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    services = _services(context)
    language = _language(update, context)
    question = question.strip()
    if not question:
        await _reply(update, text("empty_question", language))
        return
    wait_s = services.limiter.acquire(user.id, time.monotonic())
    if wait_s:
        await _reply(update, text("rate_limited", language, seconds=math.ceil(wait_s)))
        return
    started = time.perf_counter()
    history = tuple(_history(context))
    if isinstance(services.answerer, StreamingAnswerer):
        await _answer_streaming(update, context, services.answerer, question, history, started)
        return
    async with _typing(context, chat.id):
        # The answerer is blocking and CPU-bound: run it in a worker thread so that other
        # chats keep being served while it works.
        answer = await asyncio.to_thread(services.answerer.answer, question, history)
    key = await _keep(update, context, question, answer, started)
    await _reply(
        update, render_answer(answer, language), markup=answer_keyboard(key, answer), quote=True
    )


async def _answer_streaming(
    update: Update,
    context: Context,
    answerer: StreamingAnswerer,
    question: str,
    history: tuple[Turn, ...],
    started: float,
) -> None:
    """Answer with a message sent at once and edited as verified sentences arrive."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    services = _services(context)
    language = _language(update, context)
    # Sent before any work, so the asker sees within a second that the question was taken.
    placeholder = await message.reply_text(
        text("searching", language), do_quote=True, allow_sending_without_reply=True
    )
    streamed = StreamedReply(placeholder, services.edit_pacer)
    loop = asyncio.get_running_loop()

    def on_text(answer_text: str) -> None:
        # Called from the answerer's worker thread; the reply lives on the event loop.
        loop.call_soon_threadsafe(streamed.offer, answer_text)

    try:
        try:
            answer = await asyncio.to_thread(
                answerer.answer_streaming, question, history, on_text
            )
        except Exception:
            # The placeholder must not keep saying "searching" after a failure.
            logger.exception("Answering a question in chat %s failed", chat.id)
            await streamed.finish([text("error", language)], None)
            return
        key = await _keep(update, context, question, answer, started)
        await streamed.finish(render_answer(answer, language), answer_keyboard(key, answer))
    finally:
        streamed.cancel()


async def _keep(
    update: Update, context: Context, question: str, answer: Answer, started: float
) -> str:
    """Remember the answer for its buttons and the history, log it; return its key."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    assert message is not None and chat is not None and user is not None
    services = _services(context)
    latency_ms = (time.perf_counter() - started) * 1000
    key = services.answers.put(answer)
    _history(context).append(Turn(question, answer))
    # Logged before sending, so that the buttons work even if the bot restarts right after.
    await asyncio.to_thread(
        services.records.log_query, chat.id, user.id, question, answer, latency_ms, answer_key=key
    )
    return key


@contextlib.asynccontextmanager
async def _typing(context: Context, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat while the body runs, unless it is over within a moment."""
    done = asyncio.Event()

    async def finished_within(seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), seconds)
        return done.is_set()

    async def keep_typing() -> None:
        # A quick answer needs no indicator, and skipping it saves a request under Telegram's
        # global limit of about 30 per second, which caps how many answers the bot can send.
        wait_s = TYPING_DELAY_S
        while not await finished_within(wait_s):
            try:
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:
                logger.debug("Typing indicator failed: %s", exc)
            wait_s = TYPING_REFRESH_S

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        done.set()
        # Let a chat action already on its way arrive before the reply (one arriving after it
        # would show "typing…" for five more seconds), but never hold the reply for long: a
        # chat action being retried against an unreachable server is cancelled.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(task, TYPING_GRACE_S)


async def _reply(
    update: Update,
    html_text: str | Sequence[str],
    *,
    markup: InlineKeyboardMarkup | None = None,
    quote: bool = False,
) -> None:
    """Send HTML messages in reply; the first may quote the update, the last gets ``markup``."""
    message = update.effective_message
    if message is None:
        return
    parts = split_html(html_text) if isinstance(html_text, str) else list(html_text)
    for index, part in enumerate(parts):
        first, last = index == 0, index == len(parts) - 1
        await message.reply_text(
            part,
            # None lets python-telegram-bot quote in groups only; answers always quote.
            do_quote=(True if quote else None) if first else False,
            allow_sending_without_reply=True,
            reply_markup=markup if last else None,
        )


async def _admitted(update: Update, context: Context) -> bool:
    """Return whether the user may use the bot here; refuse politely (with their id) if not."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return False
    settings = _services(context).settings
    if access.is_allowed(settings, user_id=user.id, chat_id=chat.id, chat_type=chat.type):
        return True
    logger.info("Refused user %s in chat %s (%s): not allowed", user.id, chat.id, chat.type)
    # Refusals count against the rate limit too, so nobody can make the bot spam a chat.
    if _services(context).limiter.acquire(user.id, time.monotonic()) == 0:
        await _reply(update, text("not_allowed", _language(update, context), user_id=user.id))
    return False


async def _admitted_admin(update: Update, context: Context) -> bool:
    """Return whether the user is an admin; refuse politely if not."""
    if not await _admitted(update, context):
        return False
    user = update.effective_user
    if user is not None and access.is_admin(_services(context).settings, user.id):
        return True
    await _reply(update, text("admin_only", _language(update, context)))
    return False


async def _button_admitted(update: Update, context: Context) -> bool:
    """Return whether the presser may use the bot in this chat; answer with an alert if not."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None:
        return False
    settings = _services(context).settings
    user_id = query.from_user.id
    if access.is_allowed(settings, user_id=user_id, chat_id=chat.id, chat_type=chat.type):
        return True
    language = _language(update, context)
    await query.answer(text("not_allowed_alert", language, user_id=user_id), show_alert=True)
    return False


async def _pressed(data: str | None, context: Context) -> tuple[ButtonPress, Answer] | None:
    """Decode a button press and find the answer it belongs to; None if either is gone."""
    press = parse_button(data)
    if press is None:
        return None
    answer = await _services(context).find_answer(press.key)
    return None if answer is None else (press, answer)


def _language(update: Update, context: Context) -> Language:
    """Pick the language: /lang of this chat, else the user's Telegram language, else default."""
    chosen = context.chat_data.get("language") if context.chat_data is not None else None
    if chosen is not None:
        return cast(Language, chosen)
    user = update.effective_user
    default = _services(context).settings.default_language
    return language_from_code(user.language_code if user else None, default)


def _history(context: Context) -> deque[Turn]:
    """Return this chat's recent turns, oldest first (kept in python-telegram-bot's chat_data)."""
    if context.chat_data is None:
        return deque(maxlen=0)
    maxlen = _services(context).settings.history_turns
    history = context.chat_data.get("history")
    if history is None:
        history = context.chat_data["history"] = deque(maxlen=maxlen)
    return cast(deque[Turn], history)


def _services(context: Context) -> BotServices:
    return cast(BotServices, context.bot_data[SERVICES_KEY])

