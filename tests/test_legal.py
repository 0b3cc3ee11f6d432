"""Legal and administrative texts: official headers, articles and clauses as chunks, dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.clean import clean_document
from ingest.loaders import load_document
from ingest.model import Block, LoadedDocument
from ingest.pipeline import build_chunk_records
from ingest.settings import ChunkingSettings
from tests import legal_docs

needs_font = pytest.mark.skipif(
    not legal_docs.DEJAVU.is_file(), reason="needs fonts-dejavu-core for Vietnamese PDF text"
)


def loaded(*texts: str, **metadata: str) -> LoadedDocument:
    return LoadedDocument(Path("doc.txt"), [Block(text) for text in texts], dict(metadata))


@pytest.fixture(params=["docx", pytest.param("pdf", marks=needs_font)])
def decree(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    writer = legal_docs.write_docx if request.param == "docx" else legal_docs.write_pdf
    return writer(tmp_path / f"decree.{request.param}")


def test_official_header_becomes_metadata(decree: Path) -> None:
    doc = clean_document(load_document(decree))
    assert doc.title == legal_docs.TITLE
    assert (doc.doc_type, doc.number, doc.issuer, doc.date, doc.signer) == (
        "Nghị định",
        "06/2014/ND-CP",
        "CHÍNH PHỦ",
        "2014-01-21",
        legal_docs.SIGNER,
    )
    assert doc.legal
    # The header, the signature and the distribution list answer nothing: none of it is text.
    for formality in (
        "Độc lập",
        "Số:",
        "Nơi nhận",
        "Ban Bí thư",
        "Lưu: Văn thư",
        "(Đã ký)",
        "THỦ TƯỚNG",
        legal_docs.SIGNER,
    ):
        assert formality not in doc.text
    # The preamble stays: it says what the decree is based on.
    assert doc.text.startswith("Căn cứ Luật Tổ chức Chính phủ")


def test_chunks_follow_articles_and_clauses(decree: Path) -> None:
    doc = clean_document(load_document(decree))
    settings = ChunkingSettings()
    chunks = chunk_document(doc, settings)
    sections = [chunk.section for chunk in chunks]
    assert sections == [
        None,
        "Chương I › Điều 1. Phạm vi điều chỉnh",
        "Chương I › Điều 2. Đối tượng áp dụng",
        "Chương I › Điều 3. Nguyên tắc vận động quần chúng",
        "Chương II › Điều 4. Nội dung vận động quần chúng",
        "Chương II › Điều 5. Hình thức vận động quần chúng › khoản 1–2",
        "Chương II › Điều 5. Hình thức vận động quần chúng › khoản 3–4",
        "Chương III › Điều 6. Trách nhiệm của Bộ Công an",
        "Chương III › Điều 7. Hiệu lực thi hành",
    ]
    for chunk in chunks:
        assert chunk.text == doc.text[chunk.start : chunk.end]
        assert len(chunk.text) <= settings.max_chars
    # The chapter heading rides with its first article; no clause is cut.
    assert chunks[1].text.startswith("Chương I\n\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh")
    long_article = chunks[5:7]
    assert legal_docs.FACT_ARTICLE_5_CLAUSE_2 in long_article[0].text
    assert long_article[1].text.startswith("3. ")
    assert [clause for clause, _ in long_article[0].clause_starts] == ["1", "2"]
    clause_2 = dict(long_article[0].clause_starts)["2"]
    assert long_article[0].text[clause_2:].startswith("2. Tổ chức hội nghị nhân dân")
    assert {chunk.article for chunk in chunks} == {None, "1", "2", "3", "4", "5", "6", "7"}


def test_a_clause_longer_than_a_chunk_is_cut_at_sentences_only() -> None:
    sentence = "Cán bộ dân vận phải gần dân, hiểu dân, học dân và có trách nhiệm với dân."
    doc = clean_document(
        loaded(
            "Quy định về công tác dân vận",
            "Điều 1. Phạm vi",
            "Quy định này áp dụng cho cán bộ dân vận các cấp.",
            "Điều 2. Yêu cầu",
            f"1. {' '.join([sentence] * 12)}",
            "2. Báo cáo kết quả hằng quý.",
        )
    )
    settings = ChunkingSettings(min_chars=200, max_chars=400, overlap_sentences=1)
    chunks = chunk_document(doc, settings)
    article_2 = [chunk for chunk in chunks if chunk.article == "2"]
    assert len(article_2) >= 3
    for chunk in article_2:
        assert len(chunk.text) <= 400
        assert chunk.text.endswith(".")
        assert not ("1. " in chunk.text and "2. Báo cáo" in chunk.text)
    assert article_2[-1].text == "2. Báo cáo kết quả hằng quý."
    assert article_2[-1].section == "Điều 2. Yêu cầu › khoản 2"


def test_english_structure() -> None:
    doc = clean_document(
        loaded(
            "Law on Implementation of Grassroots Democracy",
            "Chapter I",
            "GENERAL PROVISIONS",
            "Article 1. Scope",
            "This Law provides for the contents of grassroots democracy.",
            "Article 2. Principles",
            "1. Ensuring the leadership of the Party.",
            "2. Respecting the people's right to mastery.",
        )
    )
    assert doc.legal and doc.doc_type == "Law"
    records = build_chunk_records("doc", "law.txt", doc, ChunkingSettings())
    assert [r.metadata.get("section") for r in records] == [
        "Chapter I › Article 1. Scope",
        "Chapter I › Article 2. Principles",
    ]
    # The structural path is indexed with the chunk, after the title.
    assert records[1].text.startswith(
        "Law on Implementation of Grassroots Democracy › Chapter I › Article 2. Principles\n"
    )
    assert records[1].metadata["article"] == "2"
    assert records[1].metadata["clauses"].startswith("1:")


def test_prose_that_cites_articles_is_not_a_legal_text() -> None:
    doc = clean_document(
        loaded(
            "Cadres discuss the Constitution",
            "Article 4 of the Constitution says the Party leads the State and society, "
            "delegates recalled at the meeting.",
            "Article 9 of the Constitution concerns the Fatherland Front, others said.",
            "The meeting ended with a call for skillful mass mobilization.",
        )
    )
    assert not doc.legal
    assert doc.doc_type is None


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Report dated 15 December 2025", "2025-12-15"),
        ("Border Guard Newspaper - 8 April 2025", "2025-04-08"),
        ("Đảng ủy xã Tân Lập - ngày 5 tháng 12 năm 2025", "2025-12-05"),
        ("Dang uy xa Tan Lap - ngay 5 thang 12 nam 2025", "2025-12-05"),
        ("05/12/2025", "2025-12-05"),
        ("Hà Nội, ngày 21 tháng 01 năm 2014", "2014-01-21"),
    ],
)
def test_datelines(line: str, iso: str) -> None:
    body = "The commune held a conference on mass mobilization work with all hamlets."
    doc = clean_document(loaded("A title", line, body, file_date="2026-01-01"))
    assert doc.date == iso
    assert line not in doc.text


def test_file_dates_only_when_the_text_states_none_and_never_a_future_date() -> None:
    body = "The commune held a conference on mass mobilization work with all hamlets."
    assert clean_document(loaded("A title", body, file_date="2024-03-01")).date == "2024-03-01"
    future = (date.today() + timedelta(days=40)).isoformat()
    assert clean_document(loaded("A title", body, file_date=future)).date is None
    day, month, year = future[8:], future[5:7], future[:4]
    dated = clean_document(loaded("A title", f"Hà Nội, ngày {day} tháng {month} năm {year}", body))
    assert dated.date is None


def test_pdf_and_docx_file_properties_lose_to_the_stated_date(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo kết quả công tác dân vận")
    document.add_paragraph("Đảng ủy xã Tân Lập - ngày 5 tháng 12 năm 2025")
    document.add_paragraph(
        "Năm 2025, toàn xã xây dựng được 12 mô hình dân vận khéo trên các lĩnh vực."
    )
    document.core_properties.author = "Văn phòng Đảng ủy"
    document.core_properties.created = datetime(2026, 1, 3)
    path = tmp_path / "report.docx"
    document.save(str(path))
    doc = clean_document(load_document(path))
    assert doc.date == "2025-12-05"
