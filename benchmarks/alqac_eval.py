"""Score policybot on the external ALQAC benchmark (Vietnamese statute law), without tuning on it.

Reads ``../shared/external/alqac/`` (see its README; the data never enters the repository):

1. converts ``qa.jsonl`` into the eval format of ``tests/eval/README.md`` in a temporary file
   (``--write-eval FILE`` keeps a copy elsewhere, e.g. for ``policybot eval FILE``): a
   multiple-choice item is asked with its **stem only**, so the options do not leak into
   retrieval; ``evidence`` is ALQAC's verbatim spans of the gold article; a free-text item with
   short reference phrases gets them as one any-of ``answer_contains`` item; nothing is
   ``must_refuse`` (every question has a gold article);
2. ingests ``corpus/`` into a temporary data folder, or into ``--store DIR`` (kept, and reused
   incrementally by the next run);
3. runs the ``policybot eval`` harness (``bot.evaluation.evaluate``) over it with the configured
   answerer and prints its report, then a table by variant (Vietnamese, no diacritics, English
   machine translation): hit@1 / hit@5 / MRR by evidence span (the eval's own rule), the same by
   gold article (a retrieved passage of the gold law whose lines fall in the gold article, or that
   holds its heading), and for free-text items whether a cited quote lies inside the gold article
   and whether the answer contains a reference phrase (case and diacritics folded).

    python benchmarks/alqac_eval.py                          # temporary store, default config
    python benchmarks/alqac_eval.py --store /tmp/alqac-data  # keep the store for the next run
    python benchmarks/alqac_eval.py --config my.yaml --json

This is an external benchmark: report it, never tune a constant on it.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answering.types import Answer, Answerer, Turn  # noqa: E402
from bot.config import AppSettings, load_settings  # noqa: E402
from bot.evaluation import (  # noqa: E402
    HIT_DEPTH,
    EvalReport,
    evaluate,
    load_questions,
    span_form,
)

ALQAC = ROOT.parent / "shared" / "external" / "alqac"
VARIANTS = {"original": "vi", "no_diacritics": "vi-nodiac", "en_machine_translation": "en"}
_ARTICLE = re.compile(r"^Điều \d+[a-zđ]?\.", re.MULTILINE)
MIN_LINE_CHARS = 30  # a passage line this long locates the passage inside its law file

logger = logging.getLogger("alqac_eval")


# --- conversion ----------------------------------------------------------------------------------


def convert(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn ALQAC records into eval questions (kind = ``variant/qtype``)."""
    questions = []
    for record in records:
        variant = VARIANTS[record.get("variant") or "original"]
        qtype = record["qtype"]
        text = record["stem"] if qtype == "multiple_choice" else record["question"]
        answer_any = record.get("answer_any") or []
        questions.append(
            {
                "id": record["id"],
                "question": text,
                "language": "en" if record["lang"] == "en" else "vi",
                "kind": f"{variant}/{qtype}",
                "must_refuse": False,
                "evidence": record["evidence"],
                "answer_contains": [answer_any] if qtype == "free_text" and answer_any else [],
            }
        )
    return questions


# --- gold articles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Law:
    """One corpus file cut into articles: the text and each article's (start, end, heading)."""

    text: str
    articles: list[tuple[int, int, str]]

    @classmethod
    def read(cls, path: Path) -> Law:
        """Read a law file and find the offsets of its articles."""
        text = path.read_text(encoding="utf-8")
        starts = [m.start() for m in _ARTICLE.finditer(text)]
        articles = []
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            articles.append((start, end, text[start:end].split("\n", 1)[0].strip()))
        return cls(text, articles)

    def article(self, heading: str) -> str | None:
        """Return the text of the article with this heading line."""
        for start, end, found in self.articles:
            if found == heading:
                return self.text[start:end]
        return None

    def headings_of(self, passage_body: str) -> set[str]:
        """Return the headings of the articles that the passage's long lines come from."""
        found: set[str] = set()
        for line in passage_body.splitlines():
            line = line.strip()
            if len(line) < MIN_LINE_CHARS:
                continue
            at = self.text.find(line)
            if at < 0:
                continue
            for start, end, heading in self.articles:
                if start <= at < end:
                    found.add(heading)
                    break
        return found


def gold_rank(answer: Answer, record: dict[str, Any], laws: dict[str, Law]) -> int | None:
    """Return the 1-based rank of the first retrieved passage from a gold article, or None."""
    law = laws.get(record["doc"])
    headings = {g["heading"] for g in record["gold_articles"]}
    if law is None:
        return None
    for rank, passage in enumerate(answer.retrieved, start=1):
        if Path(passage.source).name != record["doc"]:
            continue
        body = passage.text[passage.body_offset :]
        if any(h in passage.text for h in headings) or law.headings_of(body) & headings:
            return rank
    return None


def quote_in_gold(answer: Answer, record: dict[str, Any], laws: dict[str, Law]) -> bool:
    """Tell whether some cited quote of the answer lies inside a gold article."""
    law = laws.get(record["doc"])
    if law is None or answer.refused:
        return False
    articles = [law.article(g["heading"]) for g in record["gold_articles"]]
    texts = [span_form(a) for a in articles if a]
    return any(span_form(c.quote) in text for c in answer.citations for text in texts)


# --- running -------------------------------------------------------------------------------------


class RecordingAnswerer:
    """Delegates to an answerer and keeps each answer by question, for the extra scores."""

    def __init__(self, inner: Answerer) -> None:
        self.inner = inner
        self.answers: dict[str, Answer] = {}

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer via the wrapped answerer and remember the result."""
        result = self.inner.answer(question, history)
        self.answers[question] = result
        return result


def variant_table(
    records: Sequence[dict[str, Any]],
    questions: Sequence[dict[str, Any]],
    report: EvalReport,
    answers: dict[str, Answer],
    laws: dict[str, Law],
) -> dict[str, dict[str, float | int | None]]:
    """Return the scores per variant (and overall) described in the module docstring."""
    by_id = {r.id: r for r in report.per_question}
    rows: dict[str, list[dict[str, Any]]] = {}
    for record, question in zip(records, questions, strict=True):
        result = by_id[record["id"]]
        answer = answers[question["question"]]
        row = {
            "rank": result.hit_rank,
            "gold_rank": gold_rank(answer, record, laws),
            "refused": answer.refused,
            "free_text": record["qtype"] == "free_text",
            "quote_in_gold": quote_in_gold(answer, record, laws),
            "accurate": result.accurate,
        }
        variant = question["kind"].split("/")[0]
        rows.setdefault(variant, []).append(row)
        rows.setdefault("all", []).append(row)
    return {variant: _scores(group) for variant, group in rows.items()}


def _scores(rows: Sequence[dict[str, Any]]) -> dict[str, float | int | None]:
    def mean(values: Sequence[float]) -> float | None:
        return sum(values) / len(values) if values else None

    free = [r for r in rows if r["free_text"]]
    phrased = [r["accurate"] for r in free if r["accurate"] is not None]
    scores: dict[str, float | int | None] = {"n": len(rows)}
    for prefix, key in (("", "rank"), ("gold_", "gold_rank")):
        ranks = [r[key] for r in rows]
        scores[f"{prefix}hit@1"] = mean([rank == 1 for rank in ranks])
        scores[f"{prefix}hit@5"] = mean([rank is not None and rank <= HIT_DEPTH for rank in ranks])
        scores[f"{prefix}mrr"] = mean([1 / rank if rank else 0.0 for rank in ranks])
    scores["refused"] = mean([r["refused"] for r in rows])
    scores["free_text"] = len(free)
    scores["free_quote_in_gold"] = mean([r["quote_in_gold"] for r in free])
    scores["free_answer_phrase"] = mean(phrased)
    scores["free_answer_phrase_n"] = len(phrased)
    return scores


def format_table(table: dict[str, dict[str, float | int | None]]) -> str:
    """Return the per-variant table as text."""
    columns = ("n", "hit@1", "hit@5", "mrr", "gold_hit@1", "gold_hit@5", "gold_mrr", "refused",
               "free_text", "free_quote_in_gold", "free_answer_phrase")
    headers = ("n", "hit@1", "hit@5", "MRR", "art@1", "art@5", "artMRR", "refused",
               "free", "quote∈art", "phrase")
    lines = [f"{'variant':<11}" + "".join(f"{h:>10}" for h in headers)]
    for variant in ("vi", "vi-nodiac", "en", "all"):
        if variant not in table:
            continue
        row = table[variant]
        cells = []
        for column in columns:
            value = row[column]
            cells.append("-" if value is None else str(value) if isinstance(value, int)
                         else f"{value:.3f}")
        lines.append(f"{variant:<11}" + "".join(f"{c:>10}" for c in cells))
    lines.append(
        "hit@k/MRR: a retrieved passage holds an ALQAC evidence span; art@k: a retrieved passage "
        "lies in the gold article; MCQ asked by stem only; free-text columns over free-text items"
    )
    return "\n".join(lines)


def alqac_settings(base: AppSettings, data: Path, corpus: Path) -> AppSettings:
    """Return ``base`` with the store in ``data`` and the ALQAC corpus as the only corpus."""
    store = base.store.model_copy(update={"path": data, "mode": "embedded", "collection": "alqac"})
    corpus_settings = base.corpus.model_copy(update={"paths": [corpus]})
    # The upload folder is always ingested: an empty one of its own keeps the bot's uploads out.
    telegram = base.telegram.model_copy(update={"upload_dir": data / "uploads"})
    return base.model_copy(update={"store": store, "corpus": corpus_settings, "telegram": telegram})


def main(argv: Sequence[str] | None = None) -> int:
    """Convert, ingest, evaluate and print; exit 0 (the benchmark has no pass mark)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ALQAC, help="the ALQAC folder")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml")
    parser.add_argument("--store", type=Path, help="data folder to keep and reuse")
    parser.add_argument("--write-eval", type=Path, help="also write the converted questions here")
    parser.add_argument("--limit", type=int, help="only the first N questions (a smoke run)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    from bot.answering import build_answerer
    from bot.services import Services

    records = [json.loads(line) for line in (args.data / "qa.jsonl").open(encoding="utf-8")
               if line.strip()]
    records = records[: args.limit] if args.limit else records
    questions = convert(records)
    laws = {path.name: Law.read(path) for path in sorted((args.data / "corpus").glob("*.txt"))}

    with tempfile.TemporaryDirectory(prefix="policybot-alqac-") as work:
        eval_file = Path(work) / "alqac-eval.jsonl"
        text = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions)
        eval_file.write_text(text, encoding="utf-8")
        if args.write_eval:
            args.write_eval.write_text(text, encoding="utf-8")
        data = args.store or Path(work) / "data"
        settings = alqac_settings(load_settings(args.config), data.resolve(), args.data / "corpus")
        services = Services(settings)
        started = time.perf_counter()
        summary = services.ingest()
        ingest_s = time.perf_counter() - started
        print(f"ingest: {summary.format()} ({ingest_s:.1f} s)", file=sys.stderr)
        answerer = RecordingAnswerer(build_answerer(settings, services))
        report = evaluate(answerer, load_questions(eval_file),
                          progress=lambda done, total: print(
                              f"\r{done}/{total}", end="", file=sys.stderr, flush=True))
        print(file=sys.stderr)
    table = variant_table(records, questions, report, answerer.answers, laws)
    if args.json:
        print(json.dumps({"embedding_model": settings.embedding.model, "ingest_s": ingest_s,
                          "overall": report.overall, "per_kind": report.per_kind,
                          "by_variant": table}, ensure_ascii=False, indent=2))
    else:
        print(f"embedding model: {settings.embedding.model}")
        print(report.format().split("\nfailed:")[0])
        print()
        print(format_table(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
