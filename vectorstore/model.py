"""Typed values the store hands upward: retrieved passages and indexed-document summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vectorstore import legalref


@dataclass(frozen=True)
class Passage:
    """One indexed chunk as returned by a search, with the score that ranked it."""

    chunk_id: str
    doc_id: str
    source: str
    title: str
    text: str  # the indexed text: a short header (title, date, author) then the body
    score: float = 0.0
    page: int | None = None
    section: str | None = None
    position: int = 0
    start: int = 0  # offsets of the body in the cleaned document text
    end: int = 0
    body_offset: int = 0  # where the body starts in ``text``, after the header
    date: str | None = None
    url: str | None = None
    author: str | None = None
    language: str = "en"
    document_numbers: tuple[str, ...] = ()
    ocr: bool = False  # the body was read by OCR from a page image
    article: str | None = None  # in a legal text: the article the chunk belongs to
    clause_starts: tuple[tuple[str, int], ...] = ()  # its clauses and where each begins in the body

    @classmethod
    def from_record(
        cls, chunk_id: str, text: str, metadata: dict[str, Any], score: float = 0.0
    ) -> Passage:
        """Build a passage from a Chroma record (id, document, metadata)."""
        numbers = str(metadata.get("document_numbers") or "")
        return cls(
            chunk_id=chunk_id,
            doc_id=str(metadata.get("doc_id", "")),
            source=str(metadata.get("source", "")),
            title=str(metadata.get("title", "")),
            text=text,
            score=score,
            page=_optional_int(metadata.get("page")),
            section=_optional_str(metadata.get("section")),
            position=int(metadata.get("position", 0)),
            start=int(metadata.get("start", 0)),
            end=int(metadata.get("end", 0)),
            body_offset=int(metadata.get("body_offset", 0)),
            date=_optional_str(metadata.get("date")),
            url=_optional_str(metadata.get("url")),
            author=_optional_str(metadata.get("author")),
            language=str(metadata.get("language", "en")),
            document_numbers=tuple(n for n in numbers.split("|") if n),
            ocr=bool(metadata.get("ocr", False)),
            article=_optional_str(metadata.get("article")),
            clause_starts=legalref.parse_clause_starts(str(metadata.get("clauses") or "")),
        )

    def section_at(self, offset: int) -> str | None:
        """Return the section of the text at ``offset`` of ``text``: down to its clause if legal."""
        return legalref.section_at(
            self.section, self.clause_starts, offset - self.body_offset, self.language
        )

    def with_score(self, score: float) -> Passage:
        """Return a copy of this passage carrying ``score``."""
        return _replace(self, score=score)


@dataclass(frozen=True)
class ValidityClause:
    """A sentence in which a document states its own dates or its relation to another document."""

    kind: str  # effective | expires | replaces | amends | repeals | guides
    target: str | None = None  # canonical number of the document acted on (relations)
    by: str | None = None  # canonical number of the acting document when it is not this one
    articles: tuple[str, ...] = ()  # "5", "7a": the articles amended or repealed
    date: str | None = None  # ISO: the effective date, or the last day in force (expires)
    quote: str = ""  # the clause as it stands in the chunk text
    chunk_id: str | None = None  # the chunk that holds ``quote``

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ValidityClause:
        """Build a clause from its JSON form (lists for tuples)."""
        return cls(**{**values, "articles": tuple(values.get("articles") or ())})


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed document, as listed by ``policybot sources`` and the bot's /sources."""

    doc_id: str
    source: str
    title: str
    chunk_count: int
    date: str | None = None
    url: str | None = None
    author: str | None = None
    issuer: str | None = None
    language: str = "en"
    document_numbers: list[str] = field(default_factory=list)  # every number it mentions
    doc_type: str | None = None  # "Nghị định", "Luật", "Decree"
    number: str | None = None  # its own number, canonical (06/2014/ND-CP)
    signer: str | None = None
    # Validity as stated (or set in the sidecar); the status as of a date is derived from these
    # across the catalogue by vectorstore.validity, never stored.
    effective_date: str | None = None
    expires: str | None = None  # the last day in force
    declared_status: str | None = None  # set in the sidecar; wins over the derived status
    clauses: tuple[ValidityClause, ...] = ()

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> DocumentInfo:
        """Build a document summary from its JSON form (as persisted with the catalogue)."""
        clauses = tuple(ValidityClause.from_dict(c) for c in values.get("clauses") or ())
        return cls(**{**values, "clauses": clauses})


def _optional_int(value: Any) -> int | None:
    if value is None or value == "" or value == -1:
        return None
    return int(value)


def _optional_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _replace(passage: Passage, **changes: Any) -> Passage:
    from dataclasses import replace

    return replace(passage, **changes)
