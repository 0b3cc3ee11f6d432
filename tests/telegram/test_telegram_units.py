"""The Telegram front end's pure parts, and the emulator's own rules (so the e2e tests can fail)."""

from __future__ import annotations

import html
import json
import logging
import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from botapi_emulator import ApiError, BotApiEmulator, parse_html, validate_reply_markup
from botapi_emulator import User as EmulatedUser
from corpus_answerer import CorpusAnswerer
from telegram import Chat, Message, MessageEntity, User

from bot.answering.types import Answer, Citation
from bot.config import ConfigError
from bot.records import Records
from bot.telegram import access
from bot.telegram.app import read_token, read_webhook_secret
from bot.telegram.handlers import addressed_question
from bot.telegram.i18n import language_from_code, parse_language, text
from bot.telegram.keyboards import answer_keyboard, parse_button
from bot.telegram.ratelimit import SlidingWindowLimiter
from bot.telegram.redact import MASK, mask_secret
from bot.telegram.render import render_answer, render_quote, split_html
from bot.telegram.settings import TelegramSettings

pytestmark = pytest.mark.telegram

VALID_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


# -- the emulator enforces Telegram's rules --------------------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        "a < b",
        "a > b",
        "Tom & Jerry",
        "<div>block</div>",
        "<b>bold",
        "<b><i>crossed</b></i>",
        "&nbsp;",
        '<span class="other">x</span>',
        "<a>no href</a>",
        '<a href="https://x.org"><a href="https://y.org">nested</a></a>',
        "<code><b>inside code</b></code>",
        "<blockquote><blockquote>twice</blockquote></blockquote>",
        "</b>",
    ],
)
def test_emulator_rejects_html_telegram_cannot_parse(markup: str) -> None:
    with pytest.raises(ApiError, match="Bad Request: can't parse entities"):
        parse_html(markup)


def test_emulator_parses_telegram_html_into_text_and_entities() -> None:
    visible, entities = parse_html(
        '<b>[1]</b> A &amp; B &lt;x&gt; &#128512; <a href="https://x.org/?a=1&amp;b=2">l</a>'
        "<blockquote expandable>q</blockquote><pre><code class=\"language-py\">c</code></pre>"
    )

    assert visible == "[1] A & B <x> 😀 lqc"
    assert {"type": "bold", "offset": 0, "length": 3} in entities
    assert {"type": "text_link", "offset": 17, "length": 1, "url": "https://x.org/?a=1&b=2"} in (
        entities
    )
    assert {"type": "expandable_blockquote", "offset": 18, "length": 1} in entities


def test_emulator_edits_only_an_existing_bot_message_of_the_chat_and_only_with_a_change() -> None:
    emulator = BotApiEmulator(VALID_TOKEN)
    alice, binh = EmulatedUser(1, "Alice"), EmulatedUser(2, "Bình", "vi")
    question = emulator.send_text(alice, "hello")
    emulator.send_text(binh, "xin chào")

    def call(method: str, **params: object) -> tuple[int, dict]:
        body = json.dumps(params).encode()
        return emulator.dispatch(f"/bot{VALID_TOKEN}/{method}", "application/json", body)

    status, sent = call("sendMessage", chat_id=1, text="Searching…", parse_mode="HTML")
    assert status == 200
    mine = sent["result"]["message_id"]

    def refused(**params: object) -> str:
        status, payload = call("editMessageText", parse_mode="HTML", **params)
        assert status == 400, payload
        return str(payload["description"])

    assert refused(chat_id=1, message_id=999, text="x") == "Bad Request: message to edit not found"
    # Message ids belong to their chat: the same id in another chat is not this message.
    assert refused(chat_id=2, message_id=mine, text="x") == "Bad Request: message to edit not found"
    assert refused(chat_id=3, message_id=mine, text="x") == "Bad Request: chat not found"
    assert refused(chat_id=1, message_id=question["message_id"], text="x") == (
        "Bad Request: message can't be edited"
    )
    assert "message is not modified" in refused(chat_id=1, message_id=mine, text="Searching…")
    too_long = refused(chat_id=1, message_id=mine, text="a" * 4097)
    assert too_long == "Bad Request: message is too long"
    # The same text with other entities is a change, as on Telegram.
    assert call("editMessageText", chat_id=1, message_id=mine, text="<b>Searching…</b>",
                parse_mode="HTML")[0] == 200
    [message] = emulator.bot_messages(1)
    assert [text for _, text in message.versions] == ["Searching…", "Searching…"]
    assert message.entities == [{"type": "bold", "offset": 0, "length": 10}]


def test_emulator_checks_callback_data_and_keyboard_shape() -> None:
    button = {"text": "[1]", "callback_data": "x" * 64}
    assert validate_reply_markup({"inline_keyboard": [[button]]})
    for bad in ({"text": "[1]", "callback_data": "x" * 65}, {"text": "[1]", "callback_data": ""}):
        with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
            validate_reply_markup({"inline_keyboard": [[bad]]})
    with pytest.raises(ApiError, match="too many buttons in a row"):
        validate_reply_markup({"inline_keyboard": [[button] * 9]})


# -- splitting and rendering ----------------------------------------------------------------


def _random_markup(rng: random.Random, paragraphs: int) -> str:
    words = ["mass", "mobilization", "Đảng", "dân", "vận", "😀", "A&B", "x<y", "policy", "No.25"]
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(1, 30)):
            sentence = " ".join(html.escape(rng.choice(words)) for _ in range(rng.randint(3, 40)))
            wrapper = rng.choice(["", "b", "i", "blockquote", "a"])
            if wrapper == "a":
                sentence = f'<a href="https://x.org/?q=1&amp;r=2">{sentence}</a>'
            elif wrapper:
                sentence = f"<{wrapper}>{sentence}.</{wrapper}>"
            sentences.append(sentence + f" <b>[{rng.randint(1, 9)}]</b>")
        out.append(rng.choice([" ", "\n"]).join(sentences))
    return "\n\n".join(out)


@pytest.mark.parametrize("seed", range(12))
def test_split_html_keeps_every_part_valid_short_and_complete(seed: int) -> None:
    rng = random.Random(seed)
    markup = _random_markup(rng, rng.randint(1, 40))
    limit = rng.choice([200, 1000, 4096])

    parts = split_html(markup, limit)

    visible_parts = [parse_html(part)[0] for part in parts]  # raises if a part is malformed
    assert all(len(v.encode("utf-16-le")) // 2 <= limit for v in visible_parts)
    assert "".join("".join(v.split()) for v in visible_parts) == "".join(
        parse_html(markup)[0].split()
    )


def test_split_html_prefers_paragraph_boundaries() -> None:
    paragraphs = [f"Paragraph {i}. " + "word " * 150 for i in range(6)]

    parts = split_html("\n\n".join(paragraphs), 2000)

    assert all(part.startswith("Paragraph") for part in parts)
    assert sum(part.count("Paragraph") for part in parts) == 6


def test_split_html_reopens_a_tag_cut_in_the_middle() -> None:
    quote = " ".join(f"sentence{i}." for i in range(400))

    parts = split_html(f"<b>[1]</b> Title\n<blockquote>{html.escape(quote)}</blockquote>", 1000)

    assert len(parts) > 2
    assert all(part.count("<blockquote>") == part.count("</blockquote>") == 1 for part in parts)


def _citation(n: int, **changes: object) -> Citation:
    values: dict[str, object] = {
        "n": n, "chunk_id": f"d:{n}", "doc_id": "d", "source": "/corpus/d.txt",
        "title": "Decree <06> & co", "quote": f"Quote {n} <i>&", "score": 0.8, "page": n,
        "section": "Article 2", "date": "2014-01-21", "url": "https://gov.vn/a?b=1&c=2",
    }
    values.update(changes)
    return Citation(**values)  # type: ignore[arg-type]


def test_render_answer_escapes_document_text_and_lists_sources_once_per_document() -> None:
    answer = Answer(
        question="q", text="A <b> & B [1]. C [2].", refused=False, language="en",
        citations=[_citation(1), _citation(2), _citation(3, doc_id="e", title="Other", url=None,
                                                        page=None, section=None, date=None)],
    )

    [message] = render_answer(answer, "en")
    visible, _ = parse_html(message)

    assert visible.startswith("A <b> & B [1]. C [2].")
    assert "[1][2] Decree <06> & co, Article 2 · 2014-01-21 · p. 1, 2 · gov.vn" in visible
    assert visible.endswith("[3] Other")


def test_render_quote_shows_document_page_and_link() -> None:
    [message] = render_quote(_citation(4), "vi")
    visible, entities = parse_html(message)

    assert visible.startswith("[4] Decree <06> & co, Article 2 · 2014-01-21 · tr. 4")
    assert "Quote 4 <i>&" in visible
    assert {e["type"] for e in entities} >= {"blockquote", "text_link", "bold", "italic"}


def test_render_skips_links_that_are_not_web_urls() -> None:
    [message] = render_quote(_citation(1, url="javascript:alert(1)"), "en")

    assert "href" not in message


def test_keyboard_callback_data_is_short_and_round_trips() -> None:
    answer = Answer("q", "t", False, "en", citations=[_citation(n) for n in range(1, 120)])

    keyboard = answer_keyboard("AbCd_-12", answer)

    buttons = [b for row in keyboard.inline_keyboard for b in row]
    assert len(buttons) <= 100 and all(len(row) <= 8 for row in keyboard.inline_keyboard)
    assert all(len(str(b.callback_data).encode()) <= 64 for b in buttons)
    press = parse_button(str(buttons[95].callback_data))
    assert press is not None and (press.kind, press.key, press.n) == ("quote", "AbCd_-12", 96)
    vote = parse_button(str(buttons[-1].callback_data))
    assert vote is not None and (vote.kind, vote.vote) == ("feedback", "down")
    assert parse_button("q:key:x") is None and parse_button(None) is None


# -- addressing in groups --------------------------------------------------------------------


def _group_message(text: str, entities: list[MessageEntity], reply_from: User | None = None
                   ) -> Message:
    chat = Chat(-100, Chat.SUPERGROUP)
    user = User(1, "Alice", False)
    replied = (
        Message(5, datetime.now(UTC), chat, from_user=reply_from, text="earlier")
        if reply_from
        else None
    )
    return Message(
        9, datetime.now(UTC), chat, from_user=user, text=text, entities=entities,
        reply_to_message=replied,
    )


def test_a_mention_after_an_emoji_is_removed_using_utf16_offsets() -> None:
    message = _group_message(
        "😀 @Policy_Test_Bot when was it issued?",
        [MessageEntity(MessageEntity.MENTION, 3, 16)],  # 😀 is two UTF-16 code units
    )

    assert addressed_question(message, 42, "policy_test_bot") == "😀 when was it issued?"


def test_messages_not_addressed_to_the_bot_are_ignored() -> None:
    other = _group_message("@other_bot hi", [MessageEntity(MessageEntity.MENTION, 0, 10)])
    plain = _group_message("hello all", [])
    reply_to_human = _group_message("agreed", [], reply_from=User(2, "Bob", False))
    reply_to_bot = _group_message("and then?", [], reply_from=User(42, "Bot", True))

    assert addressed_question(other, 42, "policy_test_bot") is None
    assert addressed_question(plain, 42, "policy_test_bot") is None
    assert addressed_question(reply_to_human, 42, "policy_test_bot") is None
    assert addressed_question(reply_to_bot, 42, "policy_test_bot") == "and then?"


# -- access, limits, languages, tokens ------------------------------------------------------


def test_access_rules() -> None:
    settings = TelegramSettings(allowed_user_ids=[1], allowed_chat_ids=[-5], admin_user_ids=[9])

    def allowed(user_id: int, chat_id: int, chat_type: str) -> bool:
        return access.is_allowed(settings, user_id=user_id, chat_id=chat_id, chat_type=chat_type)

    assert allowed(1, 1, "private") and allowed(1, -7, "group")
    assert allowed(9, 9, "private") and allowed(2, -5, "supergroup")
    assert not allowed(2, 2, "private") and not allowed(2, -7, "group")
    assert not allowed(-5, -5, "private")  # a listed chat id is not a listed user
    assert access.is_closed(TelegramSettings(admin_user_ids=[9]))
    open_settings = TelegramSettings(open_to_all=True)
    assert access.is_allowed(open_settings, user_id=3, chat_id=3, chat_type="private")


def test_sliding_window_allows_limit_per_window_and_says_how_long_to_wait() -> None:
    limiter = SlidingWindowLimiter(limit=3, window_s=60)

    assert [limiter.acquire(1, t) for t in (0, 10, 20)] == [0, 0, 0]
    assert limiter.acquire(1, 30) == pytest.approx(30)
    assert limiter.acquire(2, 30) == 0
    assert limiter.acquire(1, 60.5) == 0  # the event at t=0 left the window
    assert limiter.acquire(1, 61) == pytest.approx(9)


def test_languages() -> None:
    assert language_from_code("vi", "en") == "vi"
    assert language_from_code("en-GB", "vi") == "en"
    assert language_from_code("fr", "vi") == "vi"
    assert language_from_code(None, "en") == "en"
    assert parse_language(" VI ") == "vi" and parse_language("fr") is None
    assert text("rate_limited", "vi", seconds=5) == (
        "Bạn hỏi hơi nhanh; vui lòng đợi 5 giây rồi hỏi lại."
    )


def test_read_token_accepts_only_telegram_shaped_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", f" {VALID_TOKEN}\n")
    assert read_token() == VALID_TOKEN

    monkeypatch.delenv("TELEGRAM_BOT_TOKEN")
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN: not set"):
        read_token()
    for malformed in ("123:short", "abc:" + "A" * 35, VALID_TOKEN.replace(":", ""),
                      VALID_TOKEN + "/x"):
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", malformed)
        with pytest.raises(ConfigError) as caught:
            read_token()
        assert malformed not in str(caught.value) and "\n" not in str(caught.value)


def test_webhook_secret_is_required_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ConfigError, match="not set"):
        read_webhook_secret()
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "has spaces!")
    with pytest.raises(ConfigError, match="letters, digits"):
        read_webhook_secret()
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "ok_Secret-1")
    assert read_webhook_secret() == "ok_Secret-1"


def test_secrets_are_masked_in_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "987654321:AAsecretsecretsecretsecretsecret0123"
    mask_secret(secret)
    log = logging.getLogger("tests.redaction")

    log.warning("calling https://api.telegram.org/bot%s/getMe", secret)
    log.warning(f"inline {secret}")
    try:
        raise RuntimeError(f"failed url /bot{secret}/sendMessage")
    except RuntimeError:
        log.exception("request failed")

    assert secret not in caplog.text
    assert caplog.text.count(MASK) == 3


# -- records --------------------------------------------------------------------------------


def test_records_stats_count_today_in_the_given_time_zone(tmp_path: Path) -> None:
    records = Records(tmp_path / "records.sqlite3")
    answerer = CorpusAnswerer()
    hanoi = datetime(2025, 3, 10, 8, 0, tzinfo=UTC) + timedelta(hours=7)
    answer = answerer.answer("When was Resolution 25-NQ/TW issued?")
    refusal = answerer.answer("Weather?")
    yesterday = datetime(2025, 3, 9, 16, 59, tzinfo=UTC)  # 23:59 in Hanoi, the day before
    records.log_query(1, 1, "q", answer, 100.0, now=yesterday)
    records.log_query(1, 1, "q", answer, 10.0, now=datetime(2025, 3, 9, 17, 0, tzinfo=UTC))
    records.log_query(1, 1, "q", refusal, 30.0, now=datetime(2025, 3, 10, 9, 0, tzinfo=UTC))
    records.log_query(1, 1, "q", answer, 20.0, now=datetime(2025, 3, 10, 10, 0, tzinfo=UTC))
    records.record_feedback(answer_key="k", answer=answer, vote="up", chat_id=1, user_id=1)

    from zoneinfo import ZoneInfo

    stats = records.stats(hanoi.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")))

    assert (stats.questions_today, stats.refused_today) == (3, 1)
    assert stats.refusal_rate == pytest.approx(1 / 3)
    assert stats.median_latency_ms == 20.0
    assert (stats.feedback_up, stats.feedback_down) == (1, 0)
    empty = Records(tmp_path / "empty.sqlite3").stats(hanoi)
    assert empty.refusal_rate is None and empty.median_latency_ms is None


def test_records_keep_answers_for_buttons_and_one_vote_per_user(tmp_path: Path) -> None:
    records = Records(tmp_path / "records.sqlite3")
    answer = CorpusAnswerer().answer("What does the Military do?")
    records.log_query(7, 8, answer.question, answer, 12.5, answer_key="key12345")

    found = records.find_answer("key12345")
    assert found is not None
    assert (found.text, found.citations) == (answer.text, answer.citations)
    assert records.find_answer("missing") is None

    for user_id, vote in ((8, "up"), (8, "down"), (9, "up")):
        records.record_feedback(answer_key="key12345", answer=found, vote=vote,  # type: ignore[arg-type]
                                chat_id=7, user_id=user_id)
    assert [item["vote"] for item in records.export_feedback()] == ["down", "up"]
    [down] = records.export_feedback(only_down=True)
    assert set(down) == {
        "id", "question", "language", "must_refuse", "evidence", "answer_contains",
        "needs_review", "vote", "previous_answer", "previous_refused", "previous_citations",
        "recorded_at",
    }
    assert down["previous_citations"][0]["quote"] == answer.citations[0].quote
    assert datetime.fromisoformat(down["recorded_at"]).tzinfo is not None


def test_records_are_safe_to_write_from_many_threads(tmp_path: Path) -> None:
    records = Records(tmp_path / "records.sqlite3")
    answer = CorpusAnswerer().answer("Decree 06/2014?")

    def write(worker: int) -> None:
        for i in range(25):
            records.log_query(worker, worker, f"q{i}", answer, 1.0, answer_key=f"k{worker}-{i}")

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert records.stats(datetime.now(UTC)).questions_today == 200
    journal = Records(tmp_path / "records.sqlite3")._query("PRAGMA journal_mode")[0][0]
    assert journal == "wal"
