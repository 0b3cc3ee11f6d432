"""Documents added to the corpus by sending them to the bot, and removed again.

An upload is checked before anything is written: a supported extension, content in the format the
extension names, a DOCX that does not unpack past the loader's limit, and content not indexed
already. It is then saved under a sanitised name in the upload folder (part of the corpus) and
that folder is ingested incrementally; a file that fails ingestion is deleted again, so the folder
only ever holds indexed documents.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ingest.loaders import check_docx_archive, check_format
from ingest.model import ArchiveTooLarge, FormatMismatch, LoadError
from ingest.settings import SUPPORTED_SUFFIXES
from vectorstore.model import DocumentInfo
from vectorstore.text import nfc

if TYPE_CHECKING:
    from bot.services import Services

RefusalReason = Literal["type", "too_big", "content", "unpacked", "duplicate", "unreadable"]

# Of the stem, in UTF-8: file systems allow 255 bytes per name, a Vietnamese letter takes up to 3,
# and " (2)" and the extension must still fit.
MAX_STEM_BYTES = 200
DEFAULT_STEM = "document"

_PATH_SEPARATORS = re.compile(r"[/\\]")
# Letters of any script, digits, spaces and a few harmless marks; anything else becomes "_".
_UNSAFE = re.compile(r"[^\w\s.,()\[\]+-]")
# A leading dot hides a file and "~$" marks an Office lock file: the corpus skips both.
_HIDDEN_PREFIX = re.compile(r"^[\s.~$_-]+")


class UploadRefused(Exception):
    """An upload that is not added; ``reason`` and ``values`` let the caller say why."""

    def __init__(self, reason: RefusalReason, **values: str) -> None:
        super().__init__(f"{reason}: {values}")
        self.reason = reason
        self.values = values


@dataclass(frozen=True)
class IndexedUpload:
    """A document saved in the upload folder and indexed."""

    name: str  # its file name in the upload folder
    document: DocumentInfo
    articles: int  # articles (Điều) of a legal text; 0 for other documents


def safe_name(raw: str) -> str:
    """Return a file name that stays in the upload folder and that the corpus will ingest.

    Any path is dropped (``../../etc/x.pdf`` → ``x.pdf``), the name is put in NFC (clients on
    macOS send decomposed Vietnamese), control and unusual characters are replaced, and a
    leading dot or ``~$`` is removed. Raises UploadRefused when the extension is not supported.
    """
    name = nfc(raw)
    name = _PATH_SEPARATORS.split(name)[-1]
    name = "".join(char if char.isprintable() else " " for char in name)
    name = " ".join(_UNSAFE.sub("_", name).split())
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadRefused("type", name=name or raw)
    stem = _HIDDEN_PREFIX.sub("", stem).encode()[:MAX_STEM_BYTES].decode("utf-8", "ignore")
    stem = stem.rstrip(" .") or DEFAULT_STEM
    return f"{stem}{suffix}"


@dataclass
class UploadFolder:
    """The upload folder of a running policybot: add, list and remove uploaded documents."""

    services: Services
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    @property
    def folder(self) -> Path:
        """Where uploaded documents are kept."""
        return self.services.settings.telegram.upload_dir

    def add(self, filename: str, data: bytes) -> IndexedUpload:
        """Check, save and index one uploaded file; raise UploadRefused saying why not."""
        name = safe_name(filename)
        suffix = Path(name).suffix
        try:
            check_format(data, suffix)
            if suffix == ".docx":
                check_docx_archive(data)
        except FormatMismatch as exc:
            raise UploadRefused(
                "content", name=name, expected=exc.expected, actual=exc.actual
            ) from exc
        except ArchiveTooLarge as exc:
            raise UploadRefused(
                "unpacked", name=name, unpacked=_mib(exc.unpacked), limit=_mib(exc.limit)
            ) from exc
        except LoadError as exc:
            raise UploadRefused("unreadable", name=name, problem=str(exc)) from exc
        # One upload or removal at a time: the duplicate check and the name chosen must still
        # hold when the folder is ingested.
        with self._lock:
            doc_id = self.services.ingestor.document_id(data)
            known = next((d for d in self.services.documents() if d.doc_id == doc_id), None)
            if known is not None:
                raise UploadRefused("duplicate", name=name, title=known.title or known.source)
            path = self._save(name, data)
            try:
                summary = self.services.ingest([self.folder])
            except BaseException:
                path.unlink(missing_ok=True)
                raise
            reason = next((r for p, r in summary.failed if Path(p) == path), None)
            document = next(
                (d for d in self.services.documents() if Path(d.source) == path), None
            )
            if document is None:
                path.unlink(missing_ok=True)
                raise UploadRefused(
                    "unreadable", name=path.name,
                    problem=reason or "not ingested: corpus.include does not match its name",
                )
        passages = self.services.store.document_passages(document.doc_id)
        articles = len({passage.article for passage in passages if passage.article})
        return IndexedUpload(path.name, document, articles)

    def uploaded(self) -> list[DocumentInfo]:
        """Return the indexed documents whose file is in the upload folder."""
        folder = self.folder.resolve()
        return [
            document for document in self.services.documents()
            if Path(document.source).is_relative_to(folder)
        ]

    def remove(self, doc_id: str) -> DocumentInfo | None:
        """Delete an uploaded document's file and its chunks; None if it is not uploaded."""
        with self._lock:
            document = next((d for d in self.uploaded() if d.doc_id == doc_id), None)
            if document is None:
                return None
            Path(document.source).unlink(missing_ok=True)
            # Incremental ingestion removes the chunks of a file that is gone.
            self.services.ingest([self.folder])
        return document

    def _save(self, name: str, data: bytes) -> Path:
        """Write ``data`` under ``name`` (or ``name (2)``...) atomically; return the path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stem, suffix = Path(name).stem, Path(name).suffix
        path = self.folder / name
        copy = 1
        while path.exists():
            copy += 1
            path = self.folder / f"{stem} ({copy}){suffix}"
        # Written under a hidden name first, so an ingestion running meanwhile never reads half.
        handle, temporary = tempfile.mkstemp(prefix=".upload-", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return path.resolve()


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f}"
