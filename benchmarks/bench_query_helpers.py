"""Measure what the chat model's query helpers add to retrieval: follow-up rewrites, translation.

With a language model configured, the generative answerer searches the question as asked, its
standalone rewrite (follow-ups only) and its translation into the collection's other language,
and fuses the rankings. This script asks the meaning sets' cross-lingual and follow-up questions
(tuned and held-out splits, answerable ones) and reports, per kind and split, how often the gold
evidence is in the passages given to the model (the first ``llm.context_passages``) when
searching: the question as asked (the extractive answerer's search, glossary included, which the
generative answerer reuses); fused with the rewrite; with the translation; with both. Nothing is
generated, so the figures are the helpers' alone.

    python benchmarks/bench_query_helpers.py                  # SmolLM2-135M, started here
    python benchmarks/bench_query_helpers.py --base-url http://127.0.0.1:8000/v1 --model qwen2.5
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answering.types import Turn  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.evaluation import EvalQuestion, evidence_rank, load_questions  # noqa: E402

CORPORA = (ROOT.parent / "shared" / "corpus", ROOT / "examples" / "corpus",
           ROOT / "tests" / "eval" / "corpus")
SETS = {"tuned": ROOT / "tests" / "eval" / "meaning.jsonl",
        "held-out": ROOT / "tests" / "eval" / "heldout.jsonl"}
KINDS = ("crosslingual-vi-en", "crosslingual-en-vi", "followup")
VARIANTS = ("asked", "+rewrite", "+translation", "both")


def measure(llm_answerer: Any, question: EvalQuestion) -> dict[str, Any]:
    """Search ``question`` every way; return the rank of its evidence per variant and the texts."""
    extractive = llm_answerer.extractive
    history: list[Turn] = []
    for earlier in question.history:
        history.append(Turn(earlier, extractive.answer(earlier, tuple(history))))
    own = extractive.answer(question.question, tuple(history))
    started = time.perf_counter()
    rewrite = llm_answerer._rewrite(question.question, history) if history else None
    rewritten = time.perf_counter()
    translation = llm_answerer._translate(rewrite or question.question, own.language)
    translated = time.perf_counter()
    # As the generative answerer does: the extractive answerer's ranking of the question as
    # asked (glossary included), fused with the rankings of the rewrite and the translation.
    extra = {
        "asked": [],
        "+rewrite": [rewrite] if rewrite else [],
        "+translation": [translation] if translation else [],
        "both": [text for text in (rewrite, translation) if text],
    }
    limit = llm_answerer.settings.context_passages
    ranks = {
        name: evidence_rank(
            [p.text for p in llm_answerer._retrieve(texts, own.retrieved)[:limit]],
            question.evidence,
        )
        for name, texts in extra.items()
    }
    return {
        "id": question.id,
        "kind": question.kind,
        "ranks": ranks,
        "rewrite": rewrite,
        "translation": translation,
        "rewrite_ms": round((rewritten - started) * 1000, 1) if history else None,
        "translation_ms": round((translated - rewritten) * 1000, 1),
    }


def table(rows: Sequence[dict[str, Any]]) -> str:
    """Return the hit rates per split and kind as a Markdown table."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["split"], row["kind"])].append(row)
    columns = VARIANTS
    lines = [
        "| split | kind | n | " + " | ".join(columns) + " | translated | rewritten |",
        "|---|---|---|" + "---|" * (len(columns) + 2),
    ]
    for (split, kind), group in sorted(groups.items()):
        hits = [sum(r["ranks"][c] is not None for r in group) / len(group) for c in columns]
        translated = sum(bool(r["translation"]) for r in group)
        asked = [r for r in group if r["rewrite_ms"] is not None]
        rewritten = f"{sum(bool(r['rewrite']) for r in asked)}/{len(asked)}" if asked else "–"
        lines.append(
            f"| {split} | {kind} | {len(group)} | " + " | ".join(f"{h:.2f}" for h in hits)
            + f" | {translated}/{len(group)} | {rewritten} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Ingest, search every question every way, print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml")
    parser.add_argument("--store", type=Path, help="data folder to keep and reuse")
    parser.add_argument("--base-url", help="an OpenAI-compatible server; default: start SmolLM2")
    parser.add_argument("--model", help="model name sent to the server (default: llm.model)")
    parser.add_argument("--threads", type=int, default=1, help="threads of the started server")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)

    from bot.answering import build_answerer
    from bot.services import Services

    base = load_settings(args.config)
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="policybot-helpers-")))
        from tests.llm.llama_server import serving

        base_url = serving(stack, args.base_url, work / "llama-server.log", args.threads)
        updates: dict[str, Any] = {"base_url": base_url}
        if args.model:
            updates["model"] = args.model
        llm = base.llm.model_copy(update=updates)
        store = base.store.model_copy(
            update={"path": (args.store or work / "data").resolve(), "mode": "embedded"}
        )
        settings = base.model_copy(update={
            "store": store,
            "corpus": base.corpus.model_copy(update={"paths": list(CORPORA)}),
            "answer": base.answer.model_copy(update={"answerer": "llm"}),
            "llm": llm,
        })
        services = Services(settings)
        print(f"ingest: {services.ingest().format()}", file=sys.stderr)
        answerer = build_answerer(settings, services)
        rows = []
        for split, path in SETS.items():
            questions = [q for q in load_questions(path)
                         if q.kind in KINDS and not q.must_refuse and q.evidence]
            for number, question in enumerate(questions, start=1):
                rows.append({"split": split, **measure(answerer, question)})
                print(f"\r{split}: {number}/{len(questions)}", end="", file=sys.stderr)
            print(file=sys.stderr)
    if args.json:
        print(json.dumps({"model": llm.model if args.base_url else "SmolLM2-135M-Instruct",
                          "embedding": base.embedding.model, "rows": rows},
                         ensure_ascii=False, indent=2))
    else:
        print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
