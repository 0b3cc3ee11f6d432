"""Shared fixtures: paths, settings in tmp dirs, real and fake embedders, a real Chroma server."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.config import AppSettings
from vectorstore.embeddings import Vectors
from vectorstore.settings import EmbeddingSettings
from vectorstore.tokenize import tokenize

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLE_CORPUS = ROOT / "examples" / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class HashingEmbedder:
    """A deterministic bag-of-tokens embedder for fast unit tests (not a semantic model).

    Texts that share tokens get similar vectors, which is all the storage and pipeline tests need;
    anything that judges answer quality uses the real model.
    """

    name = "test:hashing-384"
    dimension = 384
    multilingual = False

    def __init__(self) -> None:
        self.calls = 0
        self.embedded = 0

    def embed(
        self,
        texts: Sequence[str],
        *,
        query: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> Vectors:
        self.calls += 1
        self.embedded += len(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text, "en") or ["<empty>"]:
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self.dimension
                sign = 1.0 if digest[4] % 2 else -1.0
                vectors[row, index] += sign
            norm = float(np.linalg.norm(vectors[row])) or 1.0
            vectors[row] /= norm
        if progress is not None:
            progress(len(texts))
        return vectors


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    """A fresh fake embedder that counts what it embeds."""
    return HashingEmbedder()


@pytest.fixture(scope="session")
def real_embedder() -> Any:
    """The default embedding model (bundled multilingual-e5-small), loaded once per session."""
    from vectorstore.embeddings import load_embedder

    return load_embedder(EmbeddingSettings())


@pytest.fixture(scope="session")
def minilm_embedder() -> Any:
    """The real bundled all-MiniLM-L6-v2 (English only), loaded once per session."""
    from vectorstore.embeddings import load_embedder

    return load_embedder(EmbeddingSettings(model="bundled:all-MiniLM-L6-v2"))


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The five reference articles, kept outside the repository."""
    if not SHARED_CORPUS.is_dir():
        pytest.fail(f"reference corpus not found at {SHARED_CORPUS} (../shared/corpus)")
    return SHARED_CORPUS


def make_settings(
    data: Path, corpus: Sequence[Path] = (), **sections: dict[str, Any]
) -> AppSettings:
    """Return settings with the store in ``data`` and the given corpus paths."""
    values: dict[str, Any] = {
        "store": {"path": data, "collection": "test-collection"},
        "corpus": {"paths": list(corpus) or [EXAMPLE_CORPUS]},
        "telegram": {"upload_dir": data / "uploads"},
    }
    for section, overrides in sections.items():
        values[section] = {**values.get(section, {}), **overrides}
    return AppSettings(**values)


def ingested_services(data: Path, paths: list[Path], embedder: Any) -> Any:
    """Services over ``paths`` with ``embedder`` (loaded once per session), ingested."""
    from bot.services import Services

    services = Services(make_settings(data, paths, embedding={"model": embedder.name}))
    services.__dict__["embedder"] = embedder
    summary = services.ingest()
    assert summary.ok, summary.format()
    return services


@pytest.fixture(scope="session")
def indexed_services(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: Any, shared_corpus: Path
) -> Any:
    """Services over the reference and example corpora, ingested once with the real model."""
    return ingested_services(
        tmp_path_factory.mktemp("indexed"), [shared_corpus, EXAMPLE_CORPUS], real_embedder
    )


@pytest.fixture(scope="session")
def real_answerer(indexed_services: Any) -> Any:
    """The configured (extractive) answerer over both corpora."""
    from bot.answering import build_answerer

    return build_answerer(indexed_services.settings, indexed_services)


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real `chroma run` server on loopback, stopped after the session."""
    executable = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which(
        "chroma"
    )
    if executable is None:
        pytest.fail("the `chroma` command (from the chromadb package) is not installed")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("wb")
    process = subprocess.Popen(
        [
            executable,
            "run",
            "--path",
            str(path / "data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_heartbeat(port, process)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_for_heartbeat(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"chroma run exited with status {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail("chroma run did not answer its heartbeat in time")
