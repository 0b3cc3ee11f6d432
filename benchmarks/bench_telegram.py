"""Benchmark the Telegram bot end to end through the Bot API emulator.

N users ask at the same time, each sending its next question as soon as the previous answer
arrives (after ``--think-ms``). Latency is measured from the moment an update is available to
the bot (long polling returns it at once) to the moment the emulator stored the bot's reply.

    python benchmarks/bench_telegram.py --answerer fake
    python benchmarks/bench_telegram.py --answerer real --config config.yaml

``--answerer real`` uses ``bot.answering.build_answerer`` over an index built beforehand with
``policybot ingest``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "telegram"))  # the emulator and the test answerer

from bot_runner import RunningBot  # noqa: E402
from botapi_emulator import BotApiEmulator, User  # noqa: E402
from corpus_answerer import CorpusAnswerer  # noqa: E402
from e2e_setup import make_token  # noqa: E402

from bot.answering.types import Answerer  # noqa: E402
from bot.config import AppSettings, ConfigError, load_settings  # noqa: E402
from bot.records import Records  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402

QUESTIONS = (
    "When was Resolution 25-NQ/TW issued?",
    "What does Decree 06/2014/ND-CP say about mobilizing the masses?",
    "What does the Military do to improve its mass mobilization work?",
    "What did the conference on coordination in mass mobilization work in 2024 decide?",
    "Nghị quyết 25-NQ/TW được ban hành khi nào?",
    "What is the weather in Hanoi tomorrow?",
)


class _Folder:
    """A library for the benchmark: /sources and /reindex are not exercised."""

    def documents(self) -> list[Any]:
        return []

    def reindex(self) -> str:
        return "not used in the benchmark"


def _answerer(kind: str, settings: AppSettings, fake_delay_ms: float) -> Answerer:
    if kind == "fake":
        return CorpusAnswerer(delay_s=fake_delay_ms / 1000)
    try:
        from bot.answering import build_answerer
    except ImportError as error:
        raise SystemExit(
            f"--answerer real needs bot.answering.build_answerer, which is not available: {error}"
        ) from None
    return build_answerer(settings)


def _reply_to(emulator: BotApiEmulator, chat_id: int, message_id: int) -> Any:
    def find() -> Any:
        return next((m for m in emulator.bot_messages(chat_id) if m.reply_to == message_id), None)

    return find


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(args: argparse.Namespace) -> int:
    try:
        base = load_settings(args.config) if args.answerer == "real" else AppSettings()
    except ConfigError as error:
        raise SystemExit(str(error)) from None
    users = [User(5000 + i, f"User {i}", "en") for i in range(args.users)]
    per_user = -(-args.questions // args.users)
    token = make_token()
    emulator = BotApiEmulator(token)
    emulator.start()
    answerer = _answerer(args.answerer, base, args.fake_delay_ms)
    answerer.answer(QUESTIONS[0])  # warm up (model, indexes) as `policybot serve` does first
    with tempfile.TemporaryDirectory() as folder:
        telegram = base.telegram.model_copy(
            update={
                "base_url": emulator.base_url,
                "allowed_user_ids": [user.id for user in users],
                "rate_limit_per_minute": max(per_user, base.telegram.rate_limit_per_minute),
            }
        )
        settings = base.model_copy(update={"telegram": telegram})
        records = Records(Path(folder) / "records.sqlite3")
        application = build_application(
            settings, answerer, library=_Folder(), token=token, records=records
        )
        bot = RunningBot(application).start()
        latencies: list[float] = []
        lost: list[str] = []
        lock = threading.Lock()

        def user_session(index: int, user: User) -> None:
            for turn in range(per_user):
                number = index * per_user + turn
                if number >= args.questions:
                    return
                time.sleep(args.think_ms / 1000)
                sent_at = time.monotonic()
                question = emulator.send_text(user, QUESTIONS[number % len(QUESTIONS)])
                try:
                    reply = emulator.wait_for(
                        _reply_to(emulator, user.id, question["message_id"]),
                        timeout=args.timeout,
                        what=f"the answer to question {number}",
                    )
                except AssertionError as error:
                    with lock:
                        lost.append(str(error))
                    continue
                with lock:
                    latencies.append(reply.sent_at - sent_at)

        started = time.monotonic()
        threads = [
            threading.Thread(target=user_session, args=(i, user)) for i, user in enumerate(users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        bot.stop()
        records.close()
    emulator.stop()

    flood = sum(1 for call in emulator.calls if call.status == 429)
    print(f"answerer: {args.answerer}   users: {args.users}   questions: {args.questions}")
    print(f"answered: {len(latencies)}/{args.questions}   lost: {len(lost)}   429s: {flood}")
    if latencies:
        print(
            f"latency p50: {1000 * statistics.median(latencies):.0f} ms   "
            f"p95: {1000 * _percentile(latencies, 0.95):.0f} ms   "
            f"max: {1000 * max(latencies):.0f} ms"
        )
    print(f"throughput: {len(latencies) / elapsed:.1f} answers/s over {elapsed:.1f} s")
    return 0 if len(latencies) == args.questions else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answerer", choices=("fake", "real"), default="fake")
    parser.add_argument("--config", type=Path, default=None, help="config file (real answerer)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--fake-delay-ms", type=float, default=0.0,
                        help="blocking time the fake answerer spends per question")
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="pause of each user before asking the next question")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait per answer")
    raise SystemExit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
