"""The upload folder: safe names, checks before saving, incremental ingestion, removal."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.services import Services
from bot.uploads import UploadFolder, UploadRefused, safe_name
from tests import legal_docs
from tests.conftest import EXAMPLE_CORPUS, HashingEmbedder, make_settings
from tests.hostile_files import write_zip_bomb

NOTICE = (
    "Thông báo về hội nghị dân vận xã Tân Lập\n\n"
    "Hội nghị dân vận xã Tân Lập năm 2026 họp vào ngày 14 tháng 3 tại nhà văn hoá thôn Đồng Mới, "
    "với 120 đại biểu của các đoàn thể và Ban công tác Mặt trận các thôn.\n"
)


@pytest.fixture
def services(tmp_path: Path) -> Services:
    services = Services(make_settings(tmp_path / "data", [EXAMPLE_CORPUS]))
    services.__dict__["embedder"] = HashingEmbedder()
    assert services.ingest().ok
    return services


@pytest.fixture
def uploads(services: Services) -> UploadFolder:
    return UploadFolder(services)


@pytest.mark.parametrize(
    ("raw", "saved"),
    [
        ("../../etc/x.pdf", "x.pdf"),
        ("..\\..\\Windows\\system.ini.txt", "system.ini.txt"),
        ("/etc/passwd.md", "passwd.md"),
        (".hidden.docx", "hidden.docx"),
        ("~$lock.docx", "lock.docx"),
        ("Báo cáo\n<2025>&amp;.HTML", "Báo cáo _2025__amp_.html"),
        ("a\x00b.txt", "a b.txt"),
        (".pdf.txt", "pdf.txt"),
        ("..txt", "document.txt"),
        ("x" * 300 + ".md", "x" * 200 + ".md"),
        ("Nghị" * 100 + ".txt", "Nghị" * 33 + "Ng.txt"),  # 200 bytes, never half a letter
    ],
)
def test_names_lose_their_path_and_anything_unsafe(raw: str, saved: str) -> None:
    assert safe_name(raw) == saved


def test_decomposed_vietnamese_names_are_put_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nghị định 06.docx")
    assert safe_name(decomposed) == unicodedata.normalize("NFC", "Nghị định 06.docx")


@pytest.mark.parametrize("raw", ["photo.png", "archive.zip", "notes", "", "decree.pdf.exe"])
def test_unsupported_extensions_are_refused(raw: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        safe_name(raw)
    assert refused.value.reason == "type"


def test_a_text_upload_is_saved_and_indexed(uploads: UploadFolder, services: Services) -> None:
    added = uploads.add("thong-bao.txt", NOTICE.encode())

    assert added.name == "thong-bao.txt"
    assert (uploads.folder / "thong-bao.txt").read_text(encoding="utf-8") == NOTICE
    assert added.document.title == "Thông báo về hội nghị dân vận xã Tân Lập"
    assert added.document.chunk_count >= 1 and added.articles == 0
    assert added.document in services.documents()
    assert uploads.uploaded() == [added.document]


def test_a_decree_reports_its_type_number_date_and_articles(
    tmp_path: Path, uploads: UploadFolder
) -> None:
    decree = legal_docs.write_docx(tmp_path / "decree.docx").read_bytes()
    added = uploads.add("Nghị định 06.docx", decree)
    document = added.document
    assert (document.doc_type, document.number, document.date) == (
        "Nghị định", "06/2014/ND-CP", "2014-01-21"
    )
    assert document.title == legal_docs.TITLE
    assert added.articles == len([a for _, _, articles in legal_docs.CHAPTERS for a in articles])


def test_a_second_file_of_the_same_name_gets_a_name_of_its_own(uploads: UploadFolder) -> None:
    first = uploads.add("notice.txt", NOTICE.encode())
    second = uploads.add("notice.txt", (NOTICE + "\nBổ sung: họp thêm ngày 20 tháng 3.\n").encode())
    assert (first.name, second.name) == ("notice.txt", "notice (2).txt")


@pytest.mark.parametrize(
    ("name", "data", "reason", "values"),
    [
        ("report.pdf", b"Just words.", "content", {"expected": "PDF", "actual": "text"}),
        ("report.txt", b"%PDF-1.4\n", "content", {"expected": "TXT", "actual": "PDF"}),
        ("report.docx", b"PK\x05\x06" + bytes(18), "content",
         {"expected": "DOCX", "actual": "ZIP"}),
    ],
)
def test_content_that_lies_about_its_format_is_refused_before_saving(
    uploads: UploadFolder, name: str, data: bytes, reason: str, values: dict[str, str]
) -> None:
    with pytest.raises(UploadRefused) as refused:
        uploads.add(name, data)
    assert refused.value.reason == reason
    assert refused.value.values == {"name": name, **values}
    assert not uploads.folder.exists() or not any(uploads.folder.iterdir())


def test_a_zip_bomb_is_refused_before_saving(tmp_path: Path, uploads: UploadFolder) -> None:
    bomb = write_zip_bomb(tmp_path / "bomb.docx").read_bytes()
    with pytest.raises(UploadRefused) as refused:
        uploads.add("bomb.docx", bomb)
    assert refused.value.reason == "unpacked"
    assert refused.value.values["limit"] == "256"
    assert not uploads.folder.exists() or not any(uploads.folder.iterdir())


def test_a_duplicate_of_an_indexed_file_is_refused(
    uploads: UploadFolder, services: Services
) -> None:
    original = EXAMPLE_CORPUS / "grassroots-democracy-law.html"
    title = next(d.title for d in services.documents() if d.source == str(original))
    with pytest.raises(UploadRefused) as refused:
        uploads.add("copy.html", original.read_bytes())
    assert (refused.value.reason, refused.value.values["title"]) == ("duplicate", title)

    uploads.add("notice.txt", NOTICE.encode())
    with pytest.raises(UploadRefused, match="duplicate"):
        uploads.add("notice again.txt", NOTICE.encode())


def test_a_file_that_fails_ingestion_is_not_kept(
    uploads: UploadFolder, services: Services
) -> None:
    before = services.documents()
    with pytest.raises(UploadRefused) as refused:
        uploads.add("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage")
    assert refused.value.reason == "unreadable"
    assert refused.value.values["problem"].startswith("corrupt PDF: ")
    assert list(uploads.folder.iterdir()) == []
    assert services.documents() == before


def test_remove_deletes_the_file_and_its_chunks(uploads: UploadFolder, services: Services) -> None:
    added = uploads.add("notice.txt", NOTICE.encode())
    chunk_ids = {p.chunk_id for p in services.store.document_passages(added.document.doc_id)}
    assert chunk_ids <= services.store.all_ids()

    removed = uploads.remove(added.document.doc_id)

    assert removed == added.document
    assert not (uploads.folder / "notice.txt").exists()
    assert not chunk_ids & services.store.all_ids()
    assert uploads.uploaded() == []
    assert uploads.remove(added.document.doc_id) is None


def test_documents_outside_the_upload_folder_cannot_be_removed(
    uploads: UploadFolder, services: Services
) -> None:
    corpus_document = services.documents()[0]
    assert uploads.remove(corpus_document.doc_id) is None
    assert Path(corpus_document.source).exists()
    assert corpus_document in services.documents()


def test_the_upload_folder_is_part_of_every_ingestion_of_the_corpus(
    tmp_path: Path, services: Services
) -> None:
    folder = services.settings.telegram.upload_dir
    assert services.corpus_paths() == [EXAMPLE_CORPUS, folder]
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")  # copied in by hand
    assert services.ingest().added == 1
    (folder / "notice.txt").unlink()
    assert services.ingest().removed == 1
    folder.rmdir()  # a deleted folder is made again, and what was uploaded into it is gone
    assert services.ingest().ok and folder.is_dir()


def test_upload_dir_is_relative_to_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("telegram:\n  upload_dir: inbox\n", encoding="utf-8")
    assert load_settings(config).telegram.upload_dir == tmp_path / "inbox"
    config.write_text("{}\n", encoding="utf-8")
    assert load_settings(config).telegram.upload_dir == tmp_path / "uploads"
