"""The evaluation harness behind ``policybot eval``: scores an answerer against a gold question set.

Each question of a JSONL file (format in ``tests/eval/README.md``) is asked (after replaying its
conversation ``history``), and the answer is scored on retrieval (hit@1, hit@5, MRR of the first
retrieved passage containing a gold evidence span), answer accuracy (required phrases present),
citation correctness (a cited quote overlaps a gold span), refusal accuracy, false refusals and
latency. A question lacking a gold field is not scored on the metrics that need it.

Optionally the stock LangChain recipe (RecursiveCharacterTextSplitter 1000/200 + Chroma + the same
embedding model + top-4 similarity search) is built over the same corpus and its retrieval is scored
on the same questions, so the hybrid retriever is compared with what one would get out of the box.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import operator
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.answering.types import Answer, Answerer, Turn
from ingest.model import LoadError
from ingest.settings import CorpusSettings
from vectorstore.embeddings import Embedder
from vectorstore.text import fold, nfc

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "vi")
UNREVIEWED_KIND = "needs-review"
HIT_DEPTH = 5  # retrieval counts as a hit when the evidence is within the first HIT_DEPTH passages
MIN_OVERLAP_CHARS = 40  # a quote and a gold span sharing this much text cite the same statement

METRICS = (
    "questions",
    "hit@1",
    "hit@5",
    "mrr",
    "answer_accuracy",
    "citation_correctness",
    "refusal_accuracy",
    "false_refusal_rate",
    "harmful_rate",
    "latency_p50_ms",
    "latency_p95_ms",
)
BASELINE_METRICS = ("baseline_hit@1", "baseline_hit@5", "baseline_mrr")

_REQUIRED_KEYS = ("id", "question", "language", "kind", "must_refuse")
# ``documents`` (the files holding the evidence) and ``split`` (tuned or held-out) describe a case
# for the set's own checks (tests/test_eval_sets.py); they are not scored here.
_KNOWN_KEYS = frozenset(
    (
        *_REQUIRED_KEYS,
        "evidence",
        "answer_contains",
        "history",
        "needs_review",
        "documents",
        "split",
    )
)


class EvalError(Exception):
    """The evaluation cannot run (bad question file, bad threshold, no baseline); one line."""


# --- Questions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvalQuestion:
    """One gold question; ``answer_contains`` items are phrases, or tuples of alternatives."""

    id: str
    question: str
    language: str
    kind: str
    must_refuse: bool
    evidence: tuple[str, ...] = ()
    answer_contains: tuple[str | tuple[str, ...], ...] = ()
    history: tuple[str, ...] = ()
    needs_review: bool = False  # exported from feedback: must_refuse and gold fields undecided


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read and validate a JSONL question file; raise EvalError naming the line and the problem."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot read: {exc}") from exc
    questions: list[EvalQuestion] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            question = _parse_question(line)
        except ValueError as exc:
            raise EvalError(f"{path}:{number}: {exc}") from None
        if question.id in first_line:
            raise EvalError(
                f"{path}:{number}: id: duplicate {question.id!r} (first on line "
                f"{first_line[question.id]})"
            )
        first_line[question.id] = number
        questions.append(question)
    if not questions:
        raise EvalError(f"{path}: no questions")
    return questions


def _parse_question(line: str) -> EvalQuestion:
    """Build one question from a JSON line; raise ValueError("field: problem")."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    needs_review = data.get("needs_review", False)
    if not isinstance(needs_review, bool):
        raise ValueError("needs_review: must be true or false")
    if not needs_review:
        # A misspelt gold field would silently go unscored; feedback exports carry context fields.
        unknown = sorted(set(data) - _KNOWN_KEYS)
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown field")
    required = _REQUIRED_KEYS if not needs_review else ("id", "question", "language")
    for key in required:
        if key not in data:
            raise ValueError(f"{key}: missing")
    must_refuse = data.get("must_refuse", False)
    if not isinstance(must_refuse, bool):
        raise ValueError("must_refuse: must be true or false")
    language = data["language"]
    if language not in LANGUAGES:
        raise ValueError(f"language: must be one of {', '.join(LANGUAGES)}, not {language!r}")
    kind = data.get("kind", UNREVIEWED_KIND)
    evidence = _strings(data.get("evidence", []), "evidence")
    answer_contains = tuple(
        _alternatives(item, f"answer_contains[{index}]")
        for index, item in enumerate(_list(data.get("answer_contains", []), "answer_contains"))
    )
    if must_refuse and (evidence or answer_contains):
        raise ValueError("must_refuse: a question that must be refused has no evidence or answer")
    return EvalQuestion(
        id=_text(data["id"], "id"),
        question=_text(data["question"], "question"),
        language=language,
        kind=_text(kind, "kind"),
        must_refuse=must_refuse,
        evidence=evidence,
        answer_contains=answer_contains,
        history=_strings(data.get("history", []), "history"),
        needs_review=needs_review,
    )


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}: must be a non-empty string")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{name}: must be a list")
    return value


def _strings(value: Any, name: str) -> tuple[str, ...]:
    return tuple(_text(item, f"{name}[{index}]") for index, item in enumerate(_list(value, name)))


def _alternatives(value: Any, name: str) -> str | tuple[str, ...]:
    if isinstance(value, list):
        if not value:
            raise ValueError(f"{name}: a list of alternatives must not be empty")
        return _strings(value, name)
    return _text(value, name)


# --- Matching ------------------------------------------------------------------------------------


def span_form(text: str) -> str:
    """Normalise text for evidence matching: NFC, whitespace collapsed, case kept."""
    return " ".join(nfc(text).split())


def phrase_form(text: str) -> str:
    """Normalise text for answer phrases: NFC, folded, lower case, whitespace collapsed."""
    return " ".join(fold(nfc(text)).lower().split())


def evidence_rank(passages: Sequence[str], evidence: Sequence[str]) -> int | None:
    """Return the 1-based rank of the first passage containing any evidence span, or None."""
    spans = [span_form(span) for span in evidence]
    for rank, passage in enumerate(passages, start=1):
        text = span_form(passage)
        if any(span in text for span in spans):
            return rank
    return None


def missing_phrases(
    text: str, answer_contains: Sequence[str | tuple[str, ...]]
) -> list[str | tuple[str, ...]]:
    """Return the ``answer_contains`` items absent from ``text`` (a tuple item: any of)."""
    answer = phrase_form(text)
    missing: list[str | tuple[str, ...]] = []
    for item in answer_contains:
        alternatives = (item,) if isinstance(item, str) else item
        if not any(phrase_form(phrase) in answer for phrase in alternatives):
            missing.append(item)
    return missing


def quote_supports(quote: str, evidence: Sequence[str]) -> bool:
    """Tell whether ``quote`` and some evidence span contain one another or share 40+ characters."""
    cited = span_form(quote)
    for span in map(span_form, evidence):
        if span in cited or cited in span:
            return True
        overlap = SequenceMatcher(None, cited, span, autojunk=False).find_longest_match()
        if overlap.size >= MIN_OVERLAP_CHARS:
            return True
    return False


# --- Baseline ------------------------------------------------------------------------------------


class _EmbedderAdapter(Embeddings):
    """Our embedder as a LangChain ``Embeddings``, so Chroma never loads its own default model."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return [row.tolist() for row in self.embedder.embed(texts)]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return [float(x) for x in self.embedder.embed([text], query=True)[0]]


class BaselineRetriever:
    """The stock LangChain recipe, built in a throw-away Chroma folder, for comparison only."""

    CHUNK_SIZE = 1000
    CHUNK_OVERLAP = 200
    TOP_K = 4

    def __init__(self, store: Any, chunks: int, documents: int) -> None:
        self.store = store
        self.chunks = chunks
        self.documents = documents

    @classmethod
    def build(
        cls, paths: Sequence[Path], corpus: CorpusSettings, embedder: Embedder, workdir: Path
    ) -> BaselineRetriever:
        """Load, split, embed and store every corpus file under ``paths`` the stock way."""
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings
            from langchain_chroma import Chroma
            from langchain_core.documents import Document
            from langchain_text_splitters import RecursiveCharacterTextSplitter
        except ImportError as exc:
            raise EvalError(
                f"the baseline needs langchain-chroma ({exc.name} is missing): "
                "pip install -e '.[test]'"
            ) from exc
        from ingest.loaders import load_document

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=cls.CHUNK_SIZE, chunk_overlap=cls.CHUNK_OVERLAP
        )
        documents: list[Document] = []
        loaded = 0
        for path in corpus_files(paths, corpus):
            try:
                document = load_document(path, ocr=corpus.ocr)
            except LoadError as exc:
                logger.warning("baseline: skipping %s: %s", path, exc)
                continue
            loaded += 1
            # The stock recipe cleans nothing: the loader's blocks go straight to the splitter.
            text = "\n\n".join(block.text for block in document.blocks)
            documents.extend(splitter.create_documents([text], [{"source": str(path)}]))
        if not documents:
            raise EvalError("baseline: no corpus document could be loaded")

        folder = tempfile.mkdtemp(prefix="baseline-chroma-", dir=workdir)
        client = chromadb.PersistentClient(
            path=folder, settings=ChromaSettings(anonymized_telemetry=False)
        )
        store = Chroma(
            collection_name="baseline", embedding_function=_EmbedderAdapter(embedder), client=client
        )
        batch = client.get_max_batch_size()
        for start in range(0, len(documents), batch):
            chunk = documents[start : start + batch]
            store.add_documents(chunk, ids=[str(start + i) for i in range(len(chunk))])
        logger.info("baseline: %d chunks from %d documents", len(documents), loaded)
        return cls(store, chunks=len(documents), documents=loaded)

    def search(self, question: str) -> list[str]:
        """Return the texts of the top-4 chunks by similarity, best first."""
        found = self.store.similarity_search(question, k=min(self.TOP_K, self.chunks))
        return [document.page_content for document in found]


def corpus_files(paths: Sequence[Path], corpus: CorpusSettings) -> Iterator[Path]:
    """Yield the files under ``paths`` that the corpus globs select, by ingest's rules."""
    seen: set[Path] = set()
    for root in (path.resolve() for path in paths):
        if not root.exists():
            raise EvalError(f"baseline: corpus path not found: {root}")
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            name = path.name
            if path in seen or any(fnmatch.fnmatch(name, p) for p in corpus.exclude):
                continue
            if path.parent.name.startswith("."):
                continue
            if path == root or any(fnmatch.fnmatch(name, p) for p in corpus.include):
                seen.add(path)
                yield path


# --- Scoring -------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    """How one question fared; a check that was not scored is None."""

    id: str
    kind: str
    question: str
    must_refuse: bool | None  # None for an unreviewed question: refusal is not scored
    refused: bool
    refusal_reason: str | None
    answer: str
    retrieval_scored: bool
    hit_rank: int | None  # 1-based rank of the first passage with evidence; None if not retrieved
    retrieved: int
    accurate: bool | None
    citation_ok: bool | None
    latency_ms: float | None  # the answerer's own timings_ms["total"]
    wall_ms: float  # measured around the answer call here
    baseline_rank: int | None = None
    failures: list[str] = field(default_factory=list)
    needs_review: bool = False

    @property
    def failed(self) -> bool:
        """Whether any scored check failed."""
        return bool(self.failures)


def score_answer(question: EvalQuestion, answer: Answer, wall_ms: float) -> QuestionResult:
    """Score one answer against its gold question."""
    must_refuse = None if question.needs_review else question.must_refuse
    answerable = must_refuse is False
    failures: list[str] = []

    retrieval_scored = bool(question.evidence)
    rank = evidence_rank([p.text for p in answer.retrieved], question.evidence)
    if retrieval_scored and rank is None:
        failures.append(f"retrieval: no evidence span in the {len(answer.retrieved)} passages")
    elif retrieval_scored and rank is not None and rank > HIT_DEPTH:
        failures.append(f"retrieval: evidence first at rank {rank}")

    if must_refuse is True and not answer.refused:
        failures.append("answered a question that must be refused")
    if answerable and answer.refused:
        failures.append(f"refused an answerable question ({answer.refusal_reason or 'no reason'})")

    accurate: bool | None = None
    if answerable and question.answer_contains:
        missing = [] if answer.refused else missing_phrases(answer.text, question.answer_contains)
        accurate = not answer.refused and not missing
        if missing:
            failures.append("answer lacks " + ", ".join(_describe(item) for item in missing))

    citation_ok: bool | None = None
    if answerable and question.evidence and not answer.refused:
        citation_ok = any(quote_supports(c.quote, question.evidence) for c in answer.citations)
        if not answer.citations:
            failures.append("no citation")
        elif not citation_ok:
            failures.append("no cited quote matches the evidence")

    return QuestionResult(
        id=question.id,
        kind=question.kind,
        question=question.question,
        must_refuse=must_refuse,
        refused=answer.refused,
        refusal_reason=answer.refusal_reason,
        answer=answer.text,
        retrieval_scored=retrieval_scored,
        hit_rank=rank,
        retrieved=len(answer.retrieved),
        accurate=accurate,
        citation_ok=citation_ok,
        latency_ms=answer.timings_ms.get("total"),
        wall_ms=wall_ms,
        failures=failures,
        needs_review=question.needs_review,
    )


def _describe(item: str | tuple[str, ...]) -> str:
    if isinstance(item, str):
        return repr(item)
    return "one of (" + " | ".join(map(repr, item)) + ")"


def evaluate(
    answerer: Answerer,
    questions: Sequence[EvalQuestion],
    *,
    baseline: BaselineRetriever | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Ask every question (replaying its history first) and score the answers."""
    results: list[QuestionResult] = []
    for done, question in enumerate(questions, start=1):
        history: list[Turn] = []
        for earlier in question.history:
            history.append(Turn(earlier, answerer.answer(earlier, tuple(history))))
        started = time.perf_counter()
        answer = answerer.answer(question.question, tuple(history))
        wall_ms = (time.perf_counter() - started) * 1000
        result = score_answer(question, answer, wall_ms)
        if baseline is not None and question.evidence:
            result.baseline_rank = evidence_rank(
                baseline.search(question.question), question.evidence
            )
        logger.debug("%s: %s", question.id, "; ".join(result.failures) or "ok")
        results.append(result)
        if progress is not None:
            progress(done, len(questions))
    return EvalReport.from_results(results, baseline=baseline is not None)


def summarize(
    results: Sequence[QuestionResult], *, baseline: bool
) -> tuple[dict[str, float | int | None], dict[str, int]]:
    """Return the metrics over ``results`` and, per metric, how many questions it was scored on."""
    retrieval = [r for r in results if r.retrieval_scored]
    ranks = [r.hit_rank for r in retrieval]
    accuracy = [r.accurate for r in results if r.accurate is not None]
    citations = [r.citation_ok for r in results if r.citation_ok is not None]
    must_refuse = [r.refused for r in results if r.must_refuse is True]
    answerable = [r.refused for r in results if r.must_refuse is False]
    latencies = [r.latency_ms for r in results if r.latency_ms is not None]
    # Harmful: an answer given where a refusal was due, or an answer that is wrong.
    harmful = [
        not r.refused and (r.must_refuse or r.accurate is False)
        for r in results if r.must_refuse is not None
    ]
    metrics: dict[str, float | int | None] = {
        "questions": len(results),
        "hit@1": _mean(rank == 1 for rank in ranks),
        "hit@5": _mean(rank is not None and rank <= HIT_DEPTH for rank in ranks),
        "mrr": _mean(1 / rank if rank else 0.0 for rank in ranks),
        "answer_accuracy": _mean(accuracy),
        "citation_correctness": _mean(citations),
        "refusal_accuracy": _mean(must_refuse),
        "false_refusal_rate": _mean(answerable),
        "harmful_rate": _mean(harmful),
        "latency_p50_ms": _percentile(latencies, 50),
        "latency_p95_ms": _percentile(latencies, 95),
    }
    scored = {
        "questions": len(results),
        "hit@1": len(ranks),
        "hit@5": len(ranks),
        "mrr": len(ranks),
        "answer_accuracy": len(accuracy),
        "citation_correctness": len(citations),
        "refusal_accuracy": len(must_refuse),
        "false_refusal_rate": len(answerable),
        "harmful_rate": len(harmful),
        "latency_p50_ms": len(latencies),
        "latency_p95_ms": len(latencies),
    }
    if baseline:
        baseline_ranks = [r.baseline_rank for r in retrieval]
        metrics["baseline_hit@1"] = _mean(rank == 1 for rank in baseline_ranks)
        metrics["baseline_hit@5"] = _mean(
            rank is not None and rank <= HIT_DEPTH for rank in baseline_ranks
        )
        metrics["baseline_mrr"] = _mean(1 / rank if rank else 0.0 for rank in baseline_ranks)
        scored.update(dict.fromkeys(BASELINE_METRICS, len(baseline_ranks)))
    return metrics, scored


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def _percentile(values: Sequence[float], percent: float) -> float | None:
    return float(np.percentile(values, percent)) if values else None


# --- Report --------------------------------------------------------------------------------------

_THRESHOLD = re.compile(r"^\s*(?P<left>[\w@]+)\s*(?P<op>>=|<=|==|>|<)\s*(?P<right>\S+)\s*$")
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
}


@dataclass
class EvalReport:
    """The scores of one evaluation run: overall, per question kind and per question."""

    overall: dict[str, float | int | None]
    scored: dict[str, int]  # per metric of ``overall``: the number of questions it was scored on
    per_kind: dict[str, dict[str, float | int | None]]
    per_question: list[QuestionResult]
    wall_p50_ms: float | None = None
    wall_p95_ms: float | None = None

    @classmethod
    def from_results(cls, results: Sequence[QuestionResult], *, baseline: bool) -> EvalReport:
        """Aggregate per-question results (``baseline``: whether baseline ranks were measured)."""
        overall, scored = summarize(results, baseline=baseline)
        kinds: dict[str, list[QuestionResult]] = {}
        for result in results:
            kinds.setdefault(result.kind, []).append(result)
        per_kind = {kind: summarize(group, baseline=baseline)[0] for kind, group in kinds.items()}
        walls = [r.wall_ms for r in results]
        return cls(
            overall=overall,
            scored=scored,
            per_kind=per_kind,
            per_question=list(results),
            wall_p50_ms=_percentile(walls, 50),
            wall_p95_ms=_percentile(walls, 95),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the whole report as a JSON-ready dict."""
        return {
            "overall": self.overall,
            "scored": self.scored,
            "wall_clock_ms": {"p50": self.wall_p50_ms, "p95": self.wall_p95_ms},
            "per_kind": self.per_kind,
            "per_question": [
                {**asdict(result), "failed": result.failed} for result in self.per_question
            ],
        }

    def check(self, thresholds: Sequence[str]) -> list[str]:
        """Return one message per violated threshold such as ``hit@5>=0.95`` or ``a>b``.

        The right side is a number or another metric. A metric that was not measured violates
        every threshold on it; a malformed expression or unknown metric raises EvalError.
        """
        parsed = [self._parse_threshold(expression) for expression in thresholds]
        violations = []
        for expression, left, compare, right in parsed:
            left_value = self.overall.get(left)
            right_value = self.overall.get(right) if isinstance(right, str) else right
            if left_value is None or right_value is None:
                missing = left if left_value is None else right
                violations.append(f"{expression}: {missing} was not measured")
            elif not compare(left_value, right_value):
                shown = f"{left} is {_figure(left_value)}"
                if isinstance(right, str):
                    shown += f", {right} is {_figure(right_value)}"
                violations.append(f"{expression}: {shown}")
        return violations

    def _parse_threshold(
        self, expression: str
    ) -> tuple[str, str, Callable[[float, float], bool], str | float]:
        match = _THRESHOLD.match(expression)
        if match is None:
            raise EvalError(f"threshold {expression!r}: expected METRIC>=VALUE (or <=, >, <, ==)")
        known = (*METRICS, *BASELINE_METRICS)
        left, text = match.group("left"), match.group("right")
        right: str | float
        try:
            right = float(text)
        except ValueError:
            right = text
        for name in (left, right):
            if isinstance(name, str) and name not in known:
                raise EvalError(
                    f"threshold {expression!r}: unknown metric {name!r} "
                    f"(known: {', '.join(known)})"
                )
        return expression.strip(), left, _OPERATORS[match.group("op")], right

    def format(self) -> str:
        """Return a readable report: overall, per kind, then the failed questions only."""
        baseline = "baseline_hit@5" in self.overall
        lines = [f"{self.overall['questions']} questions"]
        lines.append(f"{'metric':<22}{'ours':>8}" + (f"{'baseline':>10}" if baseline else "")
                     + f"{'scored':>8}")
        for name in METRICS[1:9]:
            row = f"{name:<22}{_figure(self.overall[name]):>8}"
            if baseline:
                row += f"{_figure(self.overall.get('baseline_' + name)):>10}"
            lines.append(row + f"{self.scored[name]:>8}")
        lines.append(
            f"{'latency ms p50/p95':<22}{_ms(self.overall['latency_p50_ms'])} / "
            f"{_ms(self.overall['latency_p95_ms'])}   (wall clock {_ms(self.wall_p50_ms)} / "
            f"{_ms(self.wall_p95_ms)})"
        )

        columns = ("hit@5", "mrr", "answer_accuracy", "citation_correctness",
                   "refusal_accuracy", "false_refusal_rate", "harmful_rate")
        headers = ("hit@5", "mrr", "answer", "cite", "refuse", "false-ref", "harmful")
        width = max(len("kind"), *(len(kind) for kind in self.per_kind))
        lines.append("")
        lines.append(f"{'kind':<{width}}{'n':>5}" + "".join(f"{h:>10}" for h in headers))
        for kind, metrics in self.per_kind.items():
            lines.append(
                f"{kind:<{width}}{metrics['questions']:>5}"
                + "".join(f"{_figure(metrics[c]):>10}" for c in columns)
            )

        failed = [r for r in self.per_question if r.failed]
        lines.append("")
        lines.append(f"failed: {len(failed)} of {len(self.per_question)}")
        for result in failed:
            lines.append(f"{result.id} [{result.kind}] {_clip(result.question, 100)}")
            lines.extend(f"    - {failure}" for failure in result.failures)
            given = "refused" if result.refused else "answered"
            lines.append(f"    {given}: {_clip(result.answer, 160)}")
        review = [r for r in self.per_question if r.needs_review]
        if review:
            lines.append("")
            lines.append(f"needs review (not scored on refusal): {len(review)}")
            for result in review:
                given = "refused" if result.refused else "answered"
                lines.append(f"{result.id} {_clip(result.question, 80)} -> {given}: "
                             f"{_clip(result.answer, 100)}")
        return "\n".join(lines)


def _figure(value: float | int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}"


def _ms(value: float | int | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Refusal against accuracy --------------------------------------------------------------------

CURVE_METRICS = ("answer_accuracy", "refusal_accuracy", "false_refusal_rate", "harmful_rate")


def parse_curve(text: str) -> tuple[str, list[float]]:
    """Parse ``answer.NAME=V1,V2,...`` into the answer setting and its values, checked."""
    from bot.answering.settings import AnswerSettings

    name, _, raw = text.partition("=")
    field = name.strip().removeprefix("answer.")
    info = AnswerSettings.model_fields.get(field)
    thresholds = [f for f, i in AnswerSettings.model_fields.items() if i.annotation is float]
    if info is None or info.annotation is not float:
        raise EvalError(
            f"--curve: {name.strip()!r} is not a threshold of the answer section "
            f"(one of: {', '.join('answer.' + f for f in thresholds)})"
        )
    try:
        values = [float(v) for v in raw.split(",") if v.strip()]
    except ValueError:
        raise EvalError(f"--curve: {raw!r} is not a comma-separated list of numbers") from None
    if not values or any(not 0 <= v <= 1 for v in values):
        raise EvalError("--curve: give one or more values between 0 and 1, e.g. =0.3,0.45,0.6")
    return field, values


def threshold_curve(
    answerers: Iterable[tuple[float, Answerer]], questions: Sequence[EvalQuestion]
) -> list[dict[str, float | None]]:
    """Score ``questions`` with each (threshold value, answerer): one point of the curve each."""
    points: list[dict[str, float | None]] = []
    for value, answerer in answerers:
        overall = evaluate(answerer, questions).overall
        points.append({"value": value, **{m: _as_float(overall[m]) for m in CURVE_METRICS}})
    return points


def format_curve(setting: str, points: Sequence[dict[str, float | None]]) -> str:
    """Return the curve as a table, one row per threshold value."""
    headers = ("answer", "refuse", "false-ref", "harmful")
    lines = [f"answer.{setting:<20}" + "".join(f"{h:>10}" for h in headers)]
    for point in points:
        lines.append(f"{point['value']:<27g}"
                     + "".join(f"{_figure(point[m]):>10}" for m in CURVE_METRICS))
    return "\n".join(lines)


def _as_float(value: float | int | None) -> float | None:
    return None if value is None else float(value)
