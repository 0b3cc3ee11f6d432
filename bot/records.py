"""The bot's records in SQLite (WAL): a log of the questions asked and the feedback on answers.

Feedback is exported in the question format of ``policybot eval``, so a 👎 becomes a regression
case once a maintainer fills in its evidence. Nothing secret is stored: no token, no API key.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from bot.answering.types import Answer, Citation

Vote = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS queries (
    id INTEGER PRIMARY KEY,
    answer_key TEXT UNIQUE,
    asked_at TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    question TEXT NOT NULL,
    language TEXT NOT NULL,
    refused INTEGER NOT NULL,
    refusal_reason TEXT,
    answer_text TEXT NOT NULL,
    citations TEXT NOT NULL,
    retrieved_ids TEXT NOT NULL,
    latency_ms REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS queries_asked_at ON queries (asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    answer_key TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    question TEXT NOT NULL,
    language TEXT NOT NULL,
    refused INTEGER NOT NULL,
    answer_text TEXT NOT NULL,
    citations TEXT NOT NULL,
    UNIQUE (answer_key, user_id)
);
"""


@dataclass(frozen=True)
class Stats:
    """The figures of /stats: today's questions and all feedback so far."""

    questions_today: int
    refused_today: int
    refusal_rate: float | None  # None when no question was asked today
    median_latency_ms: float | None
    feedback_up: int
    feedback_down: int


class Records:
    """Query log and feedback in one SQLite file; safe to use from several threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # One connection guarded by a lock: the bot writes from worker threads, rarely and briefly.
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._connection.row_factory = sqlite3.Row
        with self._lock:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.execute("PRAGMA busy_timeout=5000")
            self._connection.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._connection.close()

    def log_query(
        self,
        chat_id: int,
        user_id: int,
        question: str,
        answer: Answer,
        latency_ms: float,
        *,
        answer_key: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Record one answered (or refused) question; ``answer_key`` lets buttons find it later."""
        self._execute(
            "INSERT INTO queries (answer_key, asked_at, chat_id, user_id, question, language,"
            " refused, refusal_reason, answer_text, citations, retrieved_ids, latency_ms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                answer_key,
                _timestamp(now),
                chat_id,
                user_id,
                question,
                answer.language,
                int(answer.refused),
                answer.refusal_reason,
                answer.text,
                _citations_json(answer.citations),
                json.dumps([passage.chunk_id for passage in answer.retrieved]),
                latency_ms,
            ),
        )

    def find_answer(self, answer_key: str) -> Answer | None:
        """Return the answer logged under ``answer_key`` (without its retrieved passages)."""
        rows = self._query(
            "SELECT question, answer_text, refused, language, citations, refusal_reason"
            " FROM queries WHERE answer_key = ?",
            (answer_key,),
        )
        if not rows:
            return None
        row = rows[0]
        return Answer(
            question=row["question"],
            text=row["answer_text"],
            refused=bool(row["refused"]),
            language=row["language"],
            citations=[Citation(**item) for item in json.loads(row["citations"])],
            refusal_reason=row["refusal_reason"],
        )

    def record_feedback(
        self,
        *,
        answer_key: str,
        answer: Answer,
        vote: Vote,
        chat_id: int,
        user_id: int,
        now: datetime | None = None,
    ) -> None:
        """Store a vote on an answer; a second vote by the same user on it replaces the first."""
        self._execute(
            "INSERT INTO feedback (answer_key, recorded_at, chat_id, user_id, vote, question,"
            " language, refused, answer_text, citations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (answer_key, user_id)"
            " DO UPDATE SET vote = excluded.vote, recorded_at = excluded.recorded_at",
            (
                answer_key,
                _timestamp(now),
                chat_id,
                user_id,
                vote,
                answer.question,
                answer.language,
                int(answer.refused),
                answer.text,
                _citations_json(answer.citations),
            ),
        )

    def stats(self, now: datetime) -> Stats:
        """Count today's questions (the calendar day of ``now``, in its time zone) and feedback."""
        local = now if now.tzinfo else now.astimezone()
        day_start = datetime.combine(local.date(), time(), tzinfo=local.tzinfo)
        rows = self._query(
            "SELECT refused, latency_ms FROM queries WHERE asked_at >= ? AND asked_at < ?",
            (_timestamp(day_start), _timestamp(day_start + timedelta(days=1))),
        )
        votes = {
            row["vote"]: row["count"]
            for row in self._query("SELECT vote, COUNT(*) AS count FROM feedback GROUP BY vote")
        }
        refused = sum(row["refused"] for row in rows)
        return Stats(
            questions_today=len(rows),
            refused_today=refused,
            refusal_rate=refused / len(rows) if rows else None,
            median_latency_ms=statistics.median(row["latency_ms"] for row in rows)
            if rows
            else None,
            feedback_up=votes.get("up", 0),
            feedback_down=votes.get("down", 0),
        )

    def export_feedback(self, only_down: bool = False) -> Iterator[dict[str, Any]]:
        """Yield feedback as ``policybot eval`` questions, to be completed by a maintainer."""
        sql = "SELECT * FROM feedback"
        if only_down:
            sql += " WHERE vote = 'down'"
        for row in self._query(sql + " ORDER BY id"):
            yield {
                "id": f"fb-{row['id']}",
                "question": row["question"],
                "language": row["language"],
                "must_refuse": False,
                "evidence": [],
                "answer_contains": [],
                "needs_review": True,
                "vote": row["vote"],
                "previous_answer": row["answer_text"],
                "previous_refused": bool(row["refused"]),
                "previous_citations": json.loads(row["citations"]),
                "recorded_at": row["recorded_at"],
            }

    def _execute(self, sql: str, parameters: tuple[Any, ...]) -> None:
        with self._lock:
            self._connection.execute(sql, parameters)

    def _query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()


def _timestamp(moment: datetime | None) -> str:
    """Return a UTC ISO timestamp of fixed width, so that text order is time order."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _citations_json(citations: list[Citation]) -> str:
    return json.dumps([asdict(citation) for citation in citations], ensure_ascii=False)
