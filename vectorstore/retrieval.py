"""Hybrid retrieval: dense search in Chroma plus BM25, fused with reciprocal rank fusion.

A document number named in the query (``25-NQ/TW``, or "Resolution 25") boosts the passages that
mention it, because for policy questions the number is the strongest signal there is. An article
named in the query ("Điều 32 Luật Trọng tài thương mại", "Article 5 of Decree 06/2014") is looked
up directly: the chunks that are that article, and above them that clause, come first.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from vectorstore.accents import typed_without_diacritics
from vectorstore.embeddings import Embedder, Vectors
from vectorstore.legalref import structural_hits
from vectorstore.lexical import DerivedIndexes
from vectorstore.model import Passage
from vectorstore.settings import RetrievalSettings
from vectorstore.store import ChromaStore
from vectorstore.text import detect_language
from vectorstore.tokenize import reference_tokens, shared_tokens, tokenize

# Larger than any fused score (a first-rank RRF score is about 1/60 per ranking).
_STRUCTURE_BONUS = 1.0


@dataclass
class SearchResult:
    """Fused passages, best first, with what the answerer needs to judge them."""

    passages: list[Passage]
    query_vector: Vectors
    dense_similarity: dict[str, float] = field(default_factory=dict)  # chunk_id -> cosine
    # Each language's best dense passages that fusion left out of ``passages``: with a
    # multilingual model, the right passage in the other language shares no word with the
    # question, so BM25 never ranks it and fusion buries it under passages that share words.
    across: list[Passage] = field(default_factory=list)
    # The chunk ids of each language's best dense passages, in ``passages`` or in ``across``:
    # a reader of the first few passages only still reads these.
    leading: frozenset[str] = frozenset()
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
        dense_weight: float | None = None,
        language: str | None = None,
        extra_language: str = "en",
        renderings: Mapping[str, str] | None = None,
    ) -> SearchResult:
        """Return the top ``k`` passages for ``query``.

        ``dense_text`` replaces the text embedded for the dense search (e.g. the question with an
        English gloss); ``extra_tokens`` form a second lexical query (e.g. the gloss's tokens)
        whose ranking is fused at half the lexical weight, so a translation can add passages
        without drowning the ones that match the question's own words. ``dense_weight``
        overrides the configured weight of the dense ranking for this query. ``language`` is the
        question's (detected when not given) and ``extra_language`` that of ``extra_tokens``: a
        passage in another language is matched lexically by the names and numbers alone.
        ``renderings`` give the question's words in another language (the glossary's English
        for a Vietnamese question): with a multilingual model, that language's passages are
        searched with the question's and the rendering's vectors together, and still scored
        against the question's alone.
        """
        settings = self.settings
        k = k or settings.top_k
        started = time.perf_counter()
        indexes = self.indexes()
        if dense_text is None and self.embedder.multilingual and typed_without_diacritics(query):
            # Typed on a phone without diacritics: the model reads the words the documents use.
            dense_text = indexes.accents.restore(query)
        steering = {
            lang: text for lang, text in (renderings or {}).items()
            if text.strip() and self.embedder.multilingual and lang in indexes.languages
        }
        vectors = self.embedder.embed([dense_text or query, *steering.values()], query=True)
        vector = vectors[0]
        steered = {}
        for lang, rendering in zip(steering, vectors[1:], strict=True):
            both = vector + rendering
            steered[lang] = both / max(float(np.linalg.norm(both)), 1e-12)
        embedded = time.perf_counter()
        dense = self._dense(vector, indexes, steered)
        searched = time.perf_counter()
        language = language or detect_language(query)
        lexical = indexes.lexical.search(
            tokenize(query, language), settings.lexical_k,
            language=language, shared=shared_tokens(query, language),
        )
        translated = (
            indexes.lexical.search(list(extra_tokens), settings.lexical_k, language=extra_language)
            if extra_tokens else []
        )
        lexed = time.perf_counter()

        fused = _fuse(
            (
                (
                    [p.chunk_id for p in dense],
                    settings.dense_weight if dense_weight is None else dense_weight,
                ),
                ([chunk_id for chunk_id, _ in lexical], settings.lexical_weight),
                ([chunk_id for chunk_id, _ in translated], settings.lexical_weight / 2),
            ),
            settings.rrf_k,
        )
        by_id = {passage.chunk_id: passage for passage in dense}
        missing = list(
            dict.fromkeys(
                chunk_id for chunk_id, _ in [*lexical, *translated] if chunk_id not in by_id
            )
        )
        # Lexical-only passages come with their cosine similarity, from their stored embeddings.
        lexical_only = self.store.get(missing, query_vector=vector)
        by_id.update((passage.chunk_id, passage) for passage in lexical_only)

        # The article the question names outranks every passage that merely resembles it.
        structure = structural_hits(
            query, indexes.catalog, lambda keys: indexes.lexical.chunks_with(keys)
        )
        absent = [chunk_id for chunk_id in structure if chunk_id not in by_id]
        if absent:
            looked_up = self.store.get(absent, query_vector=vector)
            lexical_only += looked_up
            by_id.update((passage.chunk_id, passage) for passage in looked_up)
        for chunk_id, weight in structure.items():
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight * _STRUCTURE_BONUS

        references = {t for t in reference_tokens(query) if t.startswith("ref:") or "/" in t}
        if references and settings.number_boost:
            bonus = settings.number_boost / (settings.rrf_k + 1)
            for chunk_id in indexes.lexical.chunks_with(references) & by_id.keys():
                fused[chunk_id] = fused.get(chunk_id, 0.0) + bonus

        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        dense_similarity = {p.chunk_id: p.score for p in [*dense, *lexical_only]}
        passages = [
            by_id[chunk_id].with_score(score) for chunk_id, score in ranked if chunk_id in by_id
        ]
        leading = self._leading(dense, [by_id[c] for c, _ in lexical if c in by_id], indexes)
        returned = {p.chunk_id for p in passages}
        finished = time.perf_counter()
        return SearchResult(
            passages=passages,
            query_vector=vector,
            dense_similarity=dense_similarity,
            across=[p for p in leading if p.chunk_id not in returned],
            leading=frozenset(p.chunk_id for p in leading),
            timings_ms={
                "embed": (embedded - started) * 1000,
                "dense": (searched - embedded) * 1000,
                "lexical": (lexed - searched) * 1000,
                "fuse": (finished - lexed) * 1000,
            },
        )


    def _dense(
        self, vector: Vectors, indexes: DerivedIndexes, steered: Mapping[str, Vectors] | None = None
    ) -> list[Passage]:
        """Return the dense ranking; with a multilingual model, ranked within each language.

        A multilingual model still scores any passage in the question's own language above the
        right passage in the other one, so each language is searched on its own and the rankings
        are interleaved by rank: the best English and the best Vietnamese passage both rank first.
        A language in ``steered`` is searched with that vector, its passages scored by ``vector``.
        """
        k = self.settings.dense_k
        if not self.embedder.multilingual or len(indexes.languages) < 2:
            return self.store.query(vector, k)
        searches = {
            lang: (steered[lang], vector) if steered and lang in steered else (vector, None)
            for lang in indexes.languages
        }
        per_language = self.store.query_languages(searches, k).values()
        ranked = [
            (rank, -passage.score, passage)
            for ranking in per_language
            for rank, passage in enumerate(ranking)
        ]
        ranked.sort(key=lambda item: item[:2])
        return [passage for _, _, passage in ranked[:k]]


    def _leading(
        self, dense: Sequence[Passage], lexical: Sequence[Passage], indexes: DerivedIndexes
    ) -> list[Passage]:
        """Return each language's best passages (a multilingual model, two languages).

        Its best dense passages, and its best by its own dense and lexical rankings fused: a
        passage in the other language that names the question's place or person ("Lu Van Sinh")
        ranks by that name too, which fusion over both languages buries under passages sharing
        the question's words.
        """
        wanted = self.settings.per_language
        if not wanted or not self.embedder.multilingual or len(indexes.languages) < 2:
            return []
        settings = self.settings
        found = {p.chunk_id: p for p in [*lexical, *dense]}
        best: list[Passage] = []
        for language in indexes.languages:
            closest = [p.chunk_id for p in dense if p.language == language]
            fused = _fuse(
                (
                    (closest, settings.dense_weight),
                    ([p.chunk_id for p in lexical if p.language == language],
                     settings.lexical_weight),
                ),
                settings.rrf_k,
            )
            ranked = sorted(fused, key=lambda chunk_id: (-fused[chunk_id], chunk_id))
            chosen = dict.fromkeys([*closest[:wanted], *ranked[:wanted]])
            best += [found[chunk_id] for chunk_id in chosen]
        return best


def _fuse(rankings: Iterable[tuple[Sequence[str], float]], rrf_k: int) -> dict[str, float]:
    """Return each chunk's reciprocal-rank-fusion score over the weighted ``rankings``."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, chunk_id in enumerate(ranking):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (rrf_k + rank + 1)
    return fused
