"""Which text is in force: extraction, statuses as of a date, answers and listings."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.answering.validity import named_documents, validity_question
from ingest.model import LoadError
from ingest.validity import extract_validity, own_number
from tests.conftest import make_settings
from tests.validity_corpus import AS_OF, FILES, write
from vectorstore.model import DocumentInfo, ValidityClause
from vectorstore.text import fold
from vectorstore.validity import compute_statuses

# --- extraction --------------------------------------------------------------------------------

VI_DECREE = (
    "Số: 31/2025/NĐ-CP\n\n"
    "Căn cứ Luật Tổ chức Chính phủ được sửa đổi, bổ sung năm 2019;\n\n"
    "Điều 5. Ủy ban nhân dân cấp xã trả lời trong thời hạn 7 ngày.\n\n"
    "Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025 và thay thế Nghị định số "
    "88/2019/NĐ-CP.\n\n"
    "Nghị định số 12/2020/NĐ-CP hết hiệu lực kể từ ngày Nghị định này có hiệu lực.\n\n"
    "Bãi bỏ Điều 3 của Quyết định số 7/2018/QĐ-TTg.\n\n"
    "Thông tư này hướng dẫn thi hành Luật số 10/2022/QH15."
)


@pytest.mark.parametrize("folded", [False, True], ids=["diacritics", "no-diacritics"])
def test_vietnamese_statements_are_found_with_and_without_diacritics(folded: bool) -> None:
    text = fold(VI_DECREE) if folded else VI_DECREE
    validity = extract_validity("Nghị định về kiến nghị", text)
    assert validity.number == "31/2025/ND-CP"
    assert validity.effective_date == "2025-07-01"
    found = {(s.kind, s.target, s.articles) for s in validity.statements if s.target}
    assert found == {
        ("replaces", "88/2019/ND-CP", ()),
        ("replaces", "12/2020/ND-CP", ()),
        ("repeals", "7/2018/QD-TTG", ("3",)),
        ("guides", "10/2022/QH15", ()),
    }
    # The legal basis ("Căn cứ ...") is not an amendment, and each statement quotes its sentence.
    assert not any(s.kind == "amends" for s in validity.statements)
    for statement in validity.statements:
        assert text[statement.start : statement.start + len(statement.quote)] == statement.quote


def test_english_statements_and_the_date_of_signing() -> None:
    text = (
        "No. 40/2026/ND-CP\n\n"
        "Article 5 and Article 7 of Decree No. 31/2025/ND-CP are amended as follows.\n\n"
        "This Decree takes effect from the date of signing and supersedes Decree 9/2015/ND-CP.\n\n"
        "Decree 31/2025/ND-CP was replaced by Decree 50/2027/ND-CP.\n\n"
        "This Decree remains in force until 31 December 2030."
    )
    validity = extract_validity("Decree on petitions", text, issued="2026-01-10")
    assert validity.number == "40/2026/ND-CP"
    assert validity.effective_date == "2026-01-10"
    assert validity.expires == "2030-12-31"
    found = {(s.kind, s.target, s.by, s.articles) for s in validity.statements if s.target}
    assert found == {
        ("amends", "31/2025/ND-CP", None, ("5", "7")),
        ("replaces", "9/2015/ND-CP", None, ()),
        ("replaces", "31/2025/ND-CP", "50/2027/ND-CP", ()),
    }


def test_a_news_text_about_a_law_does_not_take_the_law_s_dates() -> None:
    text = (
        "Opening the dialogue, the chairwoman said that under the Law on Grassroots Democracy, "
        "which took effect on 1 July 2023, residents have the right to be informed."
    )
    assert extract_validity("Ward dialogue", text).effective_date is None
    assert extract_validity("Plan", "The plan takes effect on 1 May 2024.").effective_date == (
        "2024-05-01")


def test_an_amending_title_gives_the_target_of_its_articles() -> None:
    validity = extract_validity(
        "Nghị định sửa đổi, bổ sung một số điều của Nghị định số 31/2025/NĐ-CP",
        "1. Sửa đổi, bổ sung Điều 6 như sau: nhập kiến nghị vào hệ thống.\n\n"
        "Kế hoạch này được thực hiện đến hết ngày 31/12/2024.",
    )
    # The number in the title is the amended text's, not this one's.
    assert validity.number is None
    amends = [s for s in validity.statements if s.kind == "amends"]
    assert amends[0].articles == ("6",) and amends[0].target == "31/2025/ND-CP"
    assert amends[-1].start == -1  # the title's own statement comes last
    assert validity.expires == "2024-12-31"


def test_own_number_prefers_the_sidecar_then_the_number_line_then_the_title() -> None:
    assert own_number("Decree 5/2020/ND-CP", "No. 6/2021/ND-CP\n\nText", {}) == "6/2021/ND-CP"
    assert own_number("Decree 5/2020/ND-CP", "Text", {}) == "5/2020/ND-CP"
    # A title that is the number line; a wrapped sentence that starts with "số ..." is not one.
    wrapped = "Nghị định này thay thế Nghị định\n\nsố 88/2019/NĐ-CP."
    assert own_number("Số: 31/2025/NĐ-CP", wrapped, {}) == "31/2025/ND-CP"
    assert own_number("Nghị định về kiến nghị", wrapped, {}) is None
    sidecar = {"number": "Nghị quyết 25-NQ/TW"}
    assert own_number("Decree 5/2020/ND-CP", "Text", sidecar) == "25-NQ/TW"


def test_the_sidecar_sets_and_corrects_every_field() -> None:
    sidecar = {
        "effective_date": "1/8/2025",
        "expires": "2030-12-31",
        "replaces": "Nghị định 1/2010/NĐ-CP; 2/2011/ND-CP",
        "amends": "Điều 5, 7 của Nghị định 3/2012/NĐ-CP",
        "repeals": "4/2013/ND-CP: 9",
        "replaced_by": "Nghị định 99/2030/NĐ-CP",
        "status": "in_force",
    }
    validity = extract_validity("Nghị định", VI_DECREE, sidecar=sidecar)
    assert validity.effective_date == "2025-08-01" and validity.expires == "2030-12-31"
    assert validity.declared_status == "in_force"
    found = {(s.kind, s.target, s.by, s.articles) for s in validity.statements if s.target}
    assert found == {
        ("replaces", "1/2010/ND-CP", None, ()),
        ("replaces", "2/2011/ND-CP", None, ()),
        ("amends", "3/2012/ND-CP", None, ("5", "7")),
        ("repeals", "4/2013/ND-CP", None, ("9",)),
        ("replaces", "31/2025/ND-CP", "99/2030/ND-CP", ()),
        ("guides", "10/2022/QH15", None, ()),
    }


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        ({"status": "valid"}, "status: 'valid' is not one of"),
        ({"replaces": "the old decree"}, "replaces: cannot read 'the old decree'"),
        ({"effective_date": "soon"}, "effective_date: cannot read 'soon' as a date"),
        ({"number": "twelve"}, "number: cannot read 'twelve'"),
    ],
)
def test_a_bad_sidecar_value_is_a_one_line_error(sidecar: dict[str, str], message: str) -> None:
    with pytest.raises(LoadError, match=message):
        extract_validity("Nghị định", "Văn bản.", sidecar=sidecar)


# --- statuses ----------------------------------------------------------------------------------


def info(doc_id: str, number: str | None, *clauses: ValidityClause, **values: Any) -> DocumentInfo:
    return DocumentInfo(doc_id, f"{doc_id}.md", doc_id, 1, number=number, clauses=clauses,
                        **values)


OLD = info("old", "88/2019/ND-CP", effective_date="2020-01-01")
NEW = info("new", "31/2025/ND-CP", ValidityClause("replaces", "88/2019/ND-CP", quote="q1"),
           effective_date="2025-07-01")
AMENDING = info("amending", "40/2026/ND-CP",
                ValidityClause("amends", "31/2025/ND-CP", articles=("6",), quote="q2"),
                effective_date="2026-01-10")
FUTURE = info("future", "12/2027/NQ-HDND", effective_date="2027-01-01")
PLAN = info("plan", "5/KH-UBND", expires="2024-12-31")
NEWS = info("news", None)


def test_statuses_as_of_a_date_do_not_depend_on_the_catalogue_order() -> None:
    catalog = [OLD, NEW, AMENDING, FUTURE, PLAN, NEWS]
    expected = {
        "old": "replaced", "new": "amended", "amending": "in_force",
        "future": "not_yet_in_force", "plan": "expired", "news": None,
    }  # fmt: skip
    for order in itertools.permutations(catalog):
        statuses = compute_statuses(list(order), date(2026, 6, 1))
        assert {k: v.status for k, v in statuses.items()} == expected
    statuses = compute_statuses(catalog, date(2026, 6, 1))
    assert [link.doc_id for link in statuses["old"].replaced_by] == ["new"]
    assert statuses["new"].amended_articles() == ("6",)
    assert statuses["new"].to_dict()["amended_by"] == ["40/2026/ND-CP"]
    assert statuses["new"].to_dict()["replaces"] == ["88/2019/ND-CP"]


def test_a_replacement_counts_from_its_effective_date_and_removal_restores_the_old_text() -> None:
    before = compute_statuses([OLD, NEW], date(2025, 6, 30))
    assert before["old"].status == "in_force" and before["old"].replaced_by[0].pending
    assert before["new"].status == "not_yet_in_force"
    assert compute_statuses([OLD], date(2026, 6, 1))["old"].status == "in_force"
    # Partial dates compare on what they state: a plan for "2024" is over in 2025.
    plan = info("p", None, expires="2024")
    assert compute_statuses([plan], date(2024, 12, 31))["p"].status == "in_force"
    assert compute_statuses([plan], date(2025, 1, 1))["p"].status == "expired"


def test_a_replacement_named_but_not_in_the_library_still_marks_the_old_text() -> None:
    report = info("report", None,
                  ValidityClause("replaces", "88/2019/ND-CP", by="31/2025/ND-CP", quote="q"))
    statuses = compute_statuses([OLD, report], date(2026, 6, 1))
    link = statuses["old"].replaced_by[0]
    assert statuses["old"].status == "replaced"
    assert (link.number, link.doc_id) == ("31/2025/ND-CP", None)


def test_repealing_articles_amends_and_the_sidecar_status_wins() -> None:
    partial = info("partial", "7/2020/ND-CP",
                   ValidityClause("repeals", "88/2019/ND-CP", articles=("3",)))
    assert compute_statuses([OLD, partial], date(2026, 6, 1))["old"].status == "amended"
    whole = info("whole", "8/2020/ND-CP", ValidityClause("repeals", "88/2019/ND-CP"))
    assert compute_statuses([OLD, whole], date(2026, 6, 1))["old"].status == "repealed"
    declared = info("declared", "9/2020/ND-CP", declared_status="expired")
    assert compute_statuses([declared], date(2026, 6, 1))["declared"].status == "expired"


def test_catalogue_entries_round_trip_through_json() -> None:
    from dataclasses import asdict

    entry = json.loads(json.dumps(asdict(AMENDING)))
    assert DocumentInfo.from_dict(entry) == AMENDING


# --- questions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Nghị định 88/2019 còn hiệu lực không?", "status"),
        ("nghi dinh 88/2019 con hieu luc khong", "status"),
        ("Is Decree 88/2019 still in force?", "status"),
        ("Văn bản nào thay thế Nghị định 88/2019?", "replaced_by"),
        ("van ban nao thay the nghi dinh 88/2019", "replaced_by"),
        ("What replaced Decree 88/2019?", "replaced_by"),
        ("When does Decree 31/2025 take effect?", "effective"),
        ("Nghị định 31/2025 có hiệu lực từ ngày nào?", "effective"),
        ("Which articles of Decree 31/2025 were amended?", "amended"),
        ("nghi dinh 31/2025 duoc sua doi nhung dieu nao", "amended"),
        ("Ủy ban nhân dân cấp xã trả lời kiến nghị trong bao nhiêu ngày?", None),
    ],
)
def test_validity_questions_are_recognised(question: str, asks: str | None) -> None:
    assert validity_question(question) == asks


def test_questions_name_documents_by_short_number_or_year() -> None:
    catalog = [OLD, NEW, AMENDING]
    assert [d.doc_id for d in named_documents("Nghị định 88/2019 quy định gì?", catalog)] == ["old"]
    assert [d.doc_id for d in named_documents("what did the 2019 decree say", catalog)] == ["old"]
    assert [d.doc_id for d in named_documents("Decree No. 31", catalog)] == ["new"]
    assert named_documents("Resolution 31/2025", catalog) == []


# --- end to end: real Chroma, real bundled model -----------------------------------------------

ALL = list(FILES)
ORDERS = {
    "all-at-once": [ALL],
    "old-first": [["nd-88-2019.md", "decree-7-2019.md"], ALL],
    "new-first": [[n for n in ALL if n not in ("nd-88-2019.md", "decree-7-2019.md")], ALL],
}


def _services(data: Path, corpus: Path, real_embedder: Any) -> Any:
    from bot.services import Services

    services = Services(make_settings(data, [corpus], answer={"as_of": AS_OF}))
    services.__dict__["embedder"] = real_embedder
    return services


def _ingest(services: Any, corpus: Path, names: list[str]) -> Any:
    for path in corpus.glob("*.md"):
        if path.name not in names:
            path.unlink()
    write(corpus, names)
    summary = services.ingest()
    assert summary.ok, summary.format()
    return summary


def _answer(services: Any, question: str) -> Any:
    from bot.answering import build_answerer

    return build_answerer(services.settings, services).answer(question)


def _cited(answer: Any, services: Any) -> dict[str, str | None]:
    titles = {d.doc_id: d.source.rsplit("/", 1)[-1] for d in services.documents()}
    return {titles[c.doc_id]: c.status for c in answer.citations}


@pytest.mark.slow
@pytest.mark.parametrize("order", list(ORDERS))
def test_answers_come_from_the_text_in_force_whatever_the_ingestion_order(
    tmp_path: Path, real_embedder: Any, order: str
) -> None:
    corpus = tmp_path / "corpus"
    services = _services(tmp_path / "data", corpus, real_embedder)
    for names in ORDERS[order]:
        _ingest(services, corpus, names)

    for question in (
        "Ủy ban nhân dân cấp xã phải trả lời kiến nghị của công dân trong thời hạn bao nhiêu ngày?",
        "uy ban nhan dan cap xa tra loi kien nghi cua cong dan trong bao nhieu ngay?",
    ):
        answer = _answer(services, question)
        assert not answer.refused
        assert "7 ngày" in answer.text and "15 ngày" not in answer.text
        assert "đã được thay thế bởi Nghị định 31/2025/NĐ-CP" in answer.text
        cited = _cited(answer, services)
        assert set(cited) == {"nd-31-2025.md"}  # the rule and the clause that replaced 88/2019
        for citation in answer.citations:
            assert f"[{citation.n}]" in answer.text

    # An amended article: the amending decree states the rule in force.
    answer = _answer(services, "Cán bộ tiếp công dân ghi kiến nghị vào đâu?")
    assert "hệ thống thông tin điện tử" in answer.text and "sổ" not in answer.text
    assert "Điều 6 của Nghị định 31/2025/NĐ-CP đã được sửa đổi" in answer.text
    assert set(_cited(answer, services)) == {"nd-40-2026.md"}
    # Also when the question names the amended decree.
    answer = _answer(
        services, "Nghị định 31/2025 quy định cán bộ tiếp công dân ghi kiến nghị vào đâu?"
    )
    assert "hệ thống thông tin điện tử" in answer.text and "sổ theo dõi" not in answer.text

    # A question about the earlier text is answered from it, labelled.
    answer = _answer(
        services, "Nghị định 88/2019 quy định thời hạn trả lời kiến nghị bao nhiêu ngày?"
    )
    assert "15 ngày" in answer.text and "đã được thay thế" in answer.text
    assert _cited(answer, services)["nd-88-2019.md"] == "replaced"

    # The same in English, and "the 2019 decree" names the older text.
    answer = _answer(services, "How often does every village hold a public meeting?")
    assert "every month" in answer.text and "twice a year" not in answer.text
    assert "Decree 7/2019/ND-CP was replaced by Decree 9/2025/ND-CP from 1 March 2025" in (
        answer.text)
    assert set(_cited(answer, services)) == {"decree-9-2025.md"}
    answer = _answer(services, "What did the 2019 decree require for village public meetings?")
    assert "twice a year" in answer.text and "was replaced by" in answer.text
    assert _cited(answer, services)["decree-7-2019.md"] == "replaced"

    # Not yet in force, and expired: said so.
    answer = _answer(services, "How often shall each commune hold a citizen dialogue?")
    assert "every quarter" in answer.text
    assert "takes effect on 1 January 2027; it is not in force yet" in answer.text
    assert set(_cited(answer, services).values()) == {"not_yet_in_force"}
    answer = _answer(services, "How many mobilization visits does each commune organise?")
    assert "20 mobilization visits" in answer.text
    assert "no longer in force" in answer.text
    assert set(_cited(answer, services).values()) == {"expired"}


VALIDITY_QUESTIONS = [
    ("Nghị định 88/2019 còn hiệu lực không?", "đã được thay thế bởi Nghị định 31/2025/NĐ-CP",
     "nd-31-2025.md"),
    ("nghi dinh 88/2019 con hieu luc khong?", "đã được thay thế bởi Nghị định 31/2025/NĐ-CP",
     "nd-31-2025.md"),
    ("Văn bản nào thay thế Nghị định 88/2019?", "Nghị định 31/2025/NĐ-CP từ ngày 01/07/2025",
     "nd-31-2025.md"),
    ("van ban nao thay the nghi dinh 88/2019", "Nghị định 31/2025/NĐ-CP từ ngày 01/07/2025",
     "nd-31-2025.md"),
    ("When does Decree 31/2025 take effect?", "Decree 31/2025/ND-CP took effect on 1 July 2025",
     "nd-31-2025.md"),
    ("Which articles of Decree 31/2025 were amended?",
     "Article 6 of Decree 31/2025/ND-CP was amended by Decree 40/2026/ND-CP", "nd-40-2026.md"),
    ("nghi dinh 31/2025 duoc sua doi nhung dieu nao?",
     "Điều 6 của Nghị định 31/2025/NĐ-CP đã được sửa đổi, bổ sung bởi Nghị định 40/2026/NĐ-CP",
     "nd-40-2026.md"),
    ("Is Resolution 12/2027 in force?", "takes effect on 1 January 2027", "resolution-12-2027.md"),
    ("Is Decree 7/2019 still in force?", "was replaced by Decree 9/2025/ND-CP from 1 March 2025",
     "decree-9-2025.md"),
    ("What replaced Decree 7/2019?", "Decree 9/2025/ND-CP from 1 March 2025",
     "decree-9-2025.md"),
    ("Is Plan 05/KH-UBND still valid?", "no longer in force: it applied until 31 December 2024",
     "plan-05.md"),
]


@pytest.mark.slow
def test_validity_questions_are_answered_from_the_relations_and_removal_restores(
    tmp_path: Path, real_embedder: Any
) -> None:
    corpus = tmp_path / "corpus"
    services = _services(tmp_path / "data", corpus, real_embedder)
    _ingest(services, corpus, ALL)
    right = 0
    for question, expected, source in VALIDITY_QUESTIONS:
        answer = _answer(services, question)
        cited = _cited(answer, services)
        stored = services.store.get([c.chunk_id for c in answer.citations])
        chunks = {p.chunk_id: p.text for p in stored}
        verbatim = all(c.quote in chunks[c.chunk_id] for c in answer.citations)
        correct = not answer.refused and expected in answer.text and source in cited
        right += int(correct and verbatim)
    assert right / len(VALIDITY_QUESTIONS) >= 0.95

    # sources --json carries the contract fields.
    from bot.cli import main

    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus:\n  paths: [{corpus}]\nstore:\n  path: {tmp_path / 'data'}\n"
        f"  collection: test-collection\nanswer:\n  as_of: '{AS_OF}'\n",
        encoding="utf-8",
    )
    listing = _sources_json(main, config)
    old = listing["nd-88-2019.md"]
    assert old["status"] == "replaced" and old["replaced_by"] == ["31/2025/ND-CP"]
    assert old["effective_date"] == "2020-01-01"
    new = listing["nd-31-2025.md"]
    assert (new["status"], new["replaces"], new["amended_by"]) == (
        "amended", ["88/2019/ND-CP"], ["40/2026/ND-CP"])
    assert listing["nd-40-2026.md"]["amends"] == ["31/2025/ND-CP"]
    assert listing["resolution-12-2027.md"]["status"] == "not_yet_in_force"
    assert listing["plan-05.md"]["status"] == "expired"

    # Before the new decree takes effect, the old one states the rule; the new one is pending.
    from bot.services import Services

    earlier = Services(make_settings(tmp_path / "data", [corpus], answer={"as_of": "2025-03-01"}))
    earlier.__dict__["embedder"] = real_embedder
    answer = _answer(
        earlier, "Ủy ban nhân dân cấp xã phải trả lời kiến nghị của công dân trong bao nhiêu ngày?"
    )
    assert "15 ngày" in answer.text and "7 ngày" not in answer.text
    assert "sẽ được thay thế bởi Nghị định 31/2025/NĐ-CP từ ngày 01/07/2025" in answer.text

    # Removing the replacing decree re-embeds nothing and gives the old one its status back.
    summary = _ingest(services, corpus, [n for n in ALL if n != "nd-31-2025.md"])
    assert (summary.removed, summary.chunks_embedded) == (1, 0)
    assert _sources_json(main, config)["nd-88-2019.md"]["status"] == "in_force"
    answer = _answer(
        services, "Ủy ban nhân dân cấp xã trả lời kiến nghị của công dân trong bao nhiêu ngày?"
    )
    assert "15 ngày" in answer.text and "thay thế" not in answer.text
    assert _cited(answer, services) == {"nd-88-2019.md": "in_force"}
    answer = _answer(services, "Nghị định 88/2019 còn hiệu lực không?")
    assert "Nghị định 88/2019/NĐ-CP đang có hiệu lực từ ngày 01/01/2020" in answer.text
    # The amending decree now acts on a text that is not in the library.
    assert _sources_json(main, config)["nd-40-2026.md"]["amends"] == ["31/2025/ND-CP"]


def _sources_json(main: Any, config: Path) -> dict[str, dict[str, Any]]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--config", str(config), "-q", "sources", "--json"]) == 0
    return {Path(d["source"]).name: d for d in json.loads(out.getvalue())}


# --- where the user looks: terminal and Telegram -----------------------------------------------


def _replaced_answer(language: str) -> Any:
    from bot.answering.types import Answer, Citation

    citation = Citation(n=1, chunk_id="c", doc_id="old", source="/c/old.md", title="Decree <88>",
                        quote="15 days.", score=1.0, status="replaced")
    current = Citation(n=2, chunk_id="d", doc_id="new", source="/c/new.md", title="Decree 31",
                       quote="7 days.", score=1.0, status="in_force")
    return Answer(question="q", text="7 days. [2] 15 days. [1]", refused=False,
                  language=language, citations=[citation, current])


@pytest.mark.parametrize(("language", "mark"), [("en", "(replaced)"), ("vi", "(đã được thay thế)")])
def test_citations_of_superseded_text_are_marked_in_terminal_and_telegram(
    language: str, mark: str
) -> None:
    from bot.telegram.render import render_answer as telegram_answer
    from bot.telegram.render import render_quote
    from bot.terminal import render_answer

    answer = _replaced_answer(language)
    lines = render_answer(answer).splitlines()
    assert any(line.startswith("[1] Decree <88>") and mark in line for line in lines)
    assert not any(line.startswith("[2]") and mark in line for line in lines)
    sources = telegram_answer(answer, language)[-1]  # type: ignore[arg-type]
    assert f"<i>Decree &lt;88&gt;</i> {mark}" in sources
    assert all(mark not in line for line in sources.splitlines() if "<i>Decree 31</i>" in line)
    assert mark in render_quote(answer.citations[0], language)[0]  # type: ignore[arg-type]
    assert answer.to_dict()["citations"][0]["status"] == "replaced"


def test_telegram_sources_show_each_status_as_of_the_configured_date() -> None:
    from bot.telegram.render import render_documents

    catalog = [OLD, NEW, AMENDING, FUTURE, PLAN, NEWS]
    shown = "\n".join(render_documents(catalog, "vi", date(2026, 6, 1)))
    assert "đã được thay thế: Nghị định 88/2019/NĐ-CP đã được thay thế bởi Nghị định " \
        "31/2025/NĐ-CP từ ngày 01/07/2025." in shown
    assert "chưa có hiệu lực: Nghị quyết 12/2027/NQ-HDND có hiệu lực từ ngày 01/01/2027" in shown
    assert "đã hết hiệu lực" in shown
    english = "\n".join(render_documents(catalog, "en", date(2025, 1, 1)))
    assert "in force: Decree 88/2019/ND-CP is in force since 1 January 2020" in english
    assert "will be replaced by Decree 31/2025/ND-CP from 1 July 2025" in english
