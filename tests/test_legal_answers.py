"""Article and clause references over a decree and a law, with the real model, end to end."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import pytest

from bot.answering import build_answerer
from bot.services import Services
from bot.telegram.render import render_answer, render_quote
from bot.terminal import render_answer as render_terminal
from tests import legal_docs
from tests.conftest import EXAMPLE_CORPUS, ingested_services

pytestmark = pytest.mark.slow

LAW = """Luật Hòa giải ở cơ sở

Điều 1. Phạm vi điều chỉnh
Luật này quy định về nguyên tắc, chính sách của Nhà nước về hòa giải ở cơ sở.

Điều 2. Giải thích từ ngữ
Hòa giải ở cơ sở là việc hòa giải viên hướng dẫn, giúp đỡ các bên đạt được thỏa thuận.

Điều 5. Nguyên tắc tổ chức, hoạt động hòa giải ở cơ sở
1. Tôn trọng sự tự nguyện của các bên; không bắt buộc, áp đặt các bên trong hòa giải.
2. Hòa giải viên giữ bí mật thông tin đời tư của các bên trong suốt quá trình hòa giải.
"""


@pytest.fixture(scope="module")
def legal_services(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any) -> Services:
    corpus = tmp_path_factory.mktemp("legal-corpus")
    legal_docs.write_docx(corpus / "nghi-dinh-06-2014.docx")
    (corpus / "luat-hoa-giai.txt").write_text(LAW, encoding="utf-8")
    return ingested_services(tmp_path_factory.mktemp("data"), [corpus, EXAMPLE_CORPUS],
                             real_embedder)


@pytest.fixture(scope="module")
def answerer(legal_services: Services) -> Any:
    return build_answerer(legal_services.settings, legal_services)


@pytest.mark.parametrize(
    "question",
    [
        "Theo khoản 2 Điều 5 Nghị định 06/2014/NĐ-CP, hội nghị nhân dân được tổ chức mấy lần "
        "mỗi năm?",
        "khoan 2 dieu 5 nghi dinh 06/2014 hoi nghi nhan dan to chuc may lan moi nam",
    ],
)
def test_an_article_and_clause_reference_is_answered_from_that_clause(
    answerer: Any, question: str
) -> None:
    answer = answerer.answer(question)
    assert not answer.refused, answer.text
    first = answer.citations[0]
    assert first.title == legal_docs.TITLE
    assert first.section == (
        "Chương II › Điều 5. Hình thức vận động quần chúng › khoản 2"
    )
    assert "hai lần mỗi năm" in answer.text
    assert answer.retrieved[0].article == "5"
    terminal = render_terminal(answer)
    assert f"] {legal_docs.TITLE}, Điều 5, khoản 2 (2014-01-21" in terminal
    telegram = "\n".join(render_answer(answer, "vi"))
    assert f"<i>{legal_docs.TITLE}, Điều 5, khoản 2</i>" in telegram
    assert f"{legal_docs.TITLE}, Điều 5, khoản 2" in render_quote(first, "vi")[0]
    assert answer.to_dict()["citations"][0]["section"] == first.section


def test_the_named_document_decides_which_article_5(legal_services: Services) -> None:
    searcher = legal_services.searcher
    law = searcher.search("Điều 5 Luật Hòa giải ở cơ sở").passages[0]
    assert law.title == "Luật Hòa giải ở cơ sở" and law.article == "5"
    decree = searcher.search("Article 5 of Decree 06/2014/ND-CP").passages[0]
    assert decree.title == legal_docs.TITLE and decree.article == "5"


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Điều 999 Nghị định 06/2014/NĐ-CP quy định gì?", "không có Điều 999"),
        ("khoan 9 dieu 5 luat hoa giai o co so noi gi", "không có Điều 5, khoản 9"),
        ("What does Article 999 of Decree 06/2014/ND-CP say?", "has no Article 999"),
    ],
)
def test_an_article_the_document_does_not_have_is_refused(
    answerer: Any, question: str, missing: str
) -> None:
    answer = answerer.answer(question)
    assert answer.refused and answer.refusal_reason == "unknown_article"
    assert missing in answer.text
    assert not answer.citations


def test_distribution_list_and_signature_are_never_quoted(answerer: Any) -> None:
    answer = answerer.answer("Nghị định 06/2014/NĐ-CP gửi cho Ban Bí thư Trung ương Đảng không?")
    for citation in answer.citations:
        assert "Nơi nhận" not in citation.quote and "Lưu: Văn thư" not in citation.quote


def test_sources_list_type_number_and_signer(legal_services: Services) -> None:
    documents = {d.title: d for d in legal_services.documents()}
    decree = documents[legal_docs.TITLE]
    assert (decree.doc_type, decree.number, decree.signer, decree.date, decree.issuer) == (
        "Nghị định", "06/2014/ND-CP", legal_docs.SIGNER, "2014-01-21", "CHÍNH PHỦ"
    )
    law = documents["Luật Hòa giải ở cơ sở"]
    assert (law.doc_type, law.number, law.signer) == ("Luật", None, None)
    news = [d for d in documents.values() if d.source.startswith(str(EXAMPLE_CORPUS))]
    assert news and all(d.doc_type is None and d.number is None for d in news)
    # `policybot sources --json` prints these records as they are.
    listed = json.loads(json.dumps([asdict(d) for d in legal_services.documents()]))
    assert {"doc_type", "number", "signer", "date", "issuer"} <= set(listed[0])
