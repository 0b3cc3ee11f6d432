"""The project's question set, scored in CI: the answerer must stay above measured thresholds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.evaluation import BaselineRetriever, evaluate, load_questions
from tests.conftest import EXAMPLE_CORPUS, ROOT

pytestmark = pytest.mark.slow

# Set from the figures measured on this set with the default model, multilingual-e5-small (see
# the README: hit@5 0.957, answer 0.904, citations 0.924); a change that lowers any of them below
# these fails CI. (The English-only all-MiniLM-L6-v2 answers English paraphrases better here:
# 0.926 and 0.935.)
THRESHOLDS = (
    "hit@5>=0.95",
    "answer_accuracy>=0.88",
    "citation_correctness>=0.91",
    "refusal_accuracy>=0.95",
    "false_refusal_rate<=0.05",
    "hit@5>baseline_hit@5",
    "mrr>baseline_mrr",
)


def test_question_set_meets_the_thresholds(
    real_answerer: Any, indexed_services: Any, shared_corpus: Path, tmp_path: Path
) -> None:
    questions = load_questions(ROOT / "tests" / "eval" / "questions.jsonl")
    assert len(questions) >= 60
    assert sum(q.must_refuse for q in questions) >= 12
    baseline = BaselineRetriever.build(
        [shared_corpus, EXAMPLE_CORPUS],
        indexed_services.settings.corpus,
        indexed_services.embedder,
        tmp_path,
    )
    report = evaluate(real_answerer, questions, baseline=baseline)
    print(report.format())
    assert report.check(THRESHOLDS) == [], report.format()


# The meaning sets (paraphrase, cross-lingual, phone-typed, must-refuse), over their own documents
# too. Floors set from the figures measured with the default model (see the README): the
# held-out split was measured, never tuned on, so its floors guard against regressions only.
HELDOUT_FLOORS = ("answer_accuracy>=0.58", "refusal_accuracy>=0.80", "harmful_rate<=0.25")
MEANING_FLOORS = {
    "meaning.jsonl": ("answer_accuracy>=0.80", "refusal_accuracy>=0.95", "harmful_rate<=0.06"),
    "heldout.jsonl": HELDOUT_FLOORS,
}


@pytest.fixture(scope="module")
def meaning_answerer(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: Any, shared_corpus: Path
) -> Any:
    from bot.answering import build_answerer
    from tests.conftest import ingested_services

    services = ingested_services(
        tmp_path_factory.mktemp("meaning"),
        [shared_corpus, EXAMPLE_CORPUS, ROOT / "tests" / "eval" / "corpus"],
        real_embedder,
    )
    return build_answerer(services.settings, services)


@pytest.mark.parametrize("name", sorted(MEANING_FLOORS))
def test_meaning_sets_stay_above_their_floors(meaning_answerer: Any, name: str) -> None:
    report = evaluate(meaning_answerer, load_questions(ROOT / "tests" / "eval" / name))
    print(report.format())
    assert report.check(MEANING_FLOORS[name]) == [], report.format()


def test_a_passage_from_the_other_language_is_judged_with_its_header(
    meaning_answerer: Any,
) -> None:
    # The directive's sentence does not repeat the district's name; its header does. The passage
    # reaches the answerer as the other language's best, and must be judged whole, not refused
    # as "not about Hoa Son".
    answer = meaning_answerer.answer(
        "Under Hoa Son's directive, what share of villages and residential groups should have "
        "at least one model by 2026?"
    )
    assert not answer.refused, answer.text
    assert "100%" in answer.text and answer.citations[0].quote in answer.text


# The development set (tests/eval/dev.jsonl), over ten more documents: written after the meaning
# sets and tuned on whole, so its floors guard this release's fixes against regressions.
DEV_FLOORS = ("answer_accuracy>=0.80", "refusal_accuracy>=0.94", "harmful_rate<=0.05")


def test_the_development_set_stays_above_its_floors(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: Any, shared_corpus: Path
) -> None:
    from bot.answering import build_answerer
    from tests.conftest import ingested_services

    eval_dir = ROOT / "tests" / "eval"
    services = ingested_services(
        tmp_path_factory.mktemp("dev"),
        [shared_corpus, EXAMPLE_CORPUS, eval_dir / "corpus", eval_dir / "corpus-dev"],
        real_embedder,
    )
    answerer = build_answerer(services.settings, services)
    report = evaluate(answerer, load_questions(eval_dir / "dev.jsonl"))
    print(report.format())
    assert report.check(DEV_FLOORS) == [], report.format()
    # A Vietnamese paraphrase ("gia đình … vượt qua chuẩn nghèo" for "hộ thoát nghèo") shares too
    # few words with its answer to be answered on them; the sentence sharing the most is also the
    # closest in meaning of the best few, and holds the count asked for.
    question = "Năm 2024 có bao nhiêu gia đình ở Quỳnh Lâm vượt qua chuẩn nghèo?"
    answer = answerer.answer(question)
    assert not answer.refused and "36 hộ thoát nghèo" in answer.citations[0].quote, answer.text
    settings = services.settings
    words_only = settings.model_copy(
        update={"answer": settings.answer.model_copy(update={"semantic_rescue": 0})}
    )
    assert build_answerer(words_only, services).answer(question).refused
    # The sentence sharing the most words is another document's ("The section runs 42
    # kilometres …", of a province's ring road); the report naming Quỳnh Lâm holds the figure.
    answer = answerer.answer(
        "How many kilometres of concrete road did Quỳnh Lâm commune build or upgrade in 2024?"
    )
    assert not answer.refused and "11,3 km" in answer.citations[0].quote, answer.text
