"""The Chroma adapter: chunks with their embeddings, text and metadata, one collection per language.

Embeddings are always computed by our own embedder and passed in; Chroma's default embedding
function (which would download a model) is never used. Every write first stamps the collection
with a fresh revision, so anything derived from the store (the lexical index, the document
catalogue) can tell cheaply whether it is still in step, even after a run was killed mid-way; it
is stamped again after the write, so an index built while the write ran is never taken as current.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from vectorstore.model import Passage
from vectorstore.settings import StoreSettings
from vectorstore.text import one_line

logger = logging.getLogger(__name__)

Metadata = Mapping[str, str | int | float | bool]

_PAGE = 2000  # records fetched per request when scanning the whole collection
# The language collections are read side by side: a question's searches of its two languages
# take the time of one, not of both. Shared by every store of the process.
_READERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="store-read")
_T = TypeVar("_T")
_R = TypeVar("_R")


def collection_name(base: str, embedding_model: str) -> str:
    """Return the collection of ``base`` for one embedding model: one collection per model.

    Vectors of two models never share a collection, so changing ``embedding.model`` starts (or
    reopens) that model's own collection and never needs the old one rebuilt. The name is the
    base, the model's short name and a digest of its full name, within Chroma's 63 characters.
    """
    last = embedding_model.rstrip("/").rsplit("/", 1)[-1].split(":")[-1]
    short = re.sub(r"[^a-z0-9]+", "-", last.lower())
    digest = hashlib.blake2b(embedding_model.encode(), digest_size=3).hexdigest()
    suffix = f"{short.strip('-')[:24]}-{digest}".lstrip("-")
    return f"{base[: 62 - len(suffix)]}.{suffix}"


class StoreError(Exception):
    """The store cannot be opened or used; the message says why in one line."""


class ChromaStore:
    """The chunks of one embedding model in Chroma, embedded (PersistentClient) or over http.

    Each language's chunks have a collection of their own (``<name>.en``, ``<name>.vi``), and
    the collection ``<name>`` holds no chunk, only the embedding model and the revision stamp.
    A multilingual model still scores any passage in the question's own language above the
    right one in the other language, so each language is searched on its own; Chroma's filtered
    query (``where={"language": ...}``) does that slowly at scale (0.1-0.5 s at 100k chunks,
    measured) and, over 100k chunks, returned nothing at all for the smaller language, while a
    collection of its own is searched in milliseconds.
    """

    def __init__(self, settings: StoreSettings, *, embedding_model: str) -> None:
        self.settings = settings
        self.embedding_model = embedding_model
        self.name = collection_name(settings.collection, embedding_model)
        self.client = _open_client(settings)
        try:
            self.collection = self._open(self.name)
        except Exception as exc:
            raise StoreError(
                f"store: cannot open collection {self.name!r}: {one_line(exc)}"
            ) from exc
        stored_model = (self.collection.metadata or {}).get("embedding_model")
        if stored_model is None:
            self._new_revision()
        elif stored_model != embedding_model:
            raise StoreError(
                f"store: collection {self.name!r} was built with embedding model "
                f"{stored_model!r}, not {embedding_model!r}; use another collection or "
                "delete it and ingest again"
            )
        self.max_batch_size = int(self.client.get_max_batch_size())
        self.partitions: dict[str, Any] = {}
        self._find_partitions()
        if self.collection.count():
            self._split_by_language()

    def _open(self, name: str) -> Any:
        ef = self.settings.search_ef
        collection = self.client.get_or_create_collection(
            name, embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_search": ef}},
        )
        # A collection made before (or with another setting) is searched as configured now.
        hnsw = (collection.configuration_json or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != ef:
            collection.modify(configuration={"hnsw": {"ef_search": ef}})
        return collection

    def _find_partitions(self) -> None:
        """Open the language collections that exist (another process may have added one)."""
        prefix = f"{self.name}."
        for listed in self.client.list_collections():
            name = listed if isinstance(listed, str) else listed.name
            language = name[len(prefix):]
            if name.startswith(prefix) and language not in self.partitions:
                self.partitions[language] = self._open(name)

    def _partition(self, language: str) -> Any:
        if language not in self.partitions:
            self.partitions[language] = self._open(f"{self.name}.{language}")
        return self.partitions[language]

    def _split_by_language(self) -> None:
        """Move the chunks of a store written before the split into their language's collection."""
        logger.info("store: moving the chunks of %s into one collection per language", self.name)
        while True:
            page = self.collection.get(
                include=["documents", "metadatas", "embeddings"], limit=_PAGE
            )
            if not page["ids"]:
                return
            self.upsert(page["ids"], page["documents"] or [],
                        np.asarray(page["embeddings"], dtype=np.float32),
                        [dict(m or {}) for m in page["metadatas"] or []])
            self.collection.delete(ids=page["ids"])

    @property
    def location(self) -> str:
        """Where the store lives, for messages."""
        if self.settings.mode == "http":
            return f"http://{self.settings.host}:{self.settings.port}/{self.name}"
        return f"{self.settings.path / 'chroma'}:{self.name}"

    @property
    def languages(self) -> list[str]:
        """The languages of the chunks stored, in a stable order."""
        return sorted(self.partitions)

    # --- revisions ------------------------------------------------------------------------

    def revision(self) -> str:
        """Return the collection's current revision stamp (changes before every write)."""
        self.collection = self.client.get_collection(self.name, embedding_function=None)
        self._find_partitions()
        return str((self.collection.metadata or {}).get("revision", ""))

    def _new_revision(self) -> None:
        self.collection.modify(
            metadata={"embedding_model": self.embedding_model, "revision": uuid.uuid4().hex}
        )

    # --- writes ---------------------------------------------------------------------------

    def upsert(
        self,
        ids: Sequence[str],
        documents: Sequence[str],
        embeddings: np.ndarray[Any, Any],
        metadatas: Sequence[Metadata],
    ) -> None:
        """Insert or replace records, each in its language's collection, in batches."""
        if not ids:
            return
        self._new_revision()
        by_language: dict[str, list[int]] = {}
        for index, metadata in enumerate(metadatas):
            by_language.setdefault(str(metadata.get("language") or "und"), []).append(index)
        for language, indexes in by_language.items():
            # A record whose language changed must not stay behind in its old collection.
            moved = [ids[i] for i in indexes]
            for other, collection in self.partitions.items():
                if other != language:
                    self._batched(collection.delete, moved)
            partition = self._partition(language)
            for start in range(0, len(indexes), self.max_batch_size):
                batch = indexes[start : start + self.max_batch_size]
                partition.upsert(
                    ids=[ids[i] for i in batch],
                    documents=[documents[i] for i in batch],
                    embeddings=embeddings[batch],
                    metadatas=[dict(metadatas[i]) for i in batch],
                )
        self._new_revision()

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[Metadata]) -> None:
        """Replace the metadata of existing records (e.g. after a file was renamed)."""
        if not ids:
            return
        self._new_revision()
        wanted = dict(zip(ids, metadatas, strict=True))
        for collection in self.partitions.values():
            present = self._present(collection, list(wanted))
            for start in range(0, len(present), self.max_batch_size):
                batch = present[start : start + self.max_batch_size]
                collection.update(ids=batch, metadatas=[dict(wanted[i]) for i in batch])
        self._new_revision()

    def delete(self, ids: Sequence[str]) -> None:
        """Delete records by id; unknown ids are ignored."""
        if not ids:
            return
        self._new_revision()
        for collection in self.partitions.values():
            self._batched(collection.delete, list(ids))
        self._new_revision()

    def _batched(self, call: Any, ids: list[str]) -> None:
        for start in range(0, len(ids), self.max_batch_size):
            call(ids=ids[start : start + self.max_batch_size])

    # --- reads ----------------------------------------------------------------------------

    def count(self) -> int:
        """Return the number of records."""
        return sum(int(collection.count()) for collection in self.partitions.values())

    def all_ids(self) -> set[str]:
        """Return every record id in the store."""
        ids: set[str] = set()
        for collection in self.partitions.values():
            offset = 0
            while True:
                page = collection.get(include=[], limit=_PAGE, offset=offset)
                ids.update(page["ids"])
                if len(page["ids"]) < _PAGE:
                    break
                offset += _PAGE
        return ids

    def existing(self, ids: Sequence[str]) -> set[str]:
        """Return the subset of ``ids`` present in the store."""
        found: set[str] = set()
        for collection in self.partitions.values():
            found.update(self._present(collection, list(ids)))
        return found

    def _present(self, collection: Any, ids: list[str]) -> list[str]:
        found: list[str] = []
        for start in range(0, len(ids), self.max_batch_size):
            page = collection.get(ids=ids[start : start + self.max_batch_size], include=[])
            found.extend(page["ids"])
        return found

    def records(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Yield (id, document, metadata) for every record, page by page."""
        for language in self.languages:
            collection = self.partitions[language]
            offset = 0
            while True:
                page = collection.get(
                    include=["documents", "metadatas"], limit=_PAGE, offset=offset
                )
                documents = page["documents"] or []
                metadatas = page["metadatas"] or []
                for chunk_id, text, metadata in zip(
                    page["ids"], documents, metadatas, strict=True
                ):
                    yield chunk_id, text or "", dict(metadata or {})
                if len(page["ids"]) < _PAGE:
                    break
                offset += _PAGE

    def get(
        self, ids: Sequence[str], *, query_vector: np.ndarray[Any, Any] | None = None
    ) -> list[Passage]:
        """Return the passages with these ids, in the order asked (missing ids are skipped).

        With ``query_vector``, each passage's score is its cosine similarity to that vector,
        computed from the stored embedding fetched in the same request.
        """
        if not ids:
            return []
        include = ["documents", "metadatas"] + (["embeddings"] if query_vector is not None else [])
        by_id = {}
        pages = _each(
            lambda collection: collection.get(ids=list(ids), include=include),
            list(self.partitions.values()),
        )
        for page in pages:
            vectors = page["embeddings"] if page.get("embeddings") is not None else None
            for index, (chunk_id, text, metadata) in enumerate(
                zip(page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True)
            ):
                score = 0.0
                if query_vector is not None and vectors is not None:
                    vector = np.asarray(vectors[index], dtype=np.float32)
                    score = float(np.dot(vector, query_vector))
                by_id[chunk_id] = Passage.from_record(
                    chunk_id, text or "", dict(metadata or {}), score
                )
        return [by_id[chunk_id] for chunk_id in ids if chunk_id in by_id]

    def document_passages(self, doc_id: str) -> list[Passage]:
        """Return every passage of one document, in reading order."""
        passages = []
        for collection in self.partitions.values():
            page = collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
            passages += [
                Passage.from_record(chunk_id, text or "", dict(metadata or {}))
                for chunk_id, text, metadata in zip(
                    page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True
                )
            ]
        return sorted(passages, key=lambda passage: passage.position)

    def query(
        self,
        vector: np.ndarray[Any, Any],
        k: int,
        *,
        language: str | None = None,
        score_vector: np.ndarray[Any, Any] | None = None,
    ) -> list[Passage]:
        """Return the ``k`` nearest passages to ``vector`` (in ``language`` only, if given).

        Each passage's score is its cosine similarity to ``vector``, or to ``score_vector`` when
        given (computed from the stored embedding fetched in the same request): a search can be
        steered by one vector and judged by another.
        """
        if language is not None:
            return self.query_languages({language: (vector, score_vector)}, k).get(language, [])
        searches = {language: (vector, score_vector) for language in self.partitions}
        found = [p for ranking in self.query_languages(searches, k).values() for p in ranking]
        return sorted(found, key=lambda passage: -passage.score)[:k]

    def query_languages(
        self,
        searches: Mapping[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any] | None]],
        k: int,
    ) -> dict[str, list[Passage]]:
        """Return each language's ``k`` nearest passages, its searches run side by side.

        ``searches`` maps a language to the vector it is searched with and the vector its
        passages are scored by (None: the same); a language with no collection finds nothing.
        """
        wanted = [(lang, self.partitions[lang]) for lang in searches if lang in self.partitions]
        rankings = _each(
            lambda item: self._query(item[1], searches[item[0]][0], k, searches[item[0]][1]),
            wanted,
        )
        found = {language: ranking for (language, _), ranking in zip(wanted, rankings, strict=True)}
        return {language: found.get(language, []) for language in searches}

    @staticmethod
    def _query(
        collection: Any,
        vector: np.ndarray[Any, Any],
        k: int,
        score_vector: np.ndarray[Any, Any] | None = None,
    ) -> list[Passage]:
        include = ["documents", "metadatas", "distances"]
        if score_vector is not None:
            include.append("embeddings")
        result = collection.query(query_embeddings=[vector], n_results=k, include=include)
        ids = result["ids"][0]
        documents = (result["documents"] or [[]])[0]
        metadatas = (result["metadatas"] or [[]])[0]
        scores = [1.0 - float(distance) for distance in (result["distances"] or [[]])[0]]
        if score_vector is not None and ids:
            stored = np.asarray(result["embeddings"][0], dtype=np.float32).reshape(len(ids), -1)
            scores = [float(score) for score in stored @ score_vector]
        return [
            Passage.from_record(chunk_id, text or "", dict(metadata or {}), score=score)
            for chunk_id, text, metadata, score in zip(
                ids, documents, metadatas, scores, strict=True
            )
        ]


def _each(read: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
    """Return ``read`` of each item, in order; more than one are read side by side."""
    if len(items) < 2:
        return [read(item) for item in items]
    return list(_READERS.map(read, items))


def _open_client(settings: StoreSettings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.mode == "http":
        try:
            return chromadb.HttpClient(
                host=settings.host,
                port=settings.port,
                ssl=settings.ssl,
                settings=chroma_settings,
            )
        except Exception as exc:
            raise StoreError(
                f"store: cannot reach the Chroma server at {settings.host}:{settings.port}: "
                f"{one_line(exc)}"
            ) from exc
    path = settings.path / "chroma"
    _ensure_writable(path)
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        raise StoreError(f"store: cannot open {path}: {one_line(exc)}") from exc


def _ensure_writable(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".write-test-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StoreError(f"store.path: {path} is not writable: {exc.strerror or exc}") from exc
