"""Typed values that flow through ingestion: loaded blocks, cleaned documents, chunk drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# Sidecar keys about validity, read by ingest.validity (lists are passed on joined by "; ").
VALIDITY_KEYS = (
    "number", "effective_date", "expires", "replaces", "replaced_by", "amends", "repeals",
    "guides", "status",
)  # fmt: skip


class LoadError(Exception):
    """A file that cannot be turned into text; the message is the one-line reason."""


class FormatMismatch(LoadError):
    """The content is not in the format the file's extension names (a renamed or forged file)."""

    def __init__(self, expected: str, actual: str) -> None:
        # ``actual`` is a format name (PDF, ZIP, PNG...), or "text" / "binary" when none is known.
        described = {"text": "plain text", "binary": "unrecognised binary data"}.get(actual, actual)
        super().__init__(f"content is {described}, not {expected}")
        self.expected = expected
        self.actual = actual


class ArchiveTooLarge(LoadError):
    """A DOCX whose members would unpack beyond the limit: a zip bomb, or not a document."""

    def __init__(self, unpacked: int, limit: int) -> None:
        super().__init__(
            f"DOCX would unpack to {unpacked / 2**20:,.0f} MiB, over the limit of "
            f"{limit / 2**20:,.0f} MiB (a zip bomb?)"
        )
        self.unpacked = unpacked
        self.limit = limit


@dataclass(frozen=True)
class Block:
    """One structural unit of a document as the loader found it: a heading or a paragraph."""

    text: str
    kind: Literal["heading", "paragraph"] = "paragraph"
    page: int | None = None
    section: str | None = None
    ocr: bool = False  # read by OCR from a page image: may hold recognition errors
    # In a legal text: the article ("32") and clause ("2") the block belongs to.
    article: str | None = None
    clause: str | None = None


@dataclass
class LoadedDocument:
    """The raw text of one file, in reading order, plus metadata the format itself carries."""

    path: Path
    blocks: list[Block]
    # Fields the format states outright (HTML <title>/canonical link/meta tags, PDF info,
    # DOCX core properties): keys among title, url, date, author, issuer, language.
    format_metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class CleanDocument:
    """A document with debris removed and its metadata extracted, ready for chunking.

    ``text`` is the blocks joined with blank lines; chunk offsets index into it.
    """

    title: str
    blocks: list[Block]
    text: str
    language: Literal["en", "vi"]
    date: str | None = None  # ISO 8601 (YYYY-MM-DD, or YYYY-MM / YYYY when that is all it says)
    author: str | None = None
    url: str | None = None
    issuer: str | None = None
    document_numbers: list[str] = field(default_factory=list)  # canonical keys, first mention first
    # An official document's own type ("Nghị định"), canonical number and signer.
    doc_type: str | None = None
    number: str | None = None
    signer: str | None = None
    legal: bool = False  # laid out in articles: chunks follow articles and clauses
    # (start, end) offsets into ``text`` of each block, parallel to ``blocks``.
    block_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class ChunkDraft:
    """A chunk body before it gets an id: ``text == document.text[start:end]``."""

    text: str
    start: int
    end: int
    position: int
    page: int | None = None
    section: str | None = None
    article: str | None = None
    # The clauses in the chunk and where each begins, relative to ``start``.
    clause_starts: tuple[tuple[str, int], ...] = ()
