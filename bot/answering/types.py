"""The answering contract shared by the CLI and the Telegram bot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from vectorstore.model import Passage


@dataclass(frozen=True)
class Citation:
    """A numbered citation: a verbatim quote that is an exact substring of the cited chunk."""

    n: int
    chunk_id: str
    doc_id: str
    source: str
    title: str
    quote: str
    score: float
    page: int | None = None
    section: str | None = None
    date: str | None = None
    url: str | None = None
    status: str | None = None  # the cited document's status as of answer.as_of
    ocr: bool = False  # quoted from text read by OCR: may hold recognition errors


@dataclass(frozen=True)
class SourceGroup:
    """The citations of one document, for a compact "Sources" block."""

    doc_id: str
    title: str
    source: str
    numbers: tuple[int, ...]
    date: str | None = None
    url: str | None = None
    pages: tuple[int, ...] = ()
    sections: tuple[str, ...] = ()
    status: str | None = None
    ocr: bool = False  # some cited text was read by OCR


@dataclass
class Answer:
    """The outcome of one question: answer text with ``[n]`` markers, or a refusal."""

    question: str
    text: str
    refused: bool
    language: str  # "vi" or "en": the language of the fixed phrases of the reply
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    refusal_reason: str | None = None  # machine-readable: empty, off_topic, unknown_document, ...
    subject: str | None = None  # what the question was about, for follow-ups
    answerer: str = "extractive"  # "llm" when the shown sentences were generated and verified
    dropped_sentences: int = 0  # generated sentences that failed verification and were not shown
    fallback: str | None = None  # why the extractive answer took over: timeout, http_500, ...

    def to_dict(self) -> dict[str, Any]:
        """Return the answer as the JSON object printed by `policybot ask --json`."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "language": self.language,
            "citations": [
                {
                    "n": c.n,
                    "chunk_id": c.chunk_id,
                    "doc_id": c.doc_id,
                    "source": c.source,
                    "title": c.title,
                    "page": c.page,
                    "section": c.section,
                    "quote": c.quote,
                    "score": c.score,
                    "status": c.status,
                    "ocr": c.ocr,
                }
                for c in self.citations
            ],
            "retrieved": [
                {
                    "chunk_id": p.chunk_id,
                    "doc_id": p.doc_id,
                    "source": p.source,
                    "text": p.text,
                    "score": round(p.score, 6),
                }
                for p in self.retrieved
            ],
            "timings_ms": {
                key: self.timings_ms.get(key, 0.0) for key in ("retrieve", "answer", "total")
            },
            "answerer": self.answerer,
            "dropped_sentences": self.dropped_sentences,
            "fallback": self.fallback,
        }

    def sources(self) -> list[SourceGroup]:
        """Group the citations per document, in order of first use."""
        groups: dict[str, list[Citation]] = {}
        for citation in self.citations:
            groups.setdefault(citation.doc_id, []).append(citation)
        result = []
        for doc_id, cited in groups.items():
            first = cited[0]
            pages = tuple(sorted({c.page for c in cited if c.page is not None}))
            sections = tuple(dict.fromkeys(c.section for c in cited if c.section))
            result.append(
                SourceGroup(
                    doc_id=doc_id,
                    title=first.title,
                    source=first.source,
                    numbers=tuple(c.n for c in cited),
                    date=first.date,
                    url=first.url,
                    pages=pages,
                    sections=sections,
                    status=first.status,
                    ocr=any(c.ocr for c in cited),
                )
            )
        return result


class Refusal(str):
    """The text of a refusal, knowing its machine-readable reason (other_year, not_found, ...)."""

    reason: str

    def __new__(cls, text: str, reason: str) -> Refusal:  # noqa: D102
        refusal = super().__new__(cls, text)
        refusal.reason = reason
        return refusal

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]  # copied with reason
        return str(self), self.reason


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation, passed back as history for follow-ups."""

    question: str
    answer: Answer


class Answerer(Protocol):
    """Anything that answers a question from the indexed documents."""

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer ``question``, using ``history`` (oldest first) to resolve follow-ups."""
        ...


@runtime_checkable
class StreamingAnswerer(Answerer, Protocol):
    """An answerer that can report verified sentences while the answer is being made."""

    def answer_streaming(
        self, question: str, history: Sequence[Turn], on_text: Callable[[str], None]
    ) -> Answer:
        """Answer like ``answer``, calling ``on_text`` with the verified answer text so far."""
        ...
