"""The Chroma store keeps each language's chunks in a collection of their own."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vectorstore.settings import StoreSettings
from vectorstore.store import ChromaStore

MODEL = "bundled:multilingual-e5-small"


def _vectors(*seeds: int) -> np.ndarray:
    rows = np.random.default_rng(7).normal(size=(max(seeds) + 1, 8)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows[list(seeds)]


def _meta(doc: str, language: str) -> dict[str, str | int]:
    return {"doc_id": doc, "language": language, "source": f"{doc}.md", "position": 0}


def test_each_language_is_searched_on_its_own(tmp_path: Path) -> None:
    store = ChromaStore(StoreSettings(path=tmp_path), embedding_model=MODEL)
    vectors = _vectors(0, 1, 2)
    store.upsert(["en-1", "vi-1", "vi-2"], ["Roads.", "Đường.", "Cầu."], vectors,
                 [_meta("a", "en"), _meta("b", "vi"), _meta("b", "vi")])
    assert store.languages == ["en", "vi"] and store.count() == 3
    # The vector of an English chunk still finds the Vietnamese ones in their own search.
    assert {p.chunk_id for p in store.query(vectors[0], 5, language="vi")} == {"vi-1", "vi-2"}
    assert store.query(vectors[0], 1)[0].chunk_id == "en-1"
    assert store.query(vectors[0], 5, language="fr") == []
    assert [p.chunk_id for p in store.get(["vi-2", "en-1", "missing"])] == ["vi-2", "en-1"]
    assert store.existing(["en-1", "vi-2", "gone"]) == {"en-1", "vi-2"}
    # A chunk whose language changed leaves its old collection.
    store.upsert(["vi-2"], ["Bridges."], vectors[2:], [_meta("b", "en")])
    assert store.count() == 3 and store.all_ids() == {"en-1", "vi-1", "vi-2"}
    assert [p.chunk_id for p in store.query(vectors[2], 5, language="vi")] == ["vi-1"]
    store.update_metadata(["vi-1"], [_meta("renamed", "vi")])
    assert [p.doc_id for p in store.document_passages("renamed")] == ["renamed"]
    store.delete(["vi-1", "en-1"])
    assert store.all_ids() == {"vi-2"}
    # A second process sees the languages the first one added.
    other = ChromaStore(StoreSettings(path=tmp_path), embedding_model=MODEL)
    assert other.languages == ["en", "vi"] and other.count() == 1


def test_a_store_of_one_collection_is_split_by_language_on_opening(tmp_path: Path) -> None:
    store = ChromaStore(StoreSettings(path=tmp_path), embedding_model=MODEL)
    vectors = _vectors(0, 1)
    # The layout written before the split: every chunk in the model's one collection.
    store.collection.upsert(ids=["en-1", "vi-1"], documents=["Roads.", "Đường."],
                            embeddings=vectors, metadatas=[_meta("a", "en"), _meta("b", "vi")])
    before = store.revision()
    reopened = ChromaStore(StoreSettings(path=tmp_path), embedding_model=MODEL)
    assert reopened.collection.count() == 0 and reopened.count() == 2
    assert [p.chunk_id for p in reopened.query(vectors[1], 5, language="vi")] == ["vi-1"]
    assert reopened.revision() != before  # what was derived from the old layout is rebuilt


def test_a_search_steered_by_one_vector_is_scored_by_another(tmp_path: Path) -> None:
    store = ChromaStore(StoreSettings(path=tmp_path), embedding_model=MODEL)
    vectors = _vectors(0, 1, 2)
    store.upsert(["en-1", "en-2", "en-3"], ["Roads.", "Bridges.", "Schools."], vectors,
                 [_meta("a", "en")] * 3)
    judge = _vectors(3)[0]
    found = store.query(vectors[1], 3, language="en", score_vector=judge)
    assert found[0].chunk_id == "en-2"  # ranked by the steering vector
    by_id = {p.chunk_id: p.score for p in found}
    for chunk_id, vector in zip(["en-1", "en-2", "en-3"], vectors, strict=True):
        assert abs(by_id[chunk_id] - float(vector @ judge)) < 1e-5  # scored by the other
    assert store.query(vectors[1], 3, language="vi", score_vector=judge) == []


def test_every_collection_is_searched_with_the_configured_breadth(tmp_path: Path) -> None:
    def breadth(store: ChromaStore) -> set[int]:
        collections = [store.collection, *store.partitions.values()]
        return {c.configuration_json["hnsw"]["ef_search"] for c in collections}

    # A collection made before the setting existed, with Chroma's default breadth (100).
    client_store = ChromaStore(StoreSettings(path=tmp_path), embedding_model=MODEL)
    client_store.client.get_or_create_collection(
        f"{client_store.name}.vi", embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
    )
    store = ChromaStore(StoreSettings(path=tmp_path, search_ef=400), embedding_model=MODEL)
    store.upsert(["en-1"], ["Roads."], _vectors(0), [_meta("a", "en")])
    assert store.languages == ["en", "vi"] and breadth(store) == {400}
    narrower = ChromaStore(StoreSettings(path=tmp_path, search_ef=150), embedding_model=MODEL)
    assert breadth(narrower) == {150}
    assert breadth(ChromaStore(StoreSettings(path=tmp_path), embedding_model=MODEL)) == {400}
