"""Streamed answers end to end: the real bot and the generative answerer over the real index,
its model the scripted OpenAI emulator streaming server-sent events, Telegram the Bot API
emulator recording every version of every message."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from bot_runner import RunningBot
from botapi_emulator import BotApiEmulator, SentMessage
from corpus_answerer import StreamingCorpusAnswerer
from e2e_setup import ALICE, BINH, GROUP

from bot.telegram.render import render_answer
from tests.llm.openai_emulator import Cut, Emulator, EmulatorServer, Reply
from tests.llm.scripting import FACT, GOOD, QUESTION, answerer_for, passage_number

pytestmark = [pytest.mark.telegram, pytest.mark.slow]

UNVERIFIED = "It was adopted by 450 delegates"  # a number the cited passage does not hold
SUBJECT = (
    "Its full subject is strengthening and renewing the Party’s leadership over mass "
    "mobilization work in the new situation [{n}]."
)
NAMES = (
    "Party documents and the press often refer to it simply as Resolution 25 or as the "
    "Resolution of the 7th Central Conference [{n}]."
)
# About 1.5 s per sentence: a slow model, so that several edits have to be paced.
SLOW = {"chunk_chars": 6, "chunk_delay_s": 0.07}


@pytest.fixture
def model() -> Iterator[Emulator]:
    server = EmulatorServer()
    try:
        yield server.emulator
    finally:
        server.close()


@pytest.fixture
def llm_bot(
    start_bot: Callable[..., RunningBot], indexed_services: Any, model: Emulator
) -> RunningBot:
    return start_bot(answerer=answerer_for(indexed_services, model.base_url, timeout_s=20))


def four_sentences(body: dict[str, Any]) -> Reply:
    """Three sentences the passage supports and, second, one it does not."""
    n = passage_number(body, FACT)
    text = " ".join(
        [GOOD.format(n=n), f"{UNVERIFIED} [{n}].", SUBJECT.format(n=n), NAMES.format(n=n)]
    )
    return Reply(text, **SLOW)


def final_of(emulator: BotApiEmulator, chat_id: int) -> SentMessage:
    """Wait for the message of the chat that carries the feedback buttons, and return it."""
    return emulator.wait_for(
        lambda: next((m for m in emulator.bot_messages(chat_id) if m.buttons), None),
        timeout=60, what=f"the final answer in chat {chat_id}",
    )


def edit_times(emulator: BotApiEmulator, chat_id: int) -> list[float]:
    return sorted(at for m in emulator.bot_messages(chat_id) for at, _ in m.versions[1:])


def assert_paced(times: list[float]) -> None:
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert all(gap >= 1.0 for gap in gaps), f"edits closer than 1 s: {gaps}"


def test_a_generative_answer_is_streamed_verified_sentence_by_sentence(
    emulator: BotApiEmulator, llm_bot: RunningBot, model: Emulator
) -> None:
    model.script = [four_sentences]
    asked = time.monotonic()
    question = emulator.send_text(ALICE, QUESTION)

    final = final_of(emulator, ALICE.id)
    answer = llm_bot.answer_of(final)

    [message] = emulator.bot_messages(ALICE.id)  # one message, sent then edited
    assert message is final and message.reply_to == question["message_id"]
    first_at, first_text = message.versions[0]
    assert first_text == "Searching the documents…"
    assert first_at - asked < 1.0
    assert answer.answerer == "llm" and answer.fallback is None and answer.dropped_sentences == 1
    progress = [text for _, text in message.versions[1:-1]]
    assert len(progress) >= 2, message.versions  # the answer grew in several edits
    assert all(text.endswith(" …") for text in progress)
    assert all(answer.text.startswith(text[: -len(" …")]) for text in progress)
    assert_paced(edit_times(emulator, ALICE.id))
    # The unverified sentence was never sent, not even in a request Telegram refused.
    sent_texts = [c.params.get("text", "") for c in emulator.calls_to("sendMessage")]
    sent_texts += [c.params.get("text", "") for c in emulator.calls_to("editMessageText")]
    assert not any("450" in text for text in sent_texts)
    # The final version is the full rendering: bold markers, Sources, quote and vote buttons.
    assert final.html == render_answer(answer, "en")[0]
    numbers = [f"[{c.n}]" for c in answer.citations]
    assert [b["text"] for b in final.buttons] == [*numbers, "👍", "👎"]
    assert "\nSources\n" in final.text and FACT in final.text


def test_a_stream_cut_half_way_ends_with_the_extractive_answer(
    emulator: BotApiEmulator, llm_bot: RunningBot, model: Emulator
) -> None:
    def cut(body: dict[str, Any]) -> Cut:
        n = passage_number(body, FACT)
        # Cut after the first sentence and the unverified one, which is never shown.
        text = f"{GOOD.format(n=n)} {UNVERIFIED} [{n}]. {SUBJECT.format(n=n)} {NAMES.format(n=n)}"
        return Cut(text, chunk_delay_s=0.05)

    model.script = [cut]
    emulator.send_text(ALICE, QUESTION)

    final = final_of(emulator, ALICE.id)
    answer = llm_bot.answer_of(final)

    assert answer.answerer == "extractive" and answer.fallback == "stream_cut"
    [message] = emulator.bot_messages(ALICE.id)
    texts = [text for _, text in message.versions]
    assert texts[0] == "Searching the documents…"
    assert any(text.startswith(GOOD.format(n=1)[:40]) for text in texts[1:-1]), texts
    assert final.html == render_answer(answer, "en")[0]  # the partial text is replaced
    assert not any("450" in text for text in texts)
    assert_paced(edit_times(emulator, ALICE.id))


def test_the_first_message_is_in_the_users_language_and_a_refusal_replaces_it(
    emulator: BotApiEmulator, llm_bot: RunningBot, model: Emulator
) -> None:
    model.script = [Reply("NO_ANSWER")]
    emulator.send_text(BINH, "Nghị quyết 25-NQ/TW được thông qua ngày nào?")

    final = final_of(emulator, BINH.id)
    answer = llm_bot.answer_of(final)

    [message] = emulator.bot_messages(BINH.id)
    assert message.versions[0][1] == "Đang tìm trong tài liệu…"
    assert answer.answerer == "extractive" and answer.fallback == "model_refused"
    assert len(message.versions) == 2  # nothing verified to show before the final answer


def test_two_answers_streamed_in_one_group_share_its_pace(
    emulator: BotApiEmulator, llm_bot: RunningBot, model: Emulator
) -> None:
    model.script = [four_sentences, four_sentences]
    emulator.send_text(ALICE, f"@policy_test_bot {QUESTION}", chat=GROUP)
    emulator.send_text(BINH, f"@policy_test_bot {QUESTION}", chat=GROUP)

    emulator.wait_for(
        lambda: sum(1 for m in emulator.bot_messages(GROUP.id) if m.buttons) == 2,
        timeout=90, what="both answers in the group",
    )

    messages = emulator.bot_messages(GROUP.id)
    assert len(messages) == 2
    assert all(len(m.versions) >= 3 for m in messages)
    assert_paced(edit_times(emulator, GROUP.id))


def test_a_long_streamed_answer_ends_split_with_buttons_on_the_last_part(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot]
) -> None:
    answerer = StreamingCorpusAnswerer(pause_s=0.05)
    bot = start_bot(answerer=answerer)
    emulator.send_text(ALICE, "Tell me everything about it")

    final = final_of(emulator, ALICE.id)
    answer = bot.answer_of(final)

    parts = emulator.bot_messages(ALICE.id)
    assert len(parts) >= 3 and parts[-1] is final
    assert [m.html for m in parts] == render_answer(answer, "en")
    assert all(m.buttons == [] for m in parts[:-1])
    # Progress stayed in the first message, one message long, while the answer grew past it.
    progress = [text for _, text in parts[0].versions[1:-1]]
    assert progress and all(text.endswith(" …") for text in progress)
    assert all(len(text.encode("utf-16-le")) // 2 <= 4096 for text in progress)
    assert_paced(edit_times(emulator, ALICE.id))


def test_a_failure_while_streaming_replaces_the_progress_by_an_apology(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot],
    caplog: pytest.LogCaptureFixture,
) -> None:
    start_bot(answerer=StreamingCorpusAnswerer())
    emulator.send_text(ALICE, "military crash")

    emulator.wait_for(
        lambda: emulator.bot_messages(ALICE.id)
        and emulator.bot_messages(ALICE.id)[0].text.startswith("Sorry"),
        what="the apology",
    )
    [message] = emulator.bot_messages(ALICE.id)
    assert message.versions[0][1] == "Searching the documents…"
    assert "the model server went away" not in message.text
    assert "RuntimeError: the model server went away" in caplog.text
