"""The generative answerer end to end with a real language model: SmolLM2-135M-Instruct served by
llama.cpp (xllamacpp) over its OpenAI-compatible HTTP API on loopback.

The model is tiny, so what it writes is not judged; what is judged is the path: a real prompt
over real HTTP, a real streamed reply parsed and verified, and either verified sentences with
verbatim quotes or the extractive answer marked with the reason it took over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.llm.llama_server import LlamaServer
from tests.llm.scripting import answerer_for

pytestmark = pytest.mark.slow

FALLBACK_REASONS = {"unverified", "model_refused", "empty", "malformed", "timeout"}


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """The real server, started once for this module and stopped after it."""
    server = LlamaServer(tmp_path_factory.mktemp("llama") / "server.log")
    try:
        yield server
    finally:
        server.close()


def test_a_real_model_answers_with_verified_sentences_or_falls_back(
    llm_services: Any, llama: LlamaServer
) -> None:
    answerer = answerer_for(
        llm_services, llama.base_url, model="smollm2", timeout_s=120, max_tokens=96,
        context_passages=3,
    )
    answer = answerer.answer("When was Resolution 25-NQ/TW adopted?")

    assert not answer.refused, answer.text
    stored = {p.chunk_id: p.text for p in llm_services.store.get(
        [c.chunk_id for c in answer.citations])}
    assert answer.citations and all(c.quote in stored[c.chunk_id] for c in answer.citations)
    if answer.answerer == "llm":
        assert answer.fallback is None
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
        assert markers and markers <= {c.n for c in answer.citations}
    else:
        assert answer.fallback in FALLBACK_REASONS, answer.fallback
        assert "2013" in answer.text  # the extractive answer holds the date

