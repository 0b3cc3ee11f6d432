"""The BM25 index and the document catalogue, both derived from what is in the store.

They are rebuilt from the store's records (in embedded and http mode alike) whenever the store's
revision stamp differs from the one they were built at, and persisted under the local data folder
so a restart loads them instead of rebuilding.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.accents import Accents
from vectorstore.legalref import structure_keys
from vectorstore.model import DocumentInfo
from vectorstore.store import ChromaStore
from vectorstore.text import detect_language
from vectorstore.tokenize import tokenize

logger = logging.getLogger(__name__)

# Bump when tokenisation changes: persisted indexes are then rebuilt. 6: article and clause keys,
# document type, own number and signer in the catalogue. 8: the diacritics table. 9: each
# chunk's language.
FORMAT_VERSION = 10


class LexicalIndex:
    """BM25 (bm25s) over chunk token lists, mapping results back to chunk ids."""

    def __init__(
        self, chunk_ids: list[str], retriever: Any | None, languages: Sequence[str] = ()
    ) -> None:
        self.chunk_ids = chunk_ids
        self.retriever = retriever
        self.vocabulary: dict[str, int] = dict(retriever.vocab_dict) if retriever else {}
        self.languages = np.asarray(languages or [""] * len(chunk_ids))

    @classmethod
    def build(
        cls, chunk_ids: list[str], token_lists: Sequence[list[str]], languages: Sequence[str]
    ) -> LexicalIndex:
        """Index ``token_lists`` (one per chunk, parallel to ``chunk_ids`` and ``languages``)."""
        if not chunk_ids:
            return cls([], None)
        retriever = _bm25s().BM25()
        retriever.index(list(token_lists), show_progress=False)
        return cls(chunk_ids, retriever, languages)

    def search(
        self,
        tokens: Iterable[str],
        k: int,
        *,
        language: str | None = None,
        shared: Iterable[str] = (),
    ) -> list[tuple[str, float]]:
        """Return up to ``k`` (chunk_id, bm25 score) pairs with a positive score, best first.

        With ``language``, the chunks in another language are scored on the ``shared`` tokens
        alone (names and numbers, which every language writes alike): the other words of a
        question meet a text in another language only by accident ("long" and "lòng").
        """
        if self.retriever is None:
            return []
        scores = self._scores(tokens)
        if language is not None:
            other = self.languages != language
            if other.any():
                scores = np.where(other, self._scores(shared), scores)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]  # ties in index order, in every process
        return [(self.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def _scores(self, tokens: Iterable[str]) -> np.ndarray:
        # Sorted, so the scores do not depend on the order of a set of tokens (float sums).
        known = sorted({token for token in tokens if token in self.vocabulary})
        if not known or self.retriever is None:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self.retriever.get_scores(known), dtype=np.float32)

    def document_frequency(self, token: str) -> int:
        """Return how many chunks contain ``token``."""
        if self.retriever is None or token not in self.vocabulary:
            return 0
        token_id = self.vocabulary[token]
        indptr = self.retriever.scores["indptr"]
        if token_id + 1 >= len(indptr):
            return 0
        return int(indptr[token_id + 1] - indptr[token_id])

    def chunks_with(self, tokens: Iterable[str]) -> set[str]:
        """Return the ids of the chunks that contain any of ``tokens``."""
        if self.retriever is None:
            return set()
        indptr = self.retriever.scores["indptr"]
        indices = self.retriever.scores["indices"]
        found: set[str] = set()
        for token in tokens:
            token_id = self.vocabulary.get(token)
            if token_id is None or token_id + 1 >= len(indptr):
                continue
            found.update(
                self.chunk_ids[i] for i in indices[indptr[token_id] : indptr[token_id + 1]]
            )
        return found

    def save(self, folder: Path) -> None:
        """Write the index into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        ids = {"ids": self.chunk_ids, "languages": self.languages.tolist()}
        (folder / "ids.json").write_text(json.dumps(ids), encoding="utf-8")
        if self.retriever is not None:
            self.retriever.save(str(folder / "bm25"))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read an index written by :meth:`save`."""
        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        chunk_ids, languages = ids["ids"], ids["languages"]
        if not chunk_ids:
            return cls([], None)
        retriever = _bm25s().BM25.load(str(folder / "bm25"))
        if int(retriever.scores["num_docs"]) != len(chunk_ids) or len(languages) != len(chunk_ids):
            raise ValueError("the BM25 matrix and the chunk ids come from different builds")
        return cls(chunk_ids, retriever, languages)


def _bm25s() -> Any:
    """Import bm25s, which sets its own logger to DEBUG on import; let ours decide instead."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.NOTSET)
    return bm25s


class DerivedIndexes:
    """The lexical index, the catalogue and the diacritics table of one collection.

    All three are kept in step with the store's revision.
    """

    def __init__(
        self,
        lexical: LexicalIndex,
        catalog: list[DocumentInfo],
        revision: str,
        accents: Accents | Path | None = None,
    ) -> None:
        self.lexical = lexical
        self.catalog = catalog
        self.revision = revision
        # The document languages, for the per-language dense search (read on every question).
        self.languages = sorted({document.language for document in catalog})
        self._accents = accents

    @property
    def accents(self) -> Accents:
        """The diacritics of the Vietnamese documents' words; read from disk on first use."""
        if isinstance(self._accents, Path):
            try:
                data = json.loads(self._accents.read_text(encoding="utf-8"))
                self._accents = Accents.from_dict(data)
            except (OSError, ValueError) as exc:
                logger.warning("diacritics table unreadable (%s); questions are embedded as typed",
                               exc)
                self._accents = Accents({}, {})
        if self._accents is None:
            self._accents = Accents({}, {})
        return self._accents

    @staticmethod
    def folder_for(store: ChromaStore) -> Path:
        """Return where the derived indexes of ``store`` are kept."""
        settings = store.settings
        where = "embedded" if settings.mode == "embedded" else f"{settings.host}_{settings.port}"
        return settings.path / "indexes" / f"{where}-{store.name}"

    @classmethod
    def load_or_build(cls, store: ChromaStore) -> DerivedIndexes:
        """Load the persisted indexes if they match the store's revision, else rebuild them."""
        folder = cls.folder_for(store)
        revision = store.revision()
        try:
            state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
            if state.get("revision") == revision and state.get("format") == FORMAT_VERSION:
                catalog = [DocumentInfo.from_dict(entry) for entry in state["catalog"]]
                lexical = LexicalIndex.load(folder)
                if len(lexical.chunk_ids) == state.get("chunks"):
                    return cls(lexical, catalog, revision, folder / "accents.json")
            logger.info("lexical index is out of date with the store; rebuilding")
        except FileNotFoundError:
            logger.info("no lexical index yet; building it from the store")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("lexical index unreadable (%s); rebuilding", exc)
        return cls.rebuild(store)

    @classmethod
    def rebuild(cls, store: ChromaStore) -> DerivedIndexes:
        """Build both indexes from every record in the store and persist them."""
        revision = store.revision()
        chunk_ids: list[str] = []
        token_lists: list[list[str]] = []
        languages: list[str] = []
        documents: dict[str, dict[str, Any]] = {}
        vietnamese: list[str] = []
        for chunk_id, text, metadata in store.records():
            chunk_ids.append(chunk_id)
            language = str(metadata.get("language") or "") or detect_language(text)
            languages.append(language)
            if language == "vi":
                vietnamese.append(text)
            tokens = tokenize(text, language)
            token_lists.append(tokens + structure_keys(metadata))
            doc_id = str(metadata.get("doc_id", ""))
            entry = documents.get(doc_id)
            if entry is None:
                documents[doc_id] = entry = _catalog_entry(doc_id, metadata)
            entry["chunk_count"] += 1
        lexical = LexicalIndex.build(chunk_ids, token_lists, languages)
        catalog = sorted(
            (DocumentInfo.from_dict(entry) for entry in documents.values()),
            key=lambda info: (info.source, info.doc_id),
        )
        accents = Accents.build(vietnamese) if vietnamese else Accents({}, {})
        indexes = cls(lexical, catalog, revision, accents)
        indexes._persist(cls.folder_for(store))
        return indexes

    def _persist(self, folder: Path) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
        try:
            self.lexical.save(staging)
            (staging / "accents.json").write_text(
                json.dumps(self.accents.to_dict(), ensure_ascii=False), encoding="utf-8"
            )
            state = {
                "format": FORMAT_VERSION,
                "revision": self.revision,
                "chunks": len(self.lexical.chunk_ids),
                "catalog": [asdict(info) for info in self.catalog],
            }
            (staging / "state.json").write_text(
                json.dumps(state, ensure_ascii=False), encoding="utf-8"
            )
            # Swap folders so a reader never sees a half-written index.
            retired = folder.with_name(folder.name + ".old")
            if retired.exists():
                shutil.rmtree(retired)
            if folder.exists():
                os.replace(folder, retired)
            os.replace(staging, folder)
            shutil.rmtree(retired, ignore_errors=True)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            logger.warning("could not persist the lexical index in %s: %s", folder, exc)


def _catalog_entry(doc_id: str, metadata: dict[str, Any]) -> dict[str, Any]:
    numbers = str(metadata.get("doc_document_numbers") or "")
    return {
        "doc_id": doc_id,
        "source": str(metadata.get("source", "")),
        "title": str(metadata.get("title", "")),
        "chunk_count": 0,
        "date": metadata.get("date") or None,
        "url": metadata.get("url") or None,
        "author": metadata.get("author") or None,
        "issuer": metadata.get("issuer") or None,
        "language": str(metadata.get("language", "en")),
        "document_numbers": [n for n in numbers.split("|") if n],
        "doc_type": metadata.get("doc_type") or None,
        "number": metadata.get("number") or None,
        "signer": metadata.get("signer") or None,
        "effective_date": metadata.get("effective_date") or None,
        "expires": metadata.get("expires") or None,
        "declared_status": metadata.get("declared_status") or None,
        "clauses": json.loads(str(metadata.get("validity_clauses") or "[]")),
    }
