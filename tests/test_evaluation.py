"""The evaluation harness: question files, every metric, thresholds, and the LangChain baseline."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.answering.types import Answer, Citation, Turn
from bot.evaluation import (
    BASELINE_METRICS,
    METRICS,
    BaselineRetriever,
    EvalError,
    EvalQuestion,
    EvalReport,
    corpus_files,
    evaluate,
    load_questions,
)
from ingest.settings import CorpusSettings
from vectorstore.model import Passage

ROOT = Path(__file__).resolve().parents[1]

FILLER = [f"Filler passage number {n} about unrelated matters of the day." for n in range(10)]


@dataclass
class Reply:
    """What the scripted answerer says to one question."""

    text: str = ""
    refused: bool = False
    quotes: Sequence[str] = ()
    retrieved: Sequence[str] = ()
    total_ms: float | None = 10.0


@dataclass
class ScriptedAnswerer:
    """Answers from a script keyed by question, and records every call with its history."""

    script: dict[str, Reply]
    calls: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        self.calls.append((question, tuple(turn.question for turn in history)))
        reply = self.script[question]
        passages = [
            Passage(
                chunk_id=f"c{rank}", doc_id="d1", source="doc.txt", title="Doc", text=text,
                score=1.0 / rank,
            )
            for rank, text in enumerate(reply.retrieved, start=1)
        ]
        citations = [
            Citation(n=n, chunk_id="c1", doc_id="d1", source="doc.txt", title="Doc", quote=quote,
                     score=0.5)
            for n, quote in enumerate(reply.quotes, start=1)
        ]
        timings = {} if reply.total_ms is None else {"total": reply.total_ms}
        return Answer(
            question=question, text=reply.text, refused=reply.refused, language="en",
            citations=citations, retrieved=passages, timings_ms=timings,
            refusal_reason="off_topic" if reply.refused else None,
        )


def gold(
    qid: str,
    *,
    kind: str = "fact",
    must_refuse: bool = False,
    evidence: Sequence[str] = (),
    answer_contains: Sequence[str | tuple[str, ...]] = (),
    history: Sequence[str] = (),
    needs_review: bool = False,
    question: str | None = None,
) -> EvalQuestion:
    return EvalQuestion(
        id=qid, question=question or f"question {qid}?", language="en", kind=kind,
        must_refuse=must_refuse,
        evidence=tuple(evidence), answer_contains=tuple(answer_contains), history=tuple(history),
        needs_review=needs_review,
    )


def run(cases: list[tuple[EvalQuestion, Reply]], **kwargs: Any) -> EvalReport:
    answerer = ScriptedAnswerer({q.question: reply for q, reply in cases})
    return evaluate(answerer, [q for q, _ in cases], **kwargs)


def by_id(report: EvalReport) -> dict[str, Any]:
    return {result.id: result for result in report.per_question}


# --- retrieval -----------------------------------------------------------------------------------

SPAN = "The commissar must assume the responsibility before the party committee"


def with_evidence_at(rank: int) -> list[str]:
    passages = list(FILLER[:9])
    passages.insert(rank - 1, f"Title\n\nIn each unit, {SPAN} and higher echelons.")
    return passages


def test_hit_ranks_and_mrr() -> None:
    report = run([
        (gold("r1", evidence=[SPAN]), Reply(quotes=[SPAN], retrieved=with_evidence_at(1))),
        (gold("r3", evidence=[SPAN]), Reply(quotes=[SPAN], retrieved=with_evidence_at(3))),
        (gold("r7", evidence=[SPAN]), Reply(quotes=[SPAN], retrieved=with_evidence_at(7))),
        (gold("miss", evidence=[SPAN]), Reply(quotes=[SPAN], retrieved=FILLER)),
        (gold("none"), Reply(retrieved=FILLER)),  # no evidence: not scored on retrieval
    ])
    ranks = {qid: r.hit_rank for qid, r in by_id(report).items()}
    assert ranks == {"r1": 1, "r3": 3, "r7": 7, "miss": None, "none": None}
    assert report.overall["hit@1"] == pytest.approx(1 / 4)
    assert report.overall["hit@5"] == pytest.approx(2 / 4)
    assert report.overall["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 7 + 0) / 4)
    assert report.scored["hit@5"] == 4
    results = by_id(report)
    assert results["r3"].failures == []
    assert results["r7"].failures == ["retrieval: evidence first at rank 7"]
    assert results["miss"].failures == ["retrieval: no evidence span in the 10 passages"]


def test_evidence_is_any_of_whitespace_and_nfc_insensitive_but_case_sensitive() -> None:
    nfd = unicodedata.normalize("NFD", "Nghị quyết số 25-NQ/TW về tăng cường công tác dân vận")
    passage = "Header\n\n" + nfd.replace(" về ", "\n  về ")
    report = run([
        (gold("alt", evidence=["not in any passage at all, anywhere", "Nghị quyết số 25-NQ/TW về"]),
         Reply(retrieved=[FILLER[0], passage])),
        (gold("case", evidence=["nghị quyết số 25-NQ/TW về tăng cường"]),
         Reply(retrieved=[passage])),
    ])
    results = by_id(report)
    assert results["alt"].hit_rank == 2
    assert results["case"].hit_rank is None


# --- answers -------------------------------------------------------------------------------------


def test_answer_accuracy_all_of_with_any_of_alternatives_and_diacritics() -> None:
    contains = ["Nghị quyết 25", ("June 3rd, 2013", "3 June 2013")]
    report = run([
        (gold("alt2", answer_contains=contains),
         Reply(text="NGHI QUYET  25 was issued on 3 June 2013 [1].")),
        (gold("alt1", answer_contains=contains),
         Reply(text="Nghị quyết 25 dated June 3rd, 2013 [1].")),
        (gold("missing", answer_contains=contains),
         Reply(text="Nghị quyết 25 was issued in 2013 [1].")),
        (gold("refused", answer_contains=["Nghị quyết 25"]),
         Reply(text="Nghị quyết 25 is not in the documents.", refused=True)),
        (gold("ungraded"), Reply(text="Something.")),
    ])
    results = by_id(report)
    assert [results[q].accurate for q in ("alt2", "alt1", "missing", "refused", "ungraded")] == [
        True, True, False, False, None
    ]
    assert report.overall["answer_accuracy"] == pytest.approx(2 / 4)
    assert report.scored["answer_accuracy"] == 4
    assert results["missing"].failures == ["answer lacks one of ('June 3rd, 2013' | '3 June 2013')"]
    assert results["refused"].failures == ["refused an answerable question (off_topic)"]


def test_citation_correctness() -> None:
    long_span = "Mass mobilization must serve as a bridge between the Party and the people"
    shared = "serve as a bridge between the Party and the people"  # 51 characters in common
    report = run([
        (gold("quote-contains", evidence=[long_span]),
         Reply(text="a", quotes=[f"In short, {long_span} everywhere."])),
        (gold("span-contains", evidence=[long_span]),
         Reply(text="a", quotes=["a bridge between the Party"])),
        (gold("overlap", evidence=[long_span]),
         Reply(text="a", quotes=["Units, too, " + shared + " in every province."])),
        (gold("short-overlap", evidence=[long_span]),
         Reply(text="a", quotes=["Officials serve as a bridge between them and others."])),
        (gold("second-quote", evidence=["unrelated span that is not quoted", long_span]),
         Reply(text="a", quotes=["Something else.", long_span])),
        (gold("no-citation", evidence=[long_span]), Reply(text="a")),
        (gold("refused", evidence=[long_span]), Reply(text="no", refused=True)),
        (gold("must-refuse", must_refuse=True), Reply(text="b", quotes=["whatever"])),
    ])
    results = by_id(report)
    assert {q: r.citation_ok for q, r in results.items()} == {
        "quote-contains": True, "span-contains": True, "overlap": True, "short-overlap": False,
        "second-quote": True, "no-citation": False, "refused": None, "must-refuse": None,
    }
    assert report.overall["citation_correctness"] == pytest.approx(4 / 6)
    assert "no cited quote matches the evidence" in results["short-overlap"].failures
    assert "no citation" in results["no-citation"].failures


def test_refusal_accuracy_and_false_refusal_rate() -> None:
    report = run([
        (gold("rf1", kind="refuse-offtopic", must_refuse=True), Reply(text="No.", refused=True)),
        (gold("rf2", kind="refuse-offtopic", must_refuse=True), Reply(text="No.", refused=True)),
        (gold("rf3", kind="refuse-injection", must_refuse=True), Reply(text="Sure, here it is.")),
        (gold("a1"), Reply(text="Yes [1].")),
        (gold("a2"), Reply(text="Yes [1].")),
        (gold("a3"), Reply(text="Yes [1].")),
        (gold("a4"), Reply(text="No.", refused=True)),
        (gold("review", needs_review=True), Reply(text="No.", refused=True)),
    ])
    assert report.overall["refusal_accuracy"] == pytest.approx(2 / 3)
    assert report.overall["false_refusal_rate"] == pytest.approx(1 / 4)
    assert report.scored["refusal_accuracy"] == 3
    assert report.scored["false_refusal_rate"] == 4  # the unreviewed question is not counted
    assert by_id(report)["rf3"].failures == ["answered a question that must be refused"]
    assert report.per_kind["refuse-offtopic"]["refusal_accuracy"] == 1.0
    assert report.per_kind["refuse-injection"]["refusal_accuracy"] == 0.0
    assert report.per_kind["fact"]["refusal_accuracy"] is None
    assert list(report.per_kind) == ["refuse-offtopic", "refuse-injection", "fact"]


def test_latency_percentiles_from_the_answer_timings() -> None:
    cases = [(gold(f"q{n}"), Reply(text="x", total_ms=float(n))) for n in range(1, 101)]
    cases.append((gold("untimed"), Reply(text="x", total_ms=None)))
    report = run(cases)
    assert report.overall["latency_p50_ms"] == pytest.approx(50.5)
    assert report.overall["latency_p95_ms"] == pytest.approx(95.05)
    assert report.scored["latency_p50_ms"] == 100
    assert all(result.wall_ms >= 0 for result in report.per_question)
    assert report.wall_p95_ms is not None


def test_history_is_replayed_in_order_and_only_the_last_question_is_scored() -> None:
    question = gold("f1", kind="followup", answer_contains=["June 2013"],
                    history=["first question?", "second question?"])
    answerer = ScriptedAnswerer({
        "first question?": Reply(text="About Resolution 25 [1]."),
        "second question?": Reply(text="It concerns mass mobilization [1]."),
        question.question: Reply(text="It was issued in June 2013 [1]."),
        "standalone?": Reply(text="x"),
    })
    report = evaluate(answerer, [question, gold("s", question="standalone?")])
    assert answerer.calls == [
        ("first question?", ()),
        ("second question?", ("first question?",)),
        (question.question, ("first question?", "second question?")),
        ("standalone?", ()),
    ]
    assert report.overall["questions"] == 2
    assert report.overall["answer_accuracy"] == 1.0


def test_history_turns_carry_the_earlier_answers() -> None:
    seen: list[Sequence[Turn]] = []

    class Recording(ScriptedAnswerer):
        def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
            seen.append(history)
            return super().answer(question, history)

    question = gold("f", history=["earlier?"])
    answerer = Recording({"earlier?": Reply(text="Earlier answer."), question.question: Reply()})
    evaluate(answerer, [question])
    assert [turn.answer.text for turn in seen[1]] == ["Earlier answer."]


def test_progress_is_reported_per_question() -> None:
    seen: list[tuple[int, int]] = []
    run([(gold("a"), Reply()), (gold("b"), Reply())], progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 2), (2, 2)]


# --- report and thresholds ----------------------------------------------------------------------


def sample_report() -> EvalReport:
    return run([
        (gold("good", evidence=[SPAN], answer_contains=["commissar"]),
         Reply(text="The commissar [1].", quotes=[SPAN], retrieved=with_evidence_at(1))),
        (gold("bad", kind="paraphrase", evidence=[SPAN], answer_contains=["party committee"]),
         Reply(text="Nobody in particular [1].", quotes=["Nobody."], retrieved=FILLER)),
        (gold("rf", kind="refuse-offtopic", must_refuse=True), Reply(text="No.", refused=True)),
    ])


def test_overall_keys_are_exact_and_the_report_is_json_ready() -> None:
    report = sample_report()
    assert tuple(report.overall) == METRICS
    data = json.loads(json.dumps(report.to_dict()))
    assert data["overall"]["hit@5"] == 0.5
    assert [q["id"] for q in data["per_question"] if q["failed"]] == ["bad"]
    assert set(data["per_kind"]) == {"fact", "paraphrase", "refuse-offtopic"}


def test_format_lists_only_failed_questions_with_what_went_wrong() -> None:
    text = sample_report().format()
    assert "3 questions" in text
    assert "failed: 1 of 3" in text
    assert "bad [paraphrase]" in text
    assert "answer lacks 'party committee'" in text
    assert "answered: Nobody in particular [1]." in text
    assert "good [" not in text and "rf [" not in text
    assert "baseline" not in text


def test_check_reports_each_violated_threshold() -> None:
    report = sample_report()
    assert report.check(["hit@1>=0.5", "refusal_accuracy == 1", "questions>2"]) == []
    assert report.check(["hit@5>=0.95", "false_refusal_rate<=0.05", "mrr>hit@1"]) == [
        "hit@5>=0.95: hit@5 is 0.500",
        "mrr>hit@1: mrr is 0.500, hit@1 is 0.500",
    ]
    assert report.check(["hit@5>baseline_hit@5"]) == [
        "hit@5>baseline_hit@5: baseline_hit@5 was not measured"
    ]


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("hits@5>=0.9", "unknown metric 'hits@5'"),
        ("hit@5>=recall", "unknown metric 'recall'"),
        ("hit@5 0.9", "expected METRIC>=VALUE"),
        ("hit@5=>0.9", "expected METRIC>=VALUE"),
    ],
)
def test_check_rejects_malformed_thresholds(expression: str, problem: str) -> None:
    with pytest.raises(EvalError, match=problem):
        sample_report().check(["hit@1>=0", expression])


# --- question files ------------------------------------------------------------------------------

GOOD = {
    "id": "en-001", "question": "When?", "language": "en", "kind": "date", "must_refuse": False,
    "evidence": ["Resolution 25-NQ/TW was adopted on 3 June 2013"],
    "answer_contains": [["3 June 2013", "June 3rd, 2013"], "2013"],
}


def write_lines(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_questions_reads_every_field(tmp_path: Path) -> None:
    follow = {**GOOD, "id": "en-002", "history": ["What is Resolution 25?"]}
    refuse = {"id": "rf-1", "question": "Weather?", "language": "en", "kind": "refuse-offtopic",
              "must_refuse": True, "evidence": [], "answer_contains": []}
    path = write_lines(tmp_path, [json.dumps(GOOD), "", json.dumps(follow), json.dumps(refuse)])
    questions = load_questions(path)
    assert [q.id for q in questions] == ["en-001", "en-002", "rf-1"]
    assert questions[0].answer_contains == (("3 June 2013", "June 3rd, 2013"), "2013")
    assert questions[1].history == ("What is Resolution 25?",)
    assert questions[2].must_refuse and not questions[2].evidence


def test_load_questions_accepts_feedback_exports_for_review(tmp_path: Path) -> None:
    exported = {"id": "fb-3", "question": "Ai ký?", "language": "vi", "must_refuse": False,
                "evidence": [], "answer_contains": [], "needs_review": True, "vote": "down",
                "previous_answer": "…"}
    [question] = load_questions(write_lines(tmp_path, [json.dumps(exported, ensure_ascii=False)]))
    assert question.needs_review and question.kind == "needs-review"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"id": "x", "question": ', "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "kind"}), "kind: missing"),
        (json.dumps({**GOOD, "must_refuse": "no"}), "must_refuse: must be true or false"),
        (json.dumps({**GOOD, "language": "fr"}), "language: must be one of en, vi"),
        (json.dumps({**GOOD, "question": "  "}), "question: must be a non-empty string"),
        (json.dumps({**GOOD, "evidence": "one span"}), "evidence: must be a list"),
        (json.dumps({**GOOD, "evidence": [""]}), r"evidence\[0\]: must be a non-empty string"),
        (json.dumps({**GOOD, "answer_contains": ["a", []]}), r"answer_contains\[1\]: a list"),
        (json.dumps({**GOOD, "answer_contains": [3]}), r"answer_contains\[0\]: must be"),
        (json.dumps({**GOOD, "evidnce": []}), "evidnce: unknown field"),
        (json.dumps({**GOOD, "must_refuse": True}), "must_refuse: a question that must be"),
        (json.dumps({**GOOD, "history": "earlier?"}), "history: must be a list"),
    ],
)
def test_malformed_lines_name_the_file_line_and_problem(
    tmp_path: Path, line: str, problem: str
) -> None:
    path = write_lines(tmp_path, [json.dumps({**GOOD, "id": "first"}), "", line])
    with pytest.raises(EvalError, match=rf"^{path}:3: {problem}"):
        load_questions(path)


def test_duplicate_ids_and_empty_files_are_errors(tmp_path: Path) -> None:
    path = write_lines(tmp_path, [json.dumps(GOOD), json.dumps(GOOD)])
    with pytest.raises(EvalError, match=r":2: id: duplicate 'en-001' \(first on line 1\)"):
        load_questions(path)
    with pytest.raises(EvalError, match="no questions"):
        load_questions(write_lines(tmp_path, [""]))
    with pytest.raises(EvalError, match="cannot read"):
        load_questions(tmp_path / "absent.jsonl")


def test_the_project_question_set_loads() -> None:
    questions = load_questions(ROOT / "tests" / "eval" / "questions.jsonl")
    assert len(questions) >= 60
    assert sum(q.must_refuse for q in questions) >= 12
    assert not any(q.needs_review for q in questions)


# --- baseline ------------------------------------------------------------------------------------

BRIDGE = "Mass mobilization is a bridge between the Party and the people in every commune."
ALPINE = "Mountain goats climb steep cliffs in the alpine summer to find fresh grass."


def write_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / ".hidden").mkdir(parents=True)
    (corpus / "mobilization.txt").write_text(
        "Mass mobilization\n\n" + BRIDGE + "\n\n" + " ".join(FILLER) * 3, encoding="utf-8"
    )
    (corpus / "goats.md").write_text("# Goats\n\n" + ALPINE + "\n", encoding="utf-8")
    (corpus / "goats.meta.yaml").write_text("title: Goats\n", encoding="utf-8")
    (corpus / ".hidden" / "secret.txt").write_text("hidden", encoding="utf-8")
    (corpus / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return corpus


def forbid_chroma_default_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if Chroma ever runs its own embedding model (it would download one)."""
    from chromadb.api.types import DefaultEmbeddingFunction
    from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("Chroma's default embedding function was used")

    monkeypatch.setattr(DefaultEmbeddingFunction, "__call__", forbidden)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__call__", forbidden)


def test_corpus_files_follow_the_corpus_globs(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path)
    found = [p.name for p in corpus_files([corpus], CorpusSettings())]
    assert found == ["goats.md", "mobilization.txt"]
    with pytest.raises(EvalError, match="corpus path not found"):
        list(corpus_files([tmp_path / "absent"], CorpusSettings()))


def test_baseline_is_built_the_stock_way_and_scored_next_to_ours(
    tmp_path: Path, hashing_embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    forbid_chroma_default_embeddings(monkeypatch)
    corpus = write_corpus(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    baseline = BaselineRetriever.build([corpus], CorpusSettings(), hashing_embedder, work)
    assert baseline.documents == 2
    assert baseline.chunks >= 3  # the long file is split at 1,000 characters
    found = baseline.search("mountain goats alpine cliffs")
    assert len(found) == BaselineRetriever.TOP_K and ALPINE in found[0]

    report = run(
        [
            (gold("goats", evidence=[ALPINE[:50]], question="mountain goats alpine cliffs"),
             Reply(text="x", retrieved=[ALPINE])),
            (gold("bridge", evidence=["a bridge between the Party and the people"]),
             Reply(text="x", retrieved=[FILLER[0], BRIDGE])),
        ],
        baseline=baseline,
    )
    assert tuple(report.overall) == METRICS + BASELINE_METRICS
    assert by_id(report)["goats"].baseline_rank == 1
    assert report.overall["hit@1"] == 0.5
    assert report.overall["baseline_hit@1"] is not None
    assert report.check(["baseline_hit@5>=0.5"]) == []
    assert "baseline" in report.format()


def test_baseline_without_langchain_chroma_is_a_clear_error(
    tmp_path: Path, hashing_embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "langchain_chroma", None)
    corpus = write_corpus(tmp_path)
    with pytest.raises(EvalError, match="the baseline needs langchain-chroma"):
        BaselineRetriever.build([corpus], CorpusSettings(), hashing_embedder, tmp_path)


@pytest.mark.slow
def test_baseline_with_the_real_model_retrieves_the_right_chunk(
    tmp_path: Path, real_embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    forbid_chroma_default_embeddings(monkeypatch)
    corpus = write_corpus(tmp_path)
    baseline = BaselineRetriever.build([corpus], CorpusSettings(), real_embedder, tmp_path)
    found = baseline.search("What animals live on high mountain rocks?")
    assert ALPINE in found[0]
    found = baseline.search("What links the Communist Party with ordinary citizens?")
    assert BRIDGE in found[0]


def test_harmful_rate_counts_wrong_answers_and_answers_due_a_refusal() -> None:
    report = run([
        (gold("rf1", kind="refuse-offtopic", must_refuse=True), Reply(text="No.", refused=True)),
        (gold("rf2", kind="refuse-offtopic", must_refuse=True), Reply(text="Sure [1].")),
        (gold("a1", answer_contains=["2014"]), Reply(text="In 2014 [1].")),
        (gold("a2", answer_contains=["2014"]), Reply(text="In 2015 [1].")),  # wrong
        (gold("a3", answer_contains=["2014"]), Reply(text="No.", refused=True)),  # not harmful
        (gold("review", needs_review=True), Reply(text="Sure [1].")),  # not scored
    ])
    assert report.overall["harmful_rate"] == pytest.approx(2 / 5)
    assert report.scored["harmful_rate"] == 5
    assert report.per_kind["refuse-offtopic"]["harmful_rate"] == pytest.approx(1 / 2)
    assert "harmful" in report.format()


def test_threshold_curve_scores_each_value_and_formats_a_row_each() -> None:
    from bot.evaluation import format_curve, parse_curve, threshold_curve

    questions = [gold("a1", answer_contains=["2014"]), gold("rf", must_refuse=True)]
    lenient = ScriptedAnswerer({"question a1?": Reply(text="In 2014 [1]."),
                                "question rf?": Reply(text="Sure [1].")})
    strict = ScriptedAnswerer({"question a1?": Reply(text="No.", refused=True),
                               "question rf?": Reply(text="No.", refused=True)})
    setting, values = parse_curve("answer.min_coverage=0.2,0.8")
    assert (setting, values) == ("min_coverage", [0.2, 0.8])
    points = threshold_curve([(0.2, lenient), (0.8, strict)], questions)
    assert points[0] == {"value": 0.2, "answer_accuracy": 1.0, "refusal_accuracy": 0.0,
                         "false_refusal_rate": 0.0, "harmful_rate": 0.5}
    assert points[1]["refusal_accuracy"] == 1.0
    assert points[1]["false_refusal_rate"] == 1.0
    assert points[1]["harmful_rate"] == 0.0
    table = format_curve(setting, points).splitlines()
    assert table[0].startswith("answer.min_coverage") and len(table) == 3


@pytest.mark.parametrize(("text", "problem"), [
    ("answer.max_sentences=1,2", "not a threshold"),
    ("answer.nonsense=0.1", "not a threshold"),
    ("answer.min_coverage=a,b", "not a comma-separated list"),
    ("answer.min_coverage=1.5", "between 0 and 1"),
    ("answer.min_coverage=", "between 0 and 1"),
])
def test_curve_rejects_what_is_not_a_threshold(text: str, problem: str) -> None:
    from bot.evaluation import EvalError, parse_curve

    with pytest.raises(EvalError, match=problem):
        parse_curve(text)
