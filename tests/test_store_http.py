"""The http store mode against a real `chroma run` server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services import Services
from tests.conftest import HashingEmbedder, make_settings

pytestmark = [pytest.mark.http, pytest.mark.slow]


def test_ingest_and_search_over_http(
    tmp_path: Path, shared_corpus: Path, chroma_server: tuple[str, int]
) -> None:
    host, port = chroma_server
    settings = make_settings(
        tmp_path / "state",
        [shared_corpus],
        store={"mode": "http", "host": host, "port": port, "collection": "http-test"},
    )
    services = Services(settings)
    services.__dict__["embedder"] = HashingEmbedder()
    summary = services.ingest()
    assert summary.ok and summary.added == 5
    assert not (tmp_path / "state" / "chroma").exists()  # the data lives in the server

    # A second client sees the same collection and rebuilds nothing needlessly.
    again = Services(settings)
    again.__dict__["embedder"] = HashingEmbedder()
    rerun = again.ingest()
    assert rerun.unchanged == 5 and rerun.chunks_embedded == 0

    hits = again.searcher.search("Directive 590-CT/ĐUQSTW grassroots democratic regulations")
    assert hits.passages
    assert "590-CT/ĐUQSTW" in hits.passages[0].text
    assert len(again.indexes.lexical.chunk_ids) == again.store.count()
