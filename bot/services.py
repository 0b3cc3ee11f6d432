"""Composition root: builds the embedder, store, indexes, retriever, answerer and ingestor once."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.config import AppSettings
from ingest.pipeline import IngestError, Ingestor, IngestSummary
from vectorstore.embeddings import Embedder, LazyEmbedder
from vectorstore.lexical import DerivedIndexes
from vectorstore.model import DocumentInfo
from vectorstore.retrieval import HybridSearcher
from vectorstore.store import ChromaStore

logger = logging.getLogger(__name__)

REVISION_CHECK_SECONDS = 2.0
COMMIT_BATCHES = 8


class Services:
    """The parts of a running policybot, each created on first use and then shared."""

    def __init__(self, settings: AppSettings) -> None:
        self.settings = settings
        self._rebuild_lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        self._indexes: DerivedIndexes | None = None
        self._checked_at = 0.0

    @functools.cached_property
    def embedder(self) -> Embedder:
        """The embedding model, loaded once by the first call that embeds."""
        return LazyEmbedder(self.settings.embedding)

    @functools.cached_property
    def store(self) -> ChromaStore:
        """The Chroma collection."""
        # The model's name, not the loaded model: listing sources must not load it.
        return ChromaStore(self.settings.store, embedding_model=self.settings.embedding.model)

    @property
    def indexes(self) -> DerivedIndexes:
        """The lexical index and catalogue, reloaded when the store has changed.

        Another process (a `policybot ingest` while the bot runs) may change the store, so its
        revision is checked again after at most REVISION_CHECK_SECONDS. While an index is being
        rebuilt, or this process is ingesting, questions are answered from the current one.
        """
        current = self._indexes
        if current is not None and (
            time.monotonic() - self._checked_at <= REVISION_CHECK_SECONDS
            or self._ingest_lock.locked()
        ):
            return current
        if not self._rebuild_lock.acquire(blocking=current is None):
            assert current is not None
            return current
        try:
            current = self._indexes
            if current is None or current.revision != self.store.revision():
                current = DerivedIndexes.load_or_build(self.store)
                self._indexes = current
            self._checked_at = time.monotonic()
            return current
        finally:
            self._rebuild_lock.release()

    @functools.cached_property
    def searcher(self) -> HybridSearcher:
        """Dense + lexical search over the store."""
        return HybridSearcher(
            self.store, self.embedder, lambda: self.indexes, self.settings.retrieval
        )

    @functools.cached_property
    def ingestor(self) -> Ingestor:
        """The incremental ingestion pipeline writing into the store."""
        # Commit (embed, write, record in the manifest) every few embedding batches: large enough
        # to keep the model busy, small enough that a killed run loses little work.
        return Ingestor(
            self.settings.corpus, self.settings.chunking, self.store, self.embedder,
            batch_chunks=self.settings.embedding.batch_size * COMMIT_BATCHES,
        )

    def ingest(
        self,
        paths: Sequence[Path] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> IngestSummary:
        """Run incremental ingestion over ``paths`` (default: the corpus and the upload folder).

        One run at a time: a /reindex from the bot and another must not interleave their writes.
        """
        with self._ingest_lock:
            summary = self.ingestor.run(paths or self.corpus_paths(), progress=progress)
            # The run left the indexes built and persisted for the final revision: load them.
            self._indexes = DerivedIndexes.load_or_build(self.store)
            self._checked_at = time.monotonic()
        return summary

    def corpus_paths(self) -> list[Path]:
        """Return the configured corpus paths and the upload folder, which is always part of it.

        The upload folder is created when missing: left out instead, the documents once uploaded
        into it would stay indexed after the folder was deleted.
        """
        upload_dir = self.settings.telegram.upload_dir
        try:
            upload_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IngestError(
                f"cannot create the upload folder {upload_dir}: {exc.strerror or exc}"
            ) from exc
        return [*self.settings.corpus.paths, upload_dir]

    def documents(self) -> list[DocumentInfo]:
        """Return every indexed document."""
        return list(self.indexes.catalog)

    def reindex(self) -> str:
        """Re-run incremental ingestion over the configured corpus; return its summary."""
        return self.ingest().format()
