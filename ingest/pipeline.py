"""Incremental, idempotent ingestion of a folder of documents into the store.

A document is identified by the hash of its bytes (and of its sidecar metadata), so an unchanged
file is recognised wherever it lives: re-running re-embeds nothing, a renamed or moved file only
has its chunks' source updated, a changed file has exactly its chunks replaced, and a deleted file
has its chunks removed. Chunk ids are content hashes; chunks already in the store are never
embedded again, which is also how a run killed mid-way is repaired cheaply by the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.chunking import chunk_document
from ingest.clean import clean_document, read_sidecar, sidecar_paths
from ingest.loaders import load_document
from ingest.manifest import Manifest, ManifestEntry
from ingest.model import ChunkDraft, CleanDocument, LoadError
from ingest.settings import ChunkingSettings, CorpusSettings
from ingest.validity import Validity, extract_validity
from vectorstore.embeddings import Embedder
from vectorstore.legalref import SEPARATOR
from vectorstore.lexical import DerivedIndexes
from vectorstore.store import ChromaStore
from vectorstore.text import find_document_numbers

logger = logging.getLogger(__name__)

PIPELINE_VERSION = 5  # 5: legal texts chunked by article and clause; validity facts on chunks
HEADER_LABELS = {
    "en": {"date": "Date", "author": "Author", "url": "Source"},
    "vi": {"date": "Ngày", "author": "Tác giả", "url": "Nguồn"},
}


class IngestError(Exception):
    """Ingestion cannot start (missing corpus path, unusable store); one-line message."""


@dataclass
class ChunkRecord:
    """A chunk ready for the store."""

    chunk_id: str
    text: str
    metadata: dict[str, str | int | float | bool]


@dataclass
class PreparedDocument:
    """A document loaded, cleaned and chunked, waiting to be written."""

    doc_id: str
    path: Path
    paths: list[str]
    size: int
    title: str
    chunks: list[ChunkRecord]
    replaces: str | None  # doc_id of the version it replaces, if any


@dataclass
class IngestSummary:
    """What one ingestion run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    renamed: int = 0
    repaired: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_deleted: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Return whether every file was ingested."""
        return not self.failed

    def format(self) -> str:
        """Return a human summary: one line of counts, then one line per failed file."""
        counts = (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed, {len(self.failed)} failed"
        )
        if self.renamed:
            counts += f" ({self.renamed} renamed or moved)"
        if self.repaired:
            counts += f" ({self.repaired} repaired after an interrupted run)"
        lines = [
            f"{counts}; {self.chunks_embedded} chunks embedded, {self.chunks_deleted} deleted "
            f"in {self.seconds:.1f} s"
        ]
        lines.extend(f"failed: {path}: {reason}" for path, reason in self.failed)
        return "\n".join(lines)


@dataclass
class _Candidate:
    doc_id: str
    paths: list[Path]
    size: int


class Ingestor:
    """Brings a store in line with a set of document folders."""

    def __init__(
        self,
        corpus: CorpusSettings,
        chunking: ChunkingSettings,
        store: ChromaStore,
        embedder: Embedder,
        *,
        batch_chunks: int = 512,
    ) -> None:
        self.corpus = corpus
        self.chunking = chunking
        self.store = store
        self.embedder = embedder
        self.batch_chunks = batch_chunks
        self.manifest_path = DerivedIndexes.folder_for(store).with_suffix(".manifest.json")
        self.signature = {
            "pipeline": PIPELINE_VERSION,
            "embedding_model": embedder.name,
            "chunking": chunking.model_dump(),
        }

    def run(
        self,
        paths: Sequence[Path] | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> IngestSummary:
        """Ingest ``paths`` (default: the configured corpus paths) and return what was done.

        ``progress`` is called with (chunks embedded so far, chunks to embed in total).
        """
        started = time.perf_counter()
        roots = [path.resolve() for path in (paths or self.corpus.paths)]
        for root in roots:
            if not root.exists():
                raise IngestError(f"corpus path not found: {root}")
        with _exclusive(self.manifest_path.with_suffix(".lock")):
            summary = self._run(roots, progress)
        summary.seconds = time.perf_counter() - started
        return summary

    def _run(
        self, roots: list[Path], progress: Callable[[int, int], None] | None
    ) -> IngestSummary:
        summary = IngestSummary()
        manifest = Manifest.load(self.manifest_path)
        if manifest.signature != self.signature:
            # The signature is part of every document id, so each scanned file now gets a new id
            # and replaces its old version; documents outside this run's folders stay as they are.
            if manifest.entries:
                logger.info("chunking or embedding settings changed: scanned documents are redone")
            manifest.signature = self.signature

        stored_ids = self.store.all_ids()
        candidates, failures = self._scan(roots)
        summary.failed.extend(failures)
        plan = _Plan(manifest, stored_ids, candidates, roots)

        summary.unchanged = len(plan.unchanged)
        self._apply_renames(plan, manifest, summary)
        self._write_documents(plan, manifest, summary, progress)

        # Documents gone from disk: remove their chunks.
        for doc_id in plan.removed:
            entry = manifest.entries.pop(doc_id)
            self.store.delete(entry.chunk_ids)
            summary.chunks_deleted += len(entry.chunk_ids)
            summary.removed += 1
        manifest.save(self.manifest_path)

        # Anything the manifest does not vouch for is left over from an interrupted or older run.
        orphans = sorted(self.store.all_ids() - manifest.expected_chunk_ids())
        if orphans:
            logger.info("deleting %d chunks that no indexed document owns", len(orphans))
            self.store.delete(orphans)
            summary.chunks_deleted += len(orphans)

        DerivedIndexes.load_or_build(self.store)
        return summary

    # --- planning -------------------------------------------------------------------------

    def _scan(self, roots: list[Path]) -> tuple[dict[str, _Candidate], list[tuple[str, str]]]:
        candidates: dict[str, _Candidate] = {}
        failures: list[tuple[str, str]] = []
        for path in self._files(roots):
            try:
                data = path.read_bytes()
                sidecars = b"".join(p.read_bytes() for p in sidecar_paths(path) if p.is_file())
            except OSError as exc:
                failures.append((str(path), f"cannot read: {exc.strerror or exc}"))
                continue
            doc_id = self.document_id(data, sidecars)
            candidate = candidates.get(doc_id)
            if candidate is None:
                candidates[doc_id] = _Candidate(doc_id, [path], len(data))
            else:
                candidate.paths.append(path)
        return candidates, failures

    def document_id(self, data: bytes, sidecars: bytes = b"") -> str:
        """Return the id a file with these bytes (and sidecar bytes) is indexed under."""
        digest = hashlib.sha256()
        digest.update(repr(self.signature).encode())
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
        digest.update(sidecars)
        return digest.hexdigest()[:24]

    def _files(self, roots: list[Path]) -> Iterator[Path]:
        seen: set[Path] = set()
        for root in roots:
            files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
            for path in files:
                if path in seen or not self._wanted(path, explicit=path == root):
                    continue
                seen.add(path)
                yield path

    def _wanted(self, path: Path, *, explicit: bool) -> bool:
        name = path.name
        if any(fnmatch.fnmatch(name, pattern) for pattern in self.corpus.exclude):
            return False
        if any(part.startswith(".") for part in path.parts[-2:-1]):
            return False
        if explicit:
            return True  # a file named on the command line is tried; it fails loudly if unsupported
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.corpus.include)

    # --- writing --------------------------------------------------------------------------

    def _apply_renames(self, plan: _Plan, manifest: Manifest, summary: IngestSummary) -> None:
        for doc_id, paths in plan.moved.items():
            entry = manifest.entries[doc_id]
            entry.paths = paths
            if entry.source not in paths:  # the cited file moved: point its chunks at the new one
                entry.source = paths[0]
                self.store.update_metadata(
                    entry.chunk_ids, [{"source": entry.source}] * len(entry.chunk_ids)
                )
                summary.renamed += 1
        if plan.moved:
            manifest.save(self.manifest_path)

    def _write_documents(
        self,
        plan: _Plan,
        manifest: Manifest,
        summary: IngestSummary,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        pending: list[PreparedDocument] = []
        pending_chunks = 0
        total = 0
        done = 0

        def flush() -> None:
            nonlocal pending, pending_chunks, done
            done += self._commit(pending, manifest, summary, plan, lambda n: report(n))
            pending, pending_chunks = [], 0

        def report(count: int) -> None:
            if progress is not None:
                progress(done + count, max(total, done + count))

        for candidate in plan.to_write:
            prepared, failure = self._prepare(candidate, plan.replaces.get(candidate.doc_id))
            if failure is not None:
                summary.failed.append(failure)
                continue
            assert prepared is not None
            pending.append(prepared)
            pending_chunks += len(prepared.chunks)
            total += sum(1 for c in prepared.chunks if c.chunk_id not in plan.stored_ids)
            if pending_chunks >= self.batch_chunks:
                flush()
        flush()

    def _prepare(
        self, candidate: _Candidate, replaces: str | None
    ) -> tuple[PreparedDocument | None, tuple[str, str] | None]:
        path = candidate.paths[0]
        try:
            loaded = load_document(path, ocr=self.corpus.ocr)
            sidecar = read_sidecar(path)
            document = clean_document(loaded, sidecar)
            validity = extract_validity(
                document.title, document.text, issued=document.date, sidecar=sidecar,
                header_number=document.number, legal_text=document.legal,
            )
        except LoadError as exc:
            return None, (str(path), str(exc))
        except Exception as exc:  # a loader bug must not lose the rest of the corpus
            logger.exception("unexpected failure while reading %s", path)
            return None, (str(path), f"unexpected error: {type(exc).__name__}: {exc}")
        chunks = build_chunk_records(
            candidate.doc_id, str(path), document, self.chunking, validity
        )
        if not chunks:
            return None, (str(path), "no text left after cleaning")
        return PreparedDocument(
            doc_id=candidate.doc_id,
            path=path,
            paths=[str(p) for p in candidate.paths],
            size=candidate.size,
            title=document.title,
            chunks=chunks,
            replaces=replaces,
        ), None

    def _commit(
        self,
        batch: list[PreparedDocument],
        manifest: Manifest,
        summary: IngestSummary,
        plan: _Plan,
        report: Callable[[int], None],
    ) -> int:
        if not batch:
            return 0
        records = [chunk for document in batch for chunk in document.chunks]
        missing = [r for r in records if r.chunk_id not in plan.stored_ids]
        vectors = self.embedder.embed([r.text for r in missing], progress=_counter(report))
        self.store.upsert(
            [r.chunk_id for r in missing],
            [r.text for r in missing],
            vectors,
            [r.metadata for r in missing],
        )
        # Chunks that were already stored (an interrupted run) may carry an outdated source.
        present = [r for r in records if r.chunk_id in plan.stored_ids]
        self.store.update_metadata([r.chunk_id for r in present], [r.metadata for r in present])
        summary.chunks_embedded += len(missing)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for document in batch:
            if document.replaces == document.doc_id:
                summary.repaired += 1
            elif document.replaces is not None:
                old = manifest.entries.pop(document.replaces, None)
                if old is not None:
                    new_ids = {c.chunk_id for c in document.chunks}
                    obsolete = [c for c in old.chunk_ids if c not in new_ids]
                    self.store.delete(obsolete)
                    summary.chunks_deleted += len(obsolete)
                summary.updated += 1
            else:
                summary.added += 1
            manifest.entries[document.doc_id] = ManifestEntry(
                doc_id=document.doc_id,
                source=str(document.path),
                paths=document.paths,
                chunk_ids=[c.chunk_id for c in document.chunks],
                title=document.title,
                size=document.size,
                indexed_at=now,
            )
        manifest.save(self.manifest_path)
        logger.info("committed %d documents (%d chunks)", len(batch), len(records))
        return len(missing)


class _Plan:
    """What a run has to do, from the manifest, the store's ids and the files on disk."""

    def __init__(
        self,
        manifest: Manifest,
        stored_ids: set[str],
        candidates: dict[str, _Candidate],
        roots: list[Path],
    ) -> None:
        self.stored_ids = stored_ids
        self.unchanged: list[str] = []
        self.moved: dict[str, list[str]] = {}  # doc_id -> the paths that now hold it
        self.to_write: list[_Candidate] = []
        self.replaces: dict[str, str] = {}
        previous_by_path = manifest.by_path()

        def outside(paths: list[str]) -> list[str]:
            """The recorded paths this run did not scan: they are kept as they are."""
            return [p for p in paths if not _within(Path(p), roots)]

        for doc_id, candidate in candidates.items():
            entry = manifest.entries.get(doc_id)
            if entry is not None and set(entry.chunk_ids) <= stored_ids:
                self.unchanged.append(doc_id)
                paths = [str(p) for p in candidate.paths] + outside(entry.paths)
                if paths != entry.paths:
                    self.moved[doc_id] = paths
                continue
            self.to_write.append(candidate)
            for path in candidate.paths:
                previous = previous_by_path.get(str(path))
                # New content at a recorded path replaces what was recorded there, unless that
                # content still lives at another path (a renamed file, or one of two copies).
                if previous is not None and previous != doc_id and previous not in candidates:
                    self.replaces[doc_id] = previous
                    break
            else:
                if entry is not None:  # in the manifest but some chunks are missing: repair
                    self.replaces[doc_id] = doc_id

        # A recorded document that no scanned file holds any more is removed, unless a path
        # outside this run's folders still holds it (then only its scanned paths are dropped)
        # or its file is still there but could not be read (nothing is lost).
        replaced = set(self.replaces.values())
        failed_paths = {str(p) for p in _failed_paths(manifest, candidates, roots)}
        self.removed: list[str] = []
        for doc_id, entry in manifest.entries.items():
            if doc_id in candidates or doc_id in replaced:
                continue
            if any(p in failed_paths for p in entry.paths):
                continue
            kept = outside(entry.paths)
            if not kept:
                self.removed.append(doc_id)
            elif kept != entry.paths:
                self.moved[doc_id] = kept


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path``: one ingestion per collection at a time.

    Two runs (a `policybot ingest` and the bot's /reindex) writing the same manifest and sweeping
    each other's chunks as orphans would corrupt the index; the second one waits.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.warning("another ingestion of this collection is running; waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _within(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _failed_paths(
    manifest: Manifest, candidates: dict[str, _Candidate], roots: list[Path]
) -> Iterator[Path]:
    """Yield recorded paths that still exist on disk but were not read as candidates."""
    scanned = {p for candidate in candidates.values() for p in candidate.paths}
    for entry in manifest.entries.values():
        for raw in entry.paths:
            path = Path(raw)
            if path not in scanned and _within(path, roots) and path.exists():
                yield path


def _counter(report: Callable[[int], None]) -> Callable[[int], None]:
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        report(done)

    return advance


def chunk_header(document: CleanDocument, section: str | None = None) -> str:
    """Return the short header indexed with every chunk: title, then date, author and source.

    A chunk of a legal text has its structural path after the title, so that every part of an
    article is found by the article's number and title.
    """
    labels = HEADER_LABELS.get(document.language, HEADER_LABELS["en"])
    details = []
    if document.date:
        details.append(f"{labels['date']}: {document.date}")
    if document.author:
        details.append(f"{labels['author']}: {document.author}")
    if document.url:
        details.append(f"{labels['url']}: {document.url}")
    title = document.title
    if document.legal and section:
        title = f"{title}{SEPARATOR}{section}"
    lines = [title] + ([" | ".join(details)] if details else [])
    return "\n".join(line for line in lines if line)


def build_chunk_records(
    doc_id: str,
    source: str,
    document: CleanDocument,
    chunking: ChunkingSettings,
    validity: Validity | None = None,
) -> list[ChunkRecord]:
    """Chunk ``document`` and give every chunk its id, indexed text and metadata."""
    doc_numbers = "|".join(document.document_numbers)
    drafts = chunk_document(document, chunking)
    ocr_spans = [
        span for block, span in zip(document.blocks, document.block_spans, strict=True) if block.ocr
    ]
    records = []
    for draft in drafts:
        header = chunk_header(document, draft.section)
        prefix = f"{header}\n\n" if header else ""
        text = prefix + draft.text
        chunk_id = hashlib.sha256(
            f"{doc_id}\x00{draft.position}\x00{text}".encode()
        ).hexdigest()[:32]
        metadata: dict[str, Any] = {
            "doc_id": doc_id,
            "source": source,
            "title": document.title,
            "position": draft.position,
            "start": draft.start,
            "end": draft.end,
            "body_offset": len(prefix),
            "language": document.language,
            "document_numbers": "|".join(n.key for n in find_document_numbers(draft.text)),
            "doc_document_numbers": doc_numbers,
        }
        if any(start < draft.end and draft.start < end for start, end in ocr_spans):
            metadata["ocr"] = True  # only marked when true: most chunks never saw OCR
        optional = {
            "page": draft.page,
            "section": draft.section,
            "date": document.date,
            "url": document.url,
            "author": document.author,
            "issuer": document.issuer,
            "doc_type": document.doc_type,
            "number": document.number,
            "signer": document.signer,
            "article": draft.article,
            "clauses": "|".join(f"{clause}:{offset}" for clause, offset in draft.clause_starts)
            or None,
        }
        metadata.update({key: value for key, value in optional.items() if value is not None})
        records.append(ChunkRecord(chunk_id, text, metadata))
    if validity is not None:
        _add_validity(records, drafts, validity)
    return records


def _add_validity(records: list[ChunkRecord], drafts: list[ChunkDraft], validity: Validity) -> None:
    """Put the document's validity facts on every chunk; each clause names the chunk quoting it.

    Chroma metadata values are scalars, so the clauses travel as one JSON string.
    """
    clauses = []
    for statement in validity.statements:
        chunk_id = None
        if statement.start == -1 and records:  # stated by the title, which heads every chunk
            chunk_id = records[0].chunk_id
        elif statement.start >= 0:
            end = statement.start + len(statement.quote)
            chunk_id = next(
                (record.chunk_id for record, draft in zip(records, drafts, strict=True)
                 if draft.start <= statement.start and end <= draft.end),
                None,
            )
        clauses.append({
            "kind": statement.kind,
            "target": statement.target,
            "by": statement.by,
            "articles": list(statement.articles),
            "date": statement.date,
            "quote": statement.quote if chunk_id else "",
            "chunk_id": chunk_id,
        })
    facts = {
        "number": validity.number,
        "effective_date": validity.effective_date,
        "expires": validity.expires,
        "declared_status": validity.declared_status,
    }
    for record in records:
        record.metadata.update({key: value for key, value in facts.items() if value})
        if clauses:
            record.metadata["validity_clauses"] = json.dumps(clauses, ensure_ascii=False)
