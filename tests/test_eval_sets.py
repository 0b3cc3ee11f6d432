"""The meaning question sets (tuned and held-out) checked against their documents, without a model.

Every evidence span must be found, character for character after whitespace normalisation, inside
one body paragraph of a document the case names, and in no document it does not name; every
required answer phrase must be reachable from a paragraph holding the evidence; the held-out split
must follow its fixed rule; and the kinds must keep the shape their names promise.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.evaluation import EvalQuestion, load_questions, phrase_form, span_form
from ingest.clean import clean_document, read_sidecar
from ingest.loaders import load_document
from ingest.model import CleanDocument
from tests.conftest import EXAMPLE_CORPUS, ROOT
from vectorstore.text import fold

EVAL = ROOT / "tests" / "eval"
NEW_CORPUS = EVAL / "corpus"
DEV_CORPUS = EVAL / "corpus-dev"
SETS = {"tuned": EVAL / "meaning.jsonl", "heldout": EVAL / "heldout.jsonl"}
# The development set: written over six more documents after the meaning sets, and used to choose
# the changes of the release that added it, so it is tuned on as a whole (no held-out part).
DEV = EVAL / "dev.jsonl"
# The fresh held-out set: 180 questions over twelve more documents, in three batches of 60 over
# four, each written by a writer who had seen none of the code or the other sets, measured on
# arrival and never tuned on.
FRESH = EVAL / "fresh.jsonl"
FRESH_CORPUS = EVAL / "corpus-fresh"

ANSWERABLE_KINDS = {
    "paraphrase": "para",
    "crosslingual-vi-en": "xve",
    "crosslingual-en-vi": "xev",
    "vi-informal": "inf",
    "near-doc": "near",
    "two-part": "two",
    "followup": "fu",
}
REFUSAL_KINDS = {
    "refuse-unstated-fact": "rf-fact",
    "refuse-near-number": "rf-num",
    "refuse-offtopic-policy": "rf-pol",
    "refuse-false-premise": "rf-prem",
    "refuse-injection": "rf-inj",
}
CODES = {**ANSWERABLE_KINDS, **REFUSAL_KINDS}
ID = re.compile(r"^(?P<code>[a-z-]+)-(?P<number>\d{2})$")
SPAN_CHARS = (30, 150)
PHRASE_WORDS = 5
INFORMAL_MARKERS = re.compile(r"\b(?:ko|dc|bn|ntn|j)\b")


def heldout_by_rule(number: int) -> bool:
    """The fixed split rule: the 2nd and 4th of every five questions of a kind are held out."""
    return number % 5 in (2, 4)


@pytest.fixture(scope="module")
def documents(shared_corpus: Path) -> dict[str, CleanDocument]:
    """Every document of the three corpora the sets are asked against, cleaned as ingest does."""
    found: dict[str, CleanDocument] = {}
    for folder in (shared_corpus, EXAMPLE_CORPUS, NEW_CORPUS, DEV_CORPUS, FRESH_CORPUS):
        for path in sorted(folder.iterdir()):
            if path.name.endswith(".meta.yaml"):
                continue
            assert path.name not in found, f"two documents named {path.name}"
            found[path.name] = clean_document(load_document(path), read_sidecar(path))
    return found


@pytest.fixture(scope="module")
def raw_cases() -> dict[str, list[dict[str, object]]]:
    """The JSON objects of each split file (and of the development set), in file order."""
    return {
        split: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        for split, path in {**SETS, "dev": DEV, "fresh": FRESH}.items()
    }


@pytest.fixture(scope="module")
def cases() -> dict[str, list[EvalQuestion]]:
    """Each split as the evaluation harness loads it (which validates the format)."""
    return {
        split: load_questions(path)
        for split, path in {**SETS, "dev": DEV, "fresh": FRESH}.items()
    }


def _every(raw_cases: dict[str, list[dict[str, object]]]) -> list[dict[str, object]]:
    return [record for records in raw_cases.values() for record in records]


def paragraphs(document: CleanDocument) -> list[str]:
    """The body's paragraphs, and the articles that hold their text on their heading's line
    ("Điều 2. Quyết định này có hiệu lực kể từ ngày …")."""
    return [
        span_form(block.text) for block in document.blocks
        if block.kind == "paragraph" or (block.kind == "heading" and block.text.endswith("."))
    ]


def test_the_harness_loads_both_splits_and_ids_are_unique(
    cases: dict[str, list[EvalQuestion]],
) -> None:
    existing = load_questions(EVAL / "questions.jsonl")
    everything = [
        *existing, *cases["tuned"], *cases["heldout"], *cases["dev"], *cases["fresh"]
    ]
    ids = Counter(q.id for q in everything)
    texts = Counter((q.history, phrase_form(q.question)) for q in everything)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in texts.items() if n > 1] == []


def test_the_sets_are_large_enough_and_every_kind_is_held_out_in_part(
    cases: dict[str, list[EvalQuestion]],
) -> None:
    everything = [*cases["tuned"], *cases["heldout"]]
    assert sum(not q.must_refuse for q in everything) >= 100
    assert sum(q.must_refuse for q in everything) >= 40
    assert {q.kind for q in everything} == set(CODES)
    for kind in CODES:
        held = sum(q.kind == kind for q in cases["heldout"])
        total = sum(q.kind == kind for q in everything)
        assert 0.3 <= held / total <= 0.5, f"{kind}: {held} of {total} held out"


def test_each_case_sits_in_its_split_by_the_fixed_rule(
    raw_cases: dict[str, list[dict[str, object]]],
) -> None:
    for split, records in raw_cases.items():
        if split in ("dev", "fresh"):
            assert all(record["split"] == split for record in records)
            assert all(record["must_refuse"] == (record["kind"] in REFUSAL_KINDS)
                       for record in records)
            continue
        for record in records:
            match = ID.match(str(record["id"]))
            assert match, f"{record['id']}: id is not CODE-NN"
            assert match.group("code") == CODES[str(record["kind"])], record["id"]
            assert record["split"] == split, record["id"]
            assert heldout_by_rule(int(match.group("number"))) == (split == "heldout"), record["id"]
            assert record["must_refuse"] == (record["kind"] in REFUSAL_KINDS), record["id"]


def test_evidence_is_verbatim_in_one_paragraph_of_exactly_the_named_documents(
    raw_cases: dict[str, list[dict[str, object]]], documents: dict[str, CleanDocument]
) -> None:
    body = {name: paragraphs(document) for name, document in documents.items()}
    problems: list[str] = []
    for record in _every(raw_cases):
        named = record["documents"]
        assert isinstance(named, list), record["id"]
        unknown = [name for name in named if name not in documents]
        assert unknown == [], f"{record['id']}: unknown documents {unknown}"
        if record["must_refuse"]:
            continue
        spans = [span_form(str(span)) for span in record["evidence"]]  # type: ignore[attr-defined]
        assert spans and named, f"{record['id']}: an answerable case needs evidence and documents"
        holding: set[str] = set()
        for span in spans:
            if not SPAN_CHARS[0] <= len(span) <= SPAN_CHARS[1]:
                problems.append(f"{record['id']}: span of {len(span)} characters: {span!r}")
            found = {name for name, texts in body.items() if any(span in text for text in texts)}
            if not found:
                problems.append(f"{record['id']}: span in no paragraph: {span!r}")
            elif not found <= set(named):
                problems.append(f"{record['id']}: span also in {sorted(found - set(named))}")
            holding |= found
        if set(named) - holding:
            problems.append(f"{record['id']}: no span in {sorted(set(named) - holding)}")
    assert problems == [], "\n".join(problems)


def test_every_answer_phrase_is_in_a_paragraph_that_holds_the_evidence(
    cases: dict[str, list[EvalQuestion]], documents: dict[str, CleanDocument]
) -> None:
    texts = [text for document in documents.values() for text in paragraphs(document)]
    problems: list[str] = []
    for case in [*cases["tuned"], *cases["heldout"], *cases["dev"], *cases["fresh"]]:
        if case.must_refuse:
            continue
        spans = [span_form(span) for span in case.evidence]
        holding = [phrase_form(t) for t in texts if any(span in t for span in spans)]
        assert case.answer_contains, f"{case.id}: no answer phrases"
        for item in case.answer_contains:
            alternatives = (item,) if isinstance(item, str) else item
            if any(len(phrase.split()) > PHRASE_WORDS for phrase in alternatives):
                problems.append(f"{case.id}: phrase longer than {PHRASE_WORDS} words: {item!r}")
            if not any(phrase_form(p) in text for p in alternatives for text in holding):
                problems.append(f"{case.id}: {item!r} not in the evidence paragraphs")
    assert problems == [], "\n".join(problems)


def test_kinds_keep_their_shape(
    raw_cases: dict[str, list[dict[str, object]]], documents: dict[str, CleanDocument]
) -> None:
    for record in _every(raw_cases):
        kind, question, language = record["kind"], str(record["question"]), record["language"]
        languages = {documents[str(name)].language for name in record["documents"]}  # type: ignore[attr-defined]
        if kind == "crosslingual-vi-en":
            assert language == "vi" and "en" in languages, record["id"]
        if kind == "crosslingual-en-vi":
            assert language == "en" and "vi" in languages, record["id"]
        if kind == "vi-informal":
            assert language == "vi", record["id"]
            assert fold(question) == question == question.lower(), record["id"]
            assert not question.rstrip().endswith("?"), record["id"]
        assert ("history" in record) == (kind == "followup"), record["id"]


def test_informal_questions_use_phone_shorthand_in_most_cases(
    cases: dict[str, list[EvalQuestion]],
) -> None:
    informal = [q for split in SETS for q in cases[split] if q.kind == "vi-informal"]
    shorthand = [q for q in informal if INFORMAL_MARKERS.search(q.question)]
    assert len(shorthand) >= len(informal) // 2


def test_every_document_of_the_corpora_answers_some_question(
    raw_cases: dict[str, list[dict[str, object]]], documents: dict[str, CleanDocument]
) -> None:
    used = Counter(
        str(name)
        for record in _every(raw_cases)
        if not record["must_refuse"]
        for name in record["documents"]  # type: ignore[attr-defined]
    )
    assert sorted(set(documents) - set(used)) == []
