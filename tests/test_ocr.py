"""Scanned PDFs: a decree printed to page images, read back by the real Tesseract, then answered."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from bot.services import Services
from bot.telegram.render import render_answer as render_telegram
from bot.terminal import render_answer as render_terminal
from ingest.loaders import load_document
from ingest.model import LoadError
from tests.conftest import EXAMPLE_CORPUS, HashingEmbedder, ingested_services, make_settings
from tests.scanned_pdf import decree_text, word_share, write_scanned_pdf

MIN_WORD_SHARE = 0.95
INSTALL = "install the Debian packages tesseract-ocr and tesseract-ocr-vie"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The decree as an image-only PDF: two scanned pages, no text layer."""
    path = tmp_path_factory.mktemp("scan") / "nghi-dinh-27-2026-scan.pdf"
    assert write_scanned_pdf(path) == 2
    assert all(not (page.extract_text() or "").strip() for page in PdfReader(path).pages)
    return path


def test_scanned_decree_is_read_by_ocr(scanned: Path) -> None:
    document = load_document(scanned, ocr="auto")
    recognised = "\n".join(block.text for block in document.blocks)
    share = word_share(decree_text(), recognised)
    print(f"OCR word share on the scanned decree: {share:.4f}")
    assert share >= MIN_WORD_SHARE
    assert all(block.ocr for block in document.blocks)
    assert {block.page for block in document.blocks} == {1, 2}
    assert "Số: 27/2026/NĐ-CP" in recognised
    assert "1. Chủ tịch Ủy ban nhân dân cấp xã tổ chức đối thoại" in recognised


def test_ocr_off_reports_the_scanned_pdf_as_before(scanned: Path) -> None:
    with pytest.raises(LoadError, match=r"^no extractable text \(scanned PDF\?\)$"):
        load_document(scanned, ocr="off")


def test_only_the_pages_without_text_are_read_by_ocr(tmp_path: Path, scanned: Path) -> None:
    typed = FPDF()
    typed.add_page()
    typed.set_font("helvetica", size=11)
    typed.multi_cell(0, 6, "Cover note: the commune office received the decree below. " * 4)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(bytes(typed.output()))))
    writer.append(PdfReader(scanned), pages=[0])
    mixed = tmp_path / "mixed.pdf"
    writer.write(mixed)
    document = load_document(mixed, ocr="auto")
    by_page = {page: {b.ocr for b in document.blocks if b.page == page} for page in (1, 2)}
    assert by_page == {1: {False}, 2: {True}}
    assert any("Chương I" in block.text for block in document.blocks if block.page == 2)


def _ingest_with_text_neighbour(tmp_path: Path, scanned: Path) -> tuple[Any, Path]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(scanned, folder / scanned.name)
    (folder / "note.txt").write_text(
        "Commune notes\n\nThe commune holds a dialogue with citizens every quarter.\n",
        encoding="utf-8",
    )
    services = Services(make_settings(tmp_path / "data", [folder]))
    services.__dict__["embedder"] = HashingEmbedder()
    return services.ingest(), folder


def test_missing_tesseract_is_a_one_line_reason_and_the_rest_lands(
    tmp_path: Path, scanned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    summary, folder = _ingest_with_text_neighbour(tmp_path, scanned)
    assert summary.added == 1
    reason = f"scanned PDF, not OCR'd: Tesseract is not installed ({INSTALL})"
    assert summary.failed == [(str(folder / scanned.name), reason)]


def test_missing_vietnamese_data_says_which_package(
    tmp_path: Path, scanned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    system_data = Path(listing.stdout.splitlines()[0].split('"')[1])
    english_only = tmp_path / "tessdata"
    english_only.mkdir()
    os.symlink(system_data / "eng.traineddata", english_only / "eng.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(english_only))
    summary, folder = _ingest_with_text_neighbour(tmp_path, scanned)
    assert summary.added == 1
    [(path, reason)] = summary.failed
    assert path == str(folder / scanned.name)
    assert reason == (
        "scanned PDF, not OCR'd: Tesseract has no vie language data (install tesseract-ocr-vie)"
    )


@pytest.mark.slow
def test_questions_are_answered_from_the_scanned_decree(
    tmp_path: Path, scanned: Path, real_embedder: Any
) -> None:
    from bot.answering import build_answerer

    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(scanned, folder / scanned.name)
    services = ingested_services(tmp_path / "data", [folder, EXAMPLE_CORPUS], real_embedder)
    ocr_chunks = [m for _, _, m in services.store.records() if m.get("ocr")]
    assert ocr_chunks and all(m["source"].endswith(scanned.name) for m in ocr_chunks)

    answerer = build_answerer(services.settings, services)
    for question in (
        "Chủ tịch Ủy ban nhân dân cấp xã đối thoại với Nhân dân bao lâu một lần?",
        "chu tich uy ban nhan dan cap xa doi thoai voi nhan dan bao lau mot lan",
    ):
        answer = answerer.answer(question)
        assert not answer.refused, (question, answer.text)
        assert "mỗi quý một lần" in answer.text
        cited = [c for c in answer.citations if c.source.endswith(scanned.name)]
        assert cited and all(c.ocr for c in cited)
        assert all(c["ocr"] is True for c in answer.to_dict()["citations"] if c["n"] == cited[0].n)
        assert "(OCR)" in render_terminal(answer)
        assert "(OCR)" in "".join(render_telegram(answer, "vi"))

    effective = answerer.answer("Nghị định 27/2026/NĐ-CP có hiệu lực từ ngày nào?")
    assert not effective.refused, effective.text
    assert "01 tháng 5 năm 2026" in effective.text
