"""End to end: the real bot, long polling over real HTTP, against the Bot API emulator."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bot_runner import RunningBot
from botapi_emulator import BotApiEmulator, Chat, SentMessage, User, post_update
from corpus_answerer import CorpusAnswerer, Document, FolderLibrary, RecordingAnswerer, Topic
from e2e_setup import ADMIN, ALICE, BINH, GROUP, OTHER_GROUP, STRANGER, make_settings
from telegram.error import InvalidToken

from bot.answering.types import Answer, Turn
from bot.config import AppSettings
from bot.records import Records
from bot.telegram.app import build_application, webhook_options
from bot.telegram.redact import MASK

pytestmark = pytest.mark.telegram

BOT_MENTION = "@policy_test_bot"


def exchange(
    emulator: BotApiEmulator,
    user: User,
    text: str,
    *,
    chat: Chat | None = None,
    expect: int = 1,
    reply_to: int | None = None,
    timeout: float = 10.0,
) -> list[SentMessage]:
    """Send a message and return the ``expect`` messages the bot sends to that chat next."""
    chat_id = (chat or Chat.private(user)).id
    before = len(emulator.bot_messages(chat_id))
    emulator.send_text(user, text, chat=chat, reply_to=reply_to)
    return emulator.wait_messages(chat_id, before + expect, timeout)[before:]


def press(emulator: BotApiEmulator, user: User, message: SentMessage, data: str) -> dict:
    """Press a button and return how the bot answered the callback query."""
    query_id = emulator.press(user, message, data)
    return emulator.wait_for(
        lambda: emulator.callback_answers.get(query_id), what=f"an answer to callback {data}"
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def settle(emulator: BotApiEmulator, user: User = ALICE) -> None:
    """Make sure earlier updates were handled: a private /help round trip comes after them."""
    exchange(emulator, user, "/help")


def test_private_question_is_answered_with_markers_sources_and_quote_buttons(
    emulator: BotApiEmulator, bot: RunningBot
) -> None:
    question = emulator.send_text(ALICE, "When was Resolution 25-NQ/TW issued?")

    [reply] = emulator.wait_messages(ALICE.id, 1)
    answer = bot.answer_of(reply)

    assert not answer.refused and "2013" in reply.text
    assert flat(reply.text).startswith(flat(answer.text))
    numbers = [f"[{c.n}]" for c in answer.citations]
    assert reply.entity_texts("bold")[: len(numbers)] == numbers
    sources = reply.text[reply.text.index("\nSources\n") :]
    for group in answer.sources():
        assert "".join(f"[{n}]" for n in group.numbers) + " " + group.title in sources
    assert reply.reply_to == question["message_id"]
    assert [b["text"] for b in reply.buttons] == [*numbers, "👍", "👎"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in reply.buttons)


def test_sources_show_date_and_link_of_the_document(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot]
) -> None:
    start_bot(answerer=CorpusAnswerer())

    [dated] = exchange(emulator, ALICE, "What does the Military do about mass mobilization?")
    [linked] = exchange(emulator, ALICE, "What did the coordination conference decide?")

    sources = dated.text[dated.text.index("Sources") :]
    assert sources.endswith(
        "[1][2] The Military improves the effectiveness of the mass mobilization work · 2018-10-14"
    )
    [link] = [e for e in linked.entities if e["type"] == "text_link"]
    assert link["url"].startswith("https://nhandan.vn/tiep-tuc-nang-cao")
    assert "nhandan.vn" in linked.entity_texts("text_link")


def test_typing_is_shown_while_a_slow_answer_is_computed(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot]
) -> None:
    start_bot(answerer=CorpusAnswerer(slow={"conference": 1.2}))

    exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")
    assert emulator.chat_actions == []  # answered at once: no indicator needed
    [answer] = exchange(emulator, ALICE, "What did the conference decide?")

    assert emulator.chat_actions == [(ALICE.id, "typing")]
    typing = next(c for c in emulator.calls_to("sendChatAction"))
    assert typing.at < answer.sent_at


def test_quote_button_reveals_the_exact_passage(
    emulator: BotApiEmulator, bot: RunningBot
) -> None:
    [reply] = exchange(emulator, ALICE, "What does the Military do about mass mobilization?")
    citation = bot.answer_of(reply).citations[-1]

    answered = press(emulator, ALICE, reply, reply.button(f"[{citation.n}]")["callback_data"])
    [shown] = emulator.wait_messages(ALICE.id, 2)[1:]

    assert answered == {"text": "", "show_alert": False}
    assert shown.reply_to == reply.message_id
    assert shown.entity_texts("blockquote") == [citation.quote]
    assert shown.text.startswith(f"[{citation.n}] {citation.title}")


def test_an_unknown_or_expired_button_is_still_answered(
    emulator: BotApiEmulator, bot: RunningBot
) -> None:
    [reply] = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")

    for data in ("q:gone1234:1", "f:gone1234:d", "something-else"):
        answered = press(emulator, ALICE, reply, data)
        assert answered["show_alert"] is True
        assert "no longer available" in answered["text"]
    assert len(emulator.bot_messages(ALICE.id)) == 1


def test_feedback_is_stored_and_exported_for_the_eval(
    emulator: BotApiEmulator, bot: RunningBot, tmp_path: Path
) -> None:
    [good] = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")
    [bad] = exchange(emulator, ALICE, "What is the weather in Hanoi?")

    assert press(emulator, ALICE, good, good.button("👍")["callback_data"])["text"] == (
        "Thank you for your feedback."
    )
    press(emulator, ALICE, bad, bad.button("👍")["callback_data"])
    press(emulator, ALICE, bad, bad.button("👎")["callback_data"])  # a change of mind replaces

    records = Records(tmp_path / "data" / "records.sqlite3")  # what `feedback export` opens
    everything = list(records.export_feedback(only_down=False))
    [down] = list(records.export_feedback(only_down=True))

    assert [item["vote"] for item in everything] == ["up", "down"]
    assert down["question"] == "What is the weather in Hanoi?"
    assert down["previous_refused"] is True
    assert down["must_refuse"] is False and down["needs_review"] is True
    assert down["evidence"] == [] and down["answer_contains"] == []
    assert down["id"].startswith("fb-")
    up = everything[0]
    assert "2013" in up["previous_answer"]
    assert up["previous_citations"][0]["quote"] in up["previous_answer"]
    json.dumps(everything)  # exported as JSONL
    records.close()


def test_group_messages_are_answered_only_when_addressed(
    emulator: BotApiEmulator, bot: RunningBot, answerer: RecordingAnswerer
) -> None:
    emulator.send_text(ALICE, "When was Resolution 25-NQ/TW issued?", chat=GROUP)
    emulator.send_text(ALICE, "@someone_else when was Decree 06/2014 issued?", chat=GROUP)
    emulator.send_text(ALICE, "/ask@other_bot when was Decree 06/2014 issued?", chat=GROUP)
    emulator.send_sticker(ALICE, chat=GROUP)

    [mentioned] = exchange(
        emulator, ALICE, f"{BOT_MENTION} when was Resolution 25-NQ/TW issued?", chat=GROUP
    )
    [by_reply] = exchange(
        emulator, BINH, "And when was it issued?", chat=GROUP, reply_to=mentioned.message_id
    )
    [by_command] = exchange(emulator, ALICE, "/ask What does Decree 06/2014 say?", chat=GROUP)
    [by_named_command] = exchange(
        emulator, ALICE, f"/ask{BOT_MENTION} What does Decree 06/2014 say?", chat=GROUP
    )
    settle(emulator)

    assert "2013" in mentioned.text and "2013" in by_reply.text
    assert "2014" in by_command.text and "2014" in by_named_command.text
    asked = [question for question, _ in answerer.calls]
    assert asked == [
        "when was Resolution 25-NQ/TW issued?",
        "And when was it issued?",
        "What does Decree 06/2014 say?",
        "What does Decree 06/2014 say?",
    ]
    assert len(emulator.bot_messages(GROUP.id)) == 4


def test_unauthorised_users_are_refused_without_corpus_content(
    emulator: BotApiEmulator, bot: RunningBot, answerer: RecordingAnswerer
) -> None:
    [private] = exchange(emulator, STRANGER, "When was Resolution 25-NQ/TW issued?")
    emulator.send_sticker(STRANGER)
    sticker = emulator.wait_messages(STRANGER.id, 2)[1]
    [in_unlisted_group] = exchange(
        emulator, STRANGER, f"{BOT_MENTION} When was Resolution 25-NQ/TW issued?",
        chat=OTHER_GROUP,
    )
    [sources] = exchange(emulator, STRANGER, "/sources")

    for refusal in (private, sticker, in_unlisted_group, sources):
        assert "only serves approved users" in refusal.text
        assert str(STRANGER.id) in refusal.entity_texts("code")
        assert "2013" not in refusal.text and "Resolution" not in refusal.text
        assert refusal.buttons == []
    assert answerer.calls == []

    # A listed user may ask in any group; everyone may ask in a listed group.
    [answer] = exchange(
        emulator, ALICE, f"{BOT_MENTION} When was Resolution 25-NQ/TW issued?", chat=OTHER_GROUP
    )
    assert "2013" in answer.text
    [in_listed_group] = exchange(
        emulator, STRANGER, f"{BOT_MENTION} When was Resolution 25-NQ/TW issued?", chat=GROUP
    )
    assert "2013" in in_listed_group.text

    # Nor can an unlisted user reveal quotes with the buttons of a listed user's answer.
    alert = press(emulator, STRANGER, answer, answer.button("[1]")["callback_data"])
    assert alert["show_alert"] is True and str(STRANGER.id) in alert["text"]
    assert emulator.bot_messages(OTHER_GROUP.id)[-1].message_id == answer.message_id


def test_admin_commands_are_refused_to_non_admins(
    emulator: BotApiEmulator, bot: RunningBot, library: Any
) -> None:
    [stats] = exchange(emulator, ALICE, "/stats")
    [reindex] = exchange(emulator, ALICE, "/reindex")

    assert stats.text == reindex.text == "This command is for administrators only."
    assert library.reindex_calls == 0


def test_stats_and_reindex_work_for_admins(
    emulator: BotApiEmulator, bot: RunningBot, library: Any
) -> None:
    exchange(emulator, ADMIN, "When was Resolution 25-NQ/TW issued?")
    [refused] = exchange(emulator, ALICE, "What is the weather in Hanoi?")
    press(emulator, ALICE, refused, refused.button("👎")["callback_data"])

    [stats] = exchange(emulator, ADMIN, "/stats")
    started, finished = exchange(emulator, ADMIN, "/reindex", expect=2)

    assert "Questions: 2" in stats.text
    assert "Refusal rate: 50%" in stats.text
    assert "Median answer time:" in stats.text and " ms" in stats.text
    assert "👍 0 · 👎 1" in stats.text
    assert started.text == "Re-indexing the documents…"
    assert finished.text.startswith("Re-indexing finished: 0 added, 0 updated, 9 unchanged, ")
    assert library.reindex_calls == 1


def test_a_failing_reindex_is_reported_without_details(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot], shared_corpus: Path
) -> None:
    failing = FolderLibrary(shared_corpus, fail_with=OSError("/secret/path is full"))
    start_bot(library=failing)

    _, failed = exchange(emulator, ADMIN, "/reindex", expect=2)

    assert failed.text == "Re-indexing failed (OSError). Details are in the log."
    [answer] = exchange(emulator, ADMIN, "When was Resolution 25-NQ/TW issued?")
    assert "2013" in answer.text


def test_a_long_answer_is_split_at_paragraphs_with_balanced_html(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot]
) -> None:
    answerer = CorpusAnswerer()
    start_bot(answerer=answerer)
    question = emulator.send_text(ALICE, "Tell me everything about it")
    answer = answerer.answer("Tell me everything about it")
    assert len(answer.text) > 2 * 4096

    emulator.wait_for(
        lambda: any(m.buttons for m in emulator.bot_messages(ALICE.id)), what="the last part"
    )
    parts = emulator.bot_messages(ALICE.id)

    assert len(parts) >= 3
    assert all(len(part.text.encode("utf-16-le")) // 2 <= 4096 for part in parts)
    assert parts[0].reply_to == question["message_id"]
    assert all(part.buttons == [] for part in parts[:-1])
    assert len(parts[-1].buttons) == len(answer.citations) + 2
    assert "Sources\n[1][2][3]" in parts[-1].text
    assert parts[-1].text.endswith("The Military improves the effectiveness of the mass "
                                   "mobilization work · 2018-10-14")
    joined = " ".join(" ".join(part.text.split()) for part in parts)
    for citation in answer.citations:
        assert f"{' '.join(citation.quote.split())} [{citation.n}]" in joined
    bold = [text for part in parts for text in part.entity_texts("bold")]
    assert [f"[{c.n}]" for c in answer.citations] == [b for b in bold if b != "Sources"]


def test_html_special_characters_in_documents_are_escaped(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot], tmp_path: Path
) -> None:
    path = tmp_path / "circular.txt"
    path.write_text(
        "Circular <draft> & notes\nThe rule <b>applies</b> to A & B when x < y > z.\n",
        encoding="utf-8",
    )
    document = Document.load(path, url="https://example.org/doc?a=1&b=<2>")
    topic = Topic("circular", ("circular",), document.doc_id, anchors=("The rule",))
    start_bot(answerer=CorpusAnswerer({document.doc_id: document}, [topic]))

    [reply] = exchange(emulator, ALICE, "What does the circular say?")
    press(emulator, ALICE, reply, reply.button("[1]")["callback_data"])
    shown = emulator.wait_messages(ALICE.id, 2)[1]

    assert "The rule <b>applies</b> to A & B when x < y > z. [1]" in reply.text
    assert "Circular <draft> & notes" in reply.text
    assert shown.entity_texts("blockquote") == ["The rule <b>applies</b> to A & B when x < y > z."]
    [link] = [e for e in shown.entities if e["type"] == "text_link"]
    assert link["url"] == "https://example.org/doc?a=1&b=<2>"


def test_other_input_gets_a_short_reply_in_private_and_nothing_in_groups(
    emulator: BotApiEmulator, bot: RunningBot, answerer: RecordingAnswerer
) -> None:
    emulator.send_sticker(ALICE)
    emulator.send_photo(ALICE, caption="When was Resolution 25-NQ/TW issued?")
    emulator.send_voice(ALICE)
    replies = emulator.wait_messages(ALICE.id, 3)
    assert [r.text for r in replies] == ["Please send your question as text."] * 3

    original = emulator.send_text(ALICE, "What is the weather?")
    emulator.wait_messages(ALICE.id, 4)
    emulator.edit_text(ALICE, original, "When was Resolution 25-NQ/TW issued?")
    [edited] = emulator.wait_messages(ALICE.id, 5)[4:]
    assert edited.text.startswith("I don't re-answer edited messages")

    [unknown] = exchange(emulator, ALICE, "/frobnicate")
    assert unknown.text == "Unknown command. See /help."
    [empty] = exchange(emulator, ALICE, "/ask")
    assert empty.text.startswith("Please write a question")

    longest = ("Resolution 25-NQ/TW " * 205)[:4096]
    [long_reply] = exchange(emulator, ALICE, longest)
    assert bot.answer_of(long_reply).refused  # the answerer rejects over 4,000 characters
    assert answerer.calls[-1][0] == longest.strip()

    before = len(emulator.bot_messages(GROUP.id))
    emulator.send_photo(ALICE, chat=GROUP)
    emulator.send_voice(ALICE, chat=GROUP)
    group_edit = emulator.send_text(ALICE, "hello", chat=GROUP)
    emulator.edit_text(ALICE, group_edit, f"{BOT_MENTION} hello")
    settle(emulator)
    assert len(emulator.bot_messages(GROUP.id)) == before


def test_follow_up_gets_history_and_reset_clears_it(
    emulator: BotApiEmulator, bot: RunningBot, answerer: RecordingAnswerer
) -> None:
    exchange(emulator, ALICE, "What is Resolution 25-NQ/TW about?")
    [follow_up] = exchange(emulator, ALICE, "And when was it issued?")

    question, history = answerer.calls[-1]
    assert question == "And when was it issued?"
    assert [turn.question for turn in history] == ["What is Resolution 25-NQ/TW about?"]
    assert not bot.answer_of(follow_up).refused and "2013" in follow_up.text

    [reset] = exchange(emulator, ALICE, "/reset")
    [after_reset] = exchange(emulator, ALICE, "And when was it issued?")

    assert reset.text == "Conversation forgotten. Ask a new question any time."
    assert answerer.calls[-1][1] == ()
    assert after_reset.reply_to is not None


def test_history_keeps_only_the_configured_number_of_turns(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot], settings: AppSettings,
    answerer: RecordingAnswerer,
) -> None:
    telegram = settings.telegram.model_copy(update={"history_turns": 2})
    start_bot(settings=settings.model_copy(update={"telegram": telegram}))

    for question in ("Resolution 25?", "Decree 06/2014?", "Military?", "Conference?"):
        exchange(emulator, ALICE, question)

    assert [t.question for t in answerer.calls[-1][1]] == ["Decree 06/2014?", "Military?"]


def test_help_shows_uploads_and_remove_to_admins_only(
    emulator: BotApiEmulator, bot: RunningBot
) -> None:
    [admin] = exchange(emulator, ADMIN, "/help")
    [user] = exchange(emulator, ALICE, "/help")
    assert "/remove" in admin.text and "20 MB" in admin.text and "/reindex" in admin.text
    assert "/sources" in user.text
    assert "/remove" not in user.text and "Administration" not in user.text


def test_lang_switches_the_language_of_the_bot(
    emulator: BotApiEmulator, bot: RunningBot
) -> None:
    [english] = exchange(emulator, ALICE, "/start")
    [vietnamese] = exchange(emulator, BINH, "/start")
    assert english.text.startswith("Hello!")
    assert vietnamese.text.startswith("Xin chào!")

    [switched] = exchange(emulator, ALICE, "/lang vi")
    [answer] = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")
    [usage] = exchange(emulator, ALICE, "/lang fr")
    [back] = exchange(emulator, ALICE, "/lang en")

    assert switched.text == "Đã chuyển sang tiếng Việt."
    assert "Nguồn" in answer.entity_texts("bold")
    assert usage.text == "Cách dùng: /lang vi hoặc /lang en"
    assert back.text == "Language set to English."


def test_the_command_menu_is_registered_in_both_languages(
    emulator: BotApiEmulator, bot: RunningBot
) -> None:
    menus = {key: [c["description"] for c in menu] for key, menu in emulator.commands.items()}

    assert set(menus) == {("default", "vi"), ("default", "en"), ("default", "")}
    assert menus[("default", "en")][0] == "What this bot does"
    assert menus[("default", "vi")][0] == "Giới thiệu bot"
    assert menus[("default", "")] == menus[("default", "vi")]  # telegram.default_language
    assert [c["command"] for c in emulator.commands[("default", "en")]] == [
        "start", "help", "ask", "sources", "reset", "lang",
    ]


def test_a_failing_command_menu_does_not_stop_the_bot(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot],
    caplog: pytest.LogCaptureFixture,
) -> None:
    emulator.fail_next("setMyCommands", 3, 400, "Bad Request: BOT_COMMAND_INVALID")
    start_bot()

    [answer] = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")

    assert "2013" in answer.text
    assert "Could not register the command menu" in caplog.text


def test_sources_lists_the_indexed_documents(emulator: BotApiEmulator, bot: RunningBot) -> None:
    [listing] = exchange(emulator, ALICE, "/sources")

    assert listing.text.startswith("Indexed documents (9)")
    assert (
        "• Improving the efficiency of mass mobilization work in maintaining security and "
        "defending the Fatherland\n" in listing.text
    )


def test_per_user_rate_limit_answers_with_a_friendly_message(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot], settings: AppSettings,
    answerer: RecordingAnswerer,
) -> None:
    telegram = settings.telegram.model_copy(update={"rate_limit_per_minute": 2})
    start_bot(settings=settings.model_copy(update={"telegram": telegram}))

    exchange(emulator, ALICE, "Resolution 25?")
    exchange(emulator, ALICE, "Decree 06/2014?")
    [limited] = exchange(emulator, ALICE, "Military?")
    [other_user] = exchange(emulator, BINH, "Military?")

    assert limited.text.startswith("You are asking very quickly; please wait")
    assert len(answerer.calls) == 3
    assert other_user.buttons  # answered (with its buttons), not limited


def test_flood_limit_429_is_honoured_and_nothing_is_lost(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot]
) -> None:
    start_bot(answerer=CorpusAnswerer())  # its long answer takes several messages
    emulator.private_flood = (2, 1.0)  # Telegram answers 429 past two messages a second
    emulator.send_text(ALICE, "Tell me everything about it")

    emulator.wait_for(
        lambda: emulator.bot_messages(ALICE.id) and emulator.bot_messages(ALICE.id)[-1].buttons,
        timeout=20, what="the last part of the long answer",
    )

    parts = emulator.bot_messages(ALICE.id)
    assert len(parts) >= 3
    assert any(call.status == 429 for call in emulator.calls_to("sendMessage"))
    assert [bool(part.buttons) for part in parts] == [False] * (len(parts) - 1) + [True]


def test_transient_server_errors_are_retried(emulator: BotApiEmulator, bot: RunningBot) -> None:
    emulator.fail_next("sendMessage", 2, 502, "Bad Gateway")

    [answer] = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")

    assert "2013" in answer.text
    assert [c.status for c in emulator.calls_to("sendMessage")] == [502, 502, 200]


def test_the_bot_survives_a_restart_of_the_bot_api_server(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot]
) -> None:
    start_bot(answerer=CorpusAnswerer(slow={"conference": 1.0}))
    emulator.send_text(ALICE, "What did the conference decide?")
    emulator.wait_for(lambda: (ALICE.id, "typing") in emulator.chat_actions, what="typing")

    emulator.restart(downtime_s=2.5)  # the answer is ready while the server is down

    [answer] = emulator.wait_messages(ALICE.id, 1, timeout=20)
    assert "held a conference" in answer.text
    [after] = exchange(emulator, BINH, "When was Resolution 25-NQ/TW issued?", timeout=20)
    assert "2013" in after.text


def test_fifty_questions_from_ten_users_at_once_are_all_answered(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot], settings: AppSettings
) -> None:
    users = [User(1000 + i, f"User {i}", "en") for i in range(10)]
    telegram = settings.telegram.model_copy(update={"allowed_user_ids": [u.id for u in users]})
    answerer = RecordingAnswerer(CorpusAnswerer(delay_s=0.05))
    start_bot(settings=settings.model_copy(update={"telegram": telegram}), answerer=answerer)
    questions = [
        "When was Resolution 25-NQ/TW issued?", "What does Decree 06/2014 say?",
        "What does the Military do?", "What did the conference decide?", "Is it raining?",
    ]

    for question in questions:
        for user in users:
            emulator.send_text(user, question)

    for user in users:
        replies = emulator.wait_messages(user.id, 5, timeout=30)
        assert len(replies) == 5
        assert sum(r.text == "The indexed documents do not say." for r in replies) == 1
    assert len(answerer.calls) == 50


def test_a_slow_question_does_not_block_other_users(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot]
) -> None:
    start_bot(answerer=CorpusAnswerer(slow={"conference": 3.0}))
    emulator.send_text(ALICE, "What did the conference decide?")
    emulator.wait_for(lambda: (ALICE.id, "typing") in emulator.chat_actions, what="typing")

    [fast] = exchange(emulator, BINH, "When was Resolution 25-NQ/TW issued?")

    assert "2013" in fast.text
    assert emulator.bot_messages(ALICE.id) == []
    emulator.wait_messages(ALICE.id, 1)


def test_a_failing_answer_gets_an_apology_and_the_bot_goes_on(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot],
    caplog: pytest.LogCaptureFixture,
) -> None:
    class BrokenOnPurpose(CorpusAnswerer):
        def answer(self, question: str, history: tuple[Turn, ...] = ()) -> Answer:
            if "crash" in question:
                raise RuntimeError("index file truncated")
            return super().answer(question, history)

    start_bot(answerer=BrokenOnPurpose())

    [apology] = exchange(emulator, ALICE, "crash please")
    [answer] = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")

    assert apology.text.startswith("Sorry, something went wrong while handling your message.")
    assert "index file truncated" not in apology.text
    assert "2013" in answer.text
    assert "RuntimeError: index file truncated" in caplog.text


def test_buttons_still_work_after_the_bot_restarts(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot]
) -> None:
    first = start_bot()
    [reply] = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")
    quote = first.answer_of(reply).citations[0].quote
    first.stop()
    start_bot()  # a new process: empty memory, same records

    press(emulator, ALICE, reply, reply.button("[1]")["callback_data"])
    [shown] = emulator.wait_messages(ALICE.id, 2)[1:]

    assert shown.entity_texts("blockquote") == [quote]


def test_the_token_never_reaches_logs_or_records(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot], token: str,
    settings: AppSettings, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram"):
        caplog.set_level(logging.DEBUG, logger=name)
    emulator.fail_next("sendMessage", 1, 502, "Bad Gateway")
    bot = start_bot()

    [reply] = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")
    press(emulator, ALICE, reply, reply.button("[1]")["callback_data"])
    press(emulator, ALICE, reply, reply.button("👎")["callback_data"])
    exchange(emulator, ADMIN, "/stats")
    bot.stop()

    assert any(MASK in r.getMessage() for r in caplog.records if r.name == "httpx")
    assert token not in caplog.text
    assert all(token not in r.getMessage() for r in caplog.records)
    for path in (settings.store.path).iterdir():
        assert token.encode() not in path.read_bytes(), path.name
    assert all(token not in m.text for m in emulator.bot_messages())


def test_a_wrong_token_stops_the_start_with_invalid_token(
    emulator: BotApiEmulator, settings: AppSettings, answerer: RecordingAnswerer,
    library: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    wrong = emulator.token.split(":")[0] + ":AA" + "x" * 40
    emulator.expected_statuses.add(401)
    application = build_application(settings, answerer, library=library, token=wrong)

    with pytest.raises(InvalidToken):
        RunningBot(application).start()
    assert wrong not in caplog.text


def test_a_closed_bot_warns_loudly_at_start_up(
    emulator: BotApiEmulator, tmp_path: Path, answerer: RecordingAnswerer,
    library: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    closed = make_settings(tmp_path / "closed", emulator.base_url, allowed_user_ids=[],
                           allowed_chat_ids=[])
    build_application(closed, answerer, library=library, token=emulator.token)

    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "THE BOT IS CLOSED" in warning.getMessage()


def test_webhook_mode_delivers_updates_and_rejects_forged_ones(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot], settings: AppSettings,
    answerer: RecordingAnswerer,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/policybot/hook"
    telegram = settings.telegram.model_copy(
        update={"webhook_url": url, "listen": "127.0.0.1", "port": port}
    )
    start_bot(
        settings=settings.model_copy(update={"telegram": telegram}),
        webhook=webhook_options(telegram, "s3cret_-token"),
    )
    assert emulator.webhook == {"url": url, "secret_token": "s3cret_-token"}

    [answer] = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?")
    assert "2013" in answer.text

    forged = {
        "update_id": 999,
        "message": {"message_id": 1, "date": int(time.time()), "text": "Resolution 25?",
                    "chat": {"id": ADMIN.id, "type": "private"}, "from": ADMIN.to_dict()},
    }
    assert post_update(url, forged, None) == 403
    assert post_update(url, forged, "wrong") == 403
    settle(emulator)
    assert [question for question, _ in answerer.calls] == [
        "When was Resolution 25-NQ/TW issued?"
    ]


def test_policybot_serve_answers_by_long_polling_until_interrupted(
    emulator: BotApiEmulator, tmp_path: Path, token: str, indexed_services: Any
) -> None:
    """The real command: `policybot serve` on the indexed store, stopped with Ctrl+C."""
    indexed = indexed_services.settings
    config = tmp_path / "config.yaml"
    config.write_text(
        json.dumps({
            "corpus": {"paths": [str(p) for p in indexed.corpus.paths]},
            "store": {"path": str(indexed.store.path), "collection": indexed.store.collection},
            "telegram": {"base_url": emulator.base_url, "allowed_user_ids": [ALICE.id]},
        }),
        encoding="utf-8",
    )
    environment = {**os.environ, "TELEGRAM_BOT_TOKEN": token, "POLICYBOT_CONFIG": str(config)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"], env=environment, stderr=subprocess.PIPE,
        text=True, cwd=Path(__file__).resolve().parents[2],
    )
    try:
        replies = exchange(emulator, ALICE, "When was Resolution 25-NQ/TW issued?", timeout=120)
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl+C does to `policybot serve`
        _, log = process.communicate(timeout=60)

    assert "2013" in replies[0].text
    assert process.returncode == 0, log
    assert "Starting the bot with long polling" in log
    assert token not in log
    assert emulator.commands  # the command menu was registered at start-up
