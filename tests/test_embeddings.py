"""The embedding backends: the bundled multilingual e5 model, per-model collections, languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import HashingEmbedder, ingested_services
from vectorstore.embeddings import EmbeddingError, load_embedder
from vectorstore.settings import EmbeddingSettings, StoreSettings
from vectorstore.store import ChromaStore, collection_name

E5 = "bundled:multilingual-e5-small"


@pytest.fixture(scope="module")
def e5(real_embedder: Any) -> Any:
    assert real_embedder.name == E5  # the default model
    return real_embedder


def test_unknown_bundled_model_lists_the_choices() -> None:
    with pytest.raises(EmbeddingError) as raised:
        load_embedder(EmbeddingSettings(model="bundled:e5-large"))
    message = str(raised.value)
    assert "\n" not in message
    assert "bundled:multilingual-e5-small" in message
    assert "bundled:all-MiniLM-L6-v2" in message


def test_a_folder_that_is_not_a_model_is_refused_without_download(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingError, match="never downloaded"):
        load_embedder(EmbeddingSettings(model=str(tmp_path)))


@pytest.mark.slow
def test_e5_embeds_queries_and_passages_with_their_own_prefixes(e5: Any) -> None:
    assert e5.dimension == 384
    assert e5.multilingual
    texts = ["Nghị định 06/2014/NĐ-CP quy định về vận động quần chúng."]
    as_query = e5.embed(texts, query=True)
    as_passage = e5.embed(texts)
    assert as_query.shape == as_passage.shape == (1, 384)
    assert np.allclose(np.linalg.norm(as_passage, axis=1), 1.0, atol=1e-4)
    assert not np.allclose(as_query, as_passage)  # "query: " and "passage: " differ
    assert e5.embed([]).shape == (0, 384)


@pytest.mark.slow
def test_e5_matches_meaning_across_vietnamese_and_english(e5: Any) -> None:
    question = e5.embed(["Có bao nhiêu hộ dân hiến đất làm đường?"], query=True)[0]
    passages = e5.embed([
        "Ninety-six households donated land to widen the road to the border commune.",
        "The provincial orchestra performed at the opening of the festival.",
        "Chín mươi sáu hộ dân đã hiến đất để mở rộng đường lên xã biên giới.",
        "Tỉnh tổ chức lễ hội văn hóa các dân tộc vào tháng Ba.",
    ])
    scores = passages @ question
    # Within each language the passage that answers wins; across languages the model favours
    # the question's own language, which is why dense search ranks each language on its own.
    assert scores[0] > scores[1]
    assert scores[2] > scores[3]
    assert scores[2] > scores[0]


@pytest.mark.slow
def test_progress_counts_every_batch(tmp_path: Path) -> None:
    embedder = load_embedder(EmbeddingSettings(model=E5, batch_size=2, threads=2))
    done: list[int] = []
    vectors = embedder.embed(["một", "hai", "ba", "bốn", "năm"], progress=done.append)
    assert vectors.shape == (5, 384)
    assert done == [2, 2, 1]


def test_each_model_has_its_own_collection(tmp_path: Path) -> None:
    settings = StoreSettings(path=tmp_path, collection="policybot")
    names = {collection_name("policybot", model) for model in
             (E5, "bundled:all-MiniLM-L6-v2", "/models/bge-m3", "/other/bge-m3/")}
    assert len(names) == 4
    assert all(3 <= len(n) <= 63 and n[0].isalnum() and n[-1].isalnum() for n in names)
    assert len(collection_name("p" * 63, E5)) == 63

    first = ChromaStore(settings, embedding_model=E5)
    hashing = HashingEmbedder()
    vectors = hashing.embed(["Nghị định 06"])
    first.upsert(["a"], ["Nghị định 06"], vectors, [{"source": "a.txt"}])
    other = ChromaStore(settings, embedding_model="bundled:all-MiniLM-L6-v2")
    assert other.count() == 0  # switching the model never sees the other model's vectors
    assert ChromaStore(settings, embedding_model=E5).count() == 1  # and switching back keeps them
    assert first.name != other.name
    assert first.name in first.location


@pytest.mark.slow
def test_dense_search_ranks_within_each_language(tmp_path: Path, e5: Any) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "road.md").write_text(
        "# Border road\n\nNinety-six households in Ngok Ro donated 3.2 hectares of land so that "
        "the road to the border commune could be widened to seven metres.\n", encoding="utf-8")
    (corpus / "le-hoi.md").write_text(
        "# Lễ hội\n\nTỉnh tổ chức lễ hội văn hóa các dân tộc vào tháng Ba với nhiều hoạt động "
        "thể thao, văn nghệ và ẩm thực của đồng bào.\n", encoding="utf-8")
    services = ingested_services(tmp_path / "data", [corpus], e5)
    assert services.store.name == collection_name("test-collection", E5)
    searcher = services.searcher
    result = searcher.search("Bao nhiêu hộ hiến đất mở rộng đường biên giới?")
    dense = searcher._dense(result.query_vector, searcher.indexes())
    assert {p.language for p in dense[:2]} == {"en", "vi"}  # one best passage per language
    assert "Ninety-six households" in result.passages[0].text


@pytest.mark.slow
def test_a_passage_in_the_other_language_reaches_the_answerer(tmp_path: Path, e5: Any) -> None:
    """BM25 cannot see a passage in the other language; fusion alone would bury it."""
    from bot.answering import build_answerer

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "credit.md").write_text(
        "# A shop in Na Hang\n\nMr. Hoang Van Binh runs the only grocery in Na Hang hamlet. "
        "During the lean season his family lets neighbours buy rice on credit for up to 2 million "
        "VND per household, to be repaid after the harvest.\n", encoding="utf-8")
    for name, text in {
        "hoi-nghi.md": "Gia đình các hội viên đã góp tiền xây nhà văn hóa thôn. Hội nghị tổng kết "
        "của xã biểu dương 12 gia đình tiêu biểu.",
        "quy.md": "Quỹ khuyến học của xã năm nay thu được 45 triệu đồng từ các gia đình. Tiền "
        "quỹ được dùng để mua sách vở cho học sinh.",
        "duong.md": "Bà con trong thôn hiến đất làm đường. Ông trưởng thôn vận động từng gia "
        "đình góp ngày công.",
        "giap-hat.md": "Hàng xóm giúp nhau gặt lúa. Nhiều hộ chịu khó tích trữ gạo cho mùa giáp "
        "hạt nên không phải mua thêm, tối đa chỉ thiếu vài ngày.",
    }.items():
        (corpus / name).write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
    services = ingested_services(tmp_path / "data", [corpus], e5)
    question = "Gia đình ông Bình cho hàng xóm mua chịu gạo tối đa bao nhiêu tiền?"
    result = services.searcher.search(question, k=2)
    handed = [*result.passages, *result.across]
    assert any("on credit" in p.text for p in handed)
    answer = build_answerer(services.settings, services).answer(question)
    assert not answer.refused, answer.text
    assert "2 million VND" in answer.citations[0].quote
    # Fused below the passages the answerer reads, a language's best dense passage is still read.
    english = next(p for p in services.searcher.search(question).passages if p.language == "en")
    position = [p.chunk_id for p in services.searcher.search(question).passages].index(
        english.chunk_id)
    assert position > 0 and english.chunk_id in result.leading
    settings = services.settings
    narrow = settings.model_copy(update={
        "answer": settings.answer.model_copy(update={"passages_considered": position})})
    answer = build_answerer(narrow, services).answer(question)
    assert not answer.refused and "2 million VND" in answer.citations[0].quote, answer.text


def test_the_lazy_embedder_loads_only_when_something_is_embedded(tmp_path: Path) -> None:
    from bot.services import Services
    from tests.conftest import EXAMPLE_CORPUS, make_settings
    from vectorstore.embeddings import LazyEmbedder

    loads: list[str] = []

    def load(settings: EmbeddingSettings) -> Any:
        loads.append(settings.model)
        return HashingEmbedder()

    settings = make_settings(tmp_path, [EXAMPLE_CORPUS], embedding={"model": "test:hashing"})
    services = Services(settings)
    lazy = LazyEmbedder(services.settings.embedding, load)
    services.__dict__["embedder"] = lazy
    assert services.ingest().ok
    assert loads == ["test:hashing"]  # the first run embeds, so it loads
    again = Services(services.settings)
    lazy_again = LazyEmbedder(again.settings.embedding, load)
    again.__dict__["embedder"] = lazy_again
    summary = again.ingest()
    assert summary.ok and "0 chunks embedded" in summary.format()
    assert not lazy_again.loaded and loads == ["test:hashing"]  # unchanged: never loaded
    assert lazy.loaded and lazy.dimension == 384 and not lazy.multilingual


def test_similarities_are_read_on_each_models_own_scale(e5: Any, minilm_embedder: Any) -> None:
    from vectorstore.embeddings import rescaled, similarity_range

    minilm_floor, minilm_ceiling = similarity_range(minilm_embedder)
    e5_floor, e5_ceiling = similarity_range(e5)
    assert minilm_floor < 0.2 < 0.6 < e5_floor < e5_ceiling < minilm_ceiling
    for scale in ((minilm_floor, minilm_ceiling), (e5_floor, e5_ceiling)):
        assert rescaled(scale[0], scale) == 0.0 and rescaled(scale[1], scale) == 1.0
    # The same raw similarity says "related" for one model and "unrelated" for the other.
    assert rescaled(0.7, (minilm_floor, minilm_ceiling)) > 0.6
    assert rescaled(0.7, (e5_floor, e5_ceiling)) < 0.0
    # Across languages e5 gives a sentence and its translation far less than a sentence and
    # itself, so the other language is read on its own range; MiniLM has none.
    across_floor, across_ceiling = similarity_range(e5, across_languages=True)
    assert across_floor < across_ceiling < e5_ceiling - 0.05
    assert similarity_range(minilm_embedder, across_languages=True) == (
        minilm_floor, minilm_ceiling
    )
    english, vietnamese = e5.embed(
        ["Households donated land to widen the road.", "Các hộ dân hiến đất để mở rộng đường."]
    )
    question = e5.embed(["Bao nhiêu hộ hiến đất mở đường?"], query=True)[0]
    assert rescaled(float(question @ english), (across_floor, across_ceiling)) > rescaled(
        float(question @ english), (e5_floor, e5_ceiling)
    ) + 0.2
    assert float(question @ vietnamese) > float(question @ english)  # why one range is not enough


@pytest.mark.slow
def test_a_rendering_steers_the_other_languages_search_but_not_its_scores(
    tmp_path: Path, e5: Any
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    english = {
        "wells.md": "Every hamlet in the commune dug a clean-water well with money the villagers "
        "raised themselves.",
        "credit.md": "The social policy bank lent poor households up to 100 million VND for "
        "breeding cattle.",
        "roads.md": "Villagers donated land and labour to concrete the inter-hamlet roads.",
    }
    for name, text in english.items():
        (corpus / name).write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
    (corpus / "le-hoi.md").write_text(
        "# Lễ hội\n\nTỉnh tổ chức lễ hội văn hóa các dân tộc vào tháng Ba.\n", encoding="utf-8")
    services = ingested_services(tmp_path / "data", [corpus], e5)
    searcher = services.searcher
    question = "Thôn nào tự đào giếng?"
    rendering = "social policy bank loans for cattle"
    # A rendering in a language the index does not hold is ignored.
    result = searcher.search(question, renderings={"en": rendering, "fr": "banque agricole"})
    indexes = searcher.indexes()
    english_first = [
        p for p in searcher._dense(result.query_vector, indexes, {}) if p.language == "en"
    ]
    vectors = e5.embed([question, rendering], query=True)
    both = (vectors[0] + vectors[1]) / np.linalg.norm(vectors[0] + vectors[1])
    steered_english = [
        p for p in searcher._dense(vectors[0], indexes, {"en": both}) if p.language == "en"
    ]
    # The rendering brings its own passage forward in the English search ...
    assert "social policy bank" in steered_english[0].text
    assert "social policy bank" not in english_first[0].text
    # ... yet every English passage keeps the score the question alone gives it.
    alone = {p.chunk_id: p.score for p in english_first}
    assert all(abs(p.score - alone[p.chunk_id]) < 1e-4 for p in steered_english)
    assert np.allclose(result.query_vector, vectors[0], atol=1e-5)  # the question's own vector


def test_each_language_leads_with_its_closest_and_its_fused_best_passages() -> None:
    """A passage naming the question's person ranks by that name among its language's best."""
    from types import SimpleNamespace

    from vectorstore.model import Passage
    from vectorstore.retrieval import HybridSearcher
    from vectorstore.settings import RetrievalSettings

    def passage(chunk_id: str, language: str) -> Passage:
        return Passage(chunk_id, chunk_id, "s", "t", chunk_id, language=language)

    multilingual = SimpleNamespace(multilingual=True)
    searcher = HybridSearcher(
        None, multilingual, lambda: None,  # type: ignore[arg-type]
        RetrievalSettings(per_language=1),
    )
    indexes = SimpleNamespace(languages=["en", "vi"])
    dense = [passage(c, "vi") for c in ("vi-1", "vi-2", "vi-3", "vi-named")]
    dense += [passage("en-1", "en")]
    # BM25 meets the other language's passage by the name alone ("Lu Van Sinh").
    lexical = [passage("vi-named", "vi"), passage("en-1", "en")]
    leading = searcher._leading(dense, lexical, indexes)  # type: ignore[arg-type]
    assert [p.chunk_id for p in leading] == ["en-1", "vi-1", "vi-named"]
    # Without the lexical ranking, a language's closest passage alone leads.
    assert [p.chunk_id for p in searcher._leading(dense, [], indexes)] == [  # type: ignore[arg-type]
        "en-1", "vi-1"]
