"""Hybrid retrieval: dense search in Chroma plus BM25, fused with reciprocal rank fusion.

A document number named in the query (``25-NQ/TW``, or "Resolution 25") boosts the passages that
mention it, because for policy questions the number is the strongest signal there is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.embeddings import Embedder, Vectors
from vectorstore.lexical import DerivedIndexes
from vectorstore.model import Passage
from vectorstore.settings import RetrievalSettings
from vectorstore.store import ChromaStore
from vectorstore.tokenize import reference_tokens, tokenize


@dataclass
class SearchResult:
    """Fused passages, best first, with what the answerer needs to judge them."""

    passages: list[Passage]
    query_vector: Vectors
    dense_similarity: dict[str, float] = field(default_factory=dict)  # chunk_id -> cosine
    lexical_score: dict[str, float] = field(default_factory=dict)  # chunk_id -> bm25
    timings_ms: dict[str, float] = field(default_factory=dict)


class HybridSearcher:
    """Dense + lexical search over one store."""

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        indexes: Callable[[], DerivedIndexes],
        settings: RetrievalSettings,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.indexes = indexes
        self.settings = settings

    def search(
        self,
        query: str,
        *,
        k: int | None = None,
        dense_text: str | None = None,
        extra_tokens: Sequence[str] = (),
    ) -> SearchResult:
        """Return the top ``k`` passages for ``query``.

        ``dense_text`` replaces the text embedded for the dense search (e.g. the question with an
        English gloss); ``extra_tokens`` are added to the lexical query.
        """
        settings = self.settings
        k = k or settings.top_k
        started = time.perf_counter()
        vector = self.embedder.embed([dense_text or query])[0]
        embedded = time.perf_counter()
        dense = self.store.query(vector, settings.dense_k)
        searched = time.perf_counter()
        indexes = self.indexes()
        tokens = [*tokenize(query), *extra_tokens]
        lexical = indexes.lexical.search(tokens, settings.lexical_k)
        lexed = time.perf_counter()

        fused: dict[str, float] = {}
        for rank, passage in enumerate(dense):
            fused[passage.chunk_id] = settings.dense_weight / (settings.rrf_k + rank + 1)
        for rank, (chunk_id, _score) in enumerate(lexical):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + settings.lexical_weight / (
                settings.rrf_k + rank + 1
            )
        by_id = {passage.chunk_id: passage for passage in dense}
        missing = [chunk_id for chunk_id, _ in lexical if chunk_id not in by_id]
        for passage in self.store.get(missing):
            by_id[passage.chunk_id] = passage

        references = {t for t in reference_tokens(query) if t.startswith("ref:") or "/" in t}
        if references and settings.number_boost:
            bonus = settings.number_boost / (settings.rrf_k + 1)
            for chunk_id, passage in by_id.items():
                mentioned = set(reference_tokens(passage.text))
                if references & mentioned:
                    fused[chunk_id] = fused.get(chunk_id, 0.0) + bonus

        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        dense_similarity = {passage.chunk_id: passage.score for passage in dense}
        # Lexical-only passages get their cosine similarity from their stored embeddings.
        unscored = [cid for cid, _ in ranked if cid not in dense_similarity]
        if unscored:
            for chunk_id, embedding in self.store.embeddings(unscored).items():
                dense_similarity[chunk_id] = float(np.dot(embedding, vector))
        passages = [by_id[chunk_id].with_score(score) for chunk_id, score in ranked
                    if chunk_id in by_id]
        finished = time.perf_counter()
        return SearchResult(
            passages=passages,
            query_vector=vector,
            dense_similarity=dense_similarity,
            lexical_score=dict(lexical),
            timings_ms={
                "embed": (embedded - started) * 1000,
                "dense": (searched - embedded) * 1000,
                "lexical": (lexed - searched) * 1000,
                "fuse": (finished - lexed) * 1000,
            },
        )


class HybridRetriever(BaseRetriever):
    """LangChain retriever over :class:`HybridSearcher`: one Document per passage."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        result = self.searcher.search(query, k=self.k)
        return [passage_to_document(p) for p in result.passages]


def passage_to_document(passage: Passage) -> Document:
    """Return ``passage`` as a LangChain Document (text plus metadata, score included)."""
    metadata = {
        key: value
        for key, value in vars(passage).items()
        if key != "text" and value is not None
    }
    metadata["document_numbers"] = list(passage.document_numbers)
    return Document(page_content=passage.text, metadata=metadata, id=passage.chunk_id)
