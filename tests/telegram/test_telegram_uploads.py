"""End to end: admins add documents by sending them to the real bot, and remove them with /remove.

The bot downloads each file as from Telegram (getFile, then the file URL under base_file_url, both
served by the emulator), the real upload folder ingests it with the real model, and the real
answerer answers from it afterwards.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bot_runner import RunningBot
from botapi_emulator import DOWNLOAD_LIMIT, BotApiEmulator, Chat, SentMessage, User
from e2e_setup import ADMIN, ALICE, make_settings

from bot.answering import build_answerer
from bot.services import Services
from bot.uploads import IndexedUpload, UploadFolder
from ingest.settings import CorpusSettings
from tests import legal_docs
from tests.conftest import EXAMPLE_CORPUS
from tests.hostile_files import write_zip_bomb
from vectorstore.model import DocumentInfo

pytestmark = [pytest.mark.telegram, pytest.mark.slow]

QUAN = User(901, "Quân", "vi")  # an admin whose Telegram speaks Vietnamese
INGEST_TIMEOUT_S = 120.0
NOTICE = (
    "Thông báo về hội nghị dân vận xã Tân Lập\n\n"
    "Hội nghị dân vận xã Tân Lập năm 2026 họp vào ngày 14 tháng 3 tại nhà văn hoá thôn Đồng Mới, "
    "với 120 đại biểu của các đoàn thể và Ban công tác Mặt trận các thôn.\n"
)
NOTICE_TITLE = "Thông báo về hội nghị dân vận xã Tân Lập"
REPORT = (
    "Report on the Dong Tien ward dialogue with residents\n\n"
    "The Dong Tien ward dialogue with residents on 9 May 2026 settled 14 complaints about the new "
    "drainage canal, and the ward committee promised to finish the canal before the rainy season."
    "\n"
)


@pytest.fixture
def services(tmp_path: Path, emulator: BotApiEmulator, real_embedder: Any) -> Services:
    """Real services over the example corpus, with an upload folder of their own."""
    settings = make_settings(
        tmp_path / "data", emulator.base_url, admin_user_ids=[ADMIN.id, QUAN.id]
    ).model_copy(update={"corpus": CorpusSettings(paths=[EXAMPLE_CORPUS])})
    services = Services(settings)
    services.__dict__["embedder"] = real_embedder
    assert services.ingest().ok
    return services


@pytest.fixture
def bot(start_bot: Callable[..., RunningBot], services: Services) -> RunningBot:
    return start_bot(
        settings=services.settings,
        answerer=build_answerer(services.settings, services),
        library=services,
        uploads=UploadFolder(services),
    )


def upload_folder(services: Services) -> Path:
    return services.settings.telegram.upload_dir


def send_file(
    emulator: BotApiEmulator, user: User, data: bytes, name: str | None, **options: Any
) -> SentMessage:
    """Send a file as a document and return the bot's next message in that chat."""
    chat_id = Chat.private(user).id
    before = len(emulator.bot_messages(chat_id))
    emulator.send_document(user, data, name, **options)
    return emulator.wait_messages(chat_id, before + 1, INGEST_TIMEOUT_S)[before]


def ask(emulator: BotApiEmulator, user: User, text: str) -> SentMessage:
    chat_id = Chat.private(user).id
    before = len(emulator.bot_messages(chat_id))
    emulator.send_text(user, text)
    return emulator.wait_messages(chat_id, before + 1, 30.0)[before]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_an_admin_adds_a_decree_as_docx_and_its_articles_are_answered(
    tmp_path: Path, emulator: BotApiEmulator, bot: RunningBot, services: Services
) -> None:
    decree = legal_docs.write_docx(tmp_path / "decree.docx").read_bytes()
    # Sent from a Mac: the file name is in decomposed Unicode.
    name = unicodedata.normalize("NFD", "Nghị định 06-2014.docx")

    reply = send_file(emulator, ADMIN, decree, name, mime_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ))

    saved = upload_folder(services) / unicodedata.normalize("NFC", "Nghị định 06-2014.docx")
    assert saved.read_bytes() == decree
    document = next(d for d in services.documents() if d.source == str(saved))
    articles = sum(len(chapter[2]) for chapter in legal_docs.CHAPTERS)
    assert flat(reply.text) == flat(
        f"Indexed {legal_docs.TITLE} (file {saved.name}).\n"
        f"Type: Nghị định · Number: 06/2014/ND-CP · Date: 2014-01-21 · "
        f"{articles} articles, {document.chunk_count} chunks"
    )
    assert [c.method for c in emulator.calls if c.method in ("getFile", "download")] == [
        "getFile", "download"
    ]

    answer = ask(emulator, ALICE, "khoan 2 dieu 5 nghi dinh 06/2014 hoi nghi nhan dan to chuc "
                 "may lan moi nam")
    assert "hai lần mỗi năm, vào tháng Tư và tháng Mười" in answer.text
    assert f"{legal_docs.TITLE}, Điều 5, khoản 2" in answer.text


def test_a_text_upload_is_confirmed_in_vietnamese_and_then_answered(
    emulator: BotApiEmulator, bot: RunningBot, services: Services
) -> None:
    reply = send_file(emulator, QUAN, NOTICE.encode(), "thong-bao-hoi-nghi.txt")

    document = next(d for d in services.documents() if d.title == NOTICE_TITLE)
    assert flat(reply.text) == flat(
        f"Đã lập chỉ mục {NOTICE_TITLE} (tệp thong-bao-hoi-nghi.txt).\n"
        f"{document.chunk_count} đoạn"
    )
    answer = ask(emulator, ALICE, "Hội nghị dân vận xã Tân Lập năm 2026 họp ở đâu?")
    assert "nhà văn hoá thôn Đồng Mới" in answer.text
    assert NOTICE_TITLE in answer.text  # cited from the uploaded file


def test_a_file_name_with_a_path_is_saved_under_its_base_name(
    tmp_path: Path, emulator: BotApiEmulator, bot: RunningBot, services: Services
) -> None:
    reply = send_file(emulator, ADMIN, REPORT.encode(), "../../etc/x.txt")

    folder = upload_folder(services)
    assert [p.name for p in folder.iterdir()] == ["x.txt"]
    assert not (folder.parent.parent / "etc").exists() and not (tmp_path / "etc").exists()
    assert reply.text.startswith("Indexed Report on the Dong Tien ward dialogue")
    assert "(file x.txt)" in reply.text


@pytest.mark.parametrize(
    ("name", "content", "refusal"),
    [
        ("decree.pdf", b"Just words, renamed to look like a PDF.",
         "Cannot add decree.pdf: its content is plain text, not PDF."),
        ("decree.pdf", "docx", "Cannot add decree.pdf: its content is ZIP, not PDF."),
        ("notes.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "Cannot add notes.txt: its content is PDF, "
         "not TXT."),
    ],
)
def test_an_extension_that_lies_about_the_content_is_refused(
    tmp_path: Path, emulator: BotApiEmulator, bot: RunningBot, services: Services,
    name: str, content: bytes | str, refusal: str,
) -> None:
    data = (
        legal_docs.write_docx(tmp_path / "real.docx").read_bytes() if content == "docx"
        else content
    )
    assert isinstance(data, bytes)
    before = services.documents()

    reply = send_file(emulator, ADMIN, data, name)

    assert reply.text == refusal
    assert not any(upload_folder(services).glob("*"))
    assert services.documents() == before


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(
    tmp_path: Path, emulator: BotApiEmulator, bot: RunningBot, services: Services
) -> None:
    bomb = write_zip_bomb(tmp_path / "bomb.docx").read_bytes()
    assert len(bomb) < 2**20

    reply = send_file(emulator, QUAN, bomb, "quyet-dinh.docx")

    assert reply.text.startswith(
        "Không nhận tệp quyet-dinh.docx: tệp DOCX này giải nén ra 25"
    )
    assert reply.text.endswith("MiB, quá giới hạn 256 MiB (có thể là zip bomb).")
    assert not any(upload_folder(services).glob("*"))


def test_a_duplicate_of_an_indexed_file_is_refused_with_its_title(
    emulator: BotApiEmulator, bot: RunningBot, services: Services
) -> None:
    original = EXAMPLE_CORPUS / "grassroots-democracy-law.html"
    title = next(d.title for d in services.documents() if d.source == str(original))

    reply = send_file(emulator, ADMIN, original.read_bytes(), "law-copy.html")
    assert reply.text == f"law-copy.html is already indexed as {title}."

    send_file(emulator, ADMIN, REPORT.encode(), "report.txt")
    again = send_file(emulator, ADMIN, REPORT.encode(), "report-again.txt")
    assert again.text.startswith("report-again.txt is already indexed as Report on the Dong Tien")
    assert [p.name for p in upload_folder(services).iterdir()] == ["report.txt"]


def test_a_file_over_the_download_limit_is_refused_before_downloading(
    emulator: BotApiEmulator, bot: RunningBot, services: Services
) -> None:
    too_big = b"a" * (DOWNLOAD_LIMIT + 1)

    stated = send_file(emulator, ADMIN, too_big, "huge.txt")
    assert stated.text == (
        "Cannot add huge.txt: it is over 20 MB, the limit of what a Telegram bot can download."
    )
    assert emulator.calls_to("getFile") == []  # refused from the size the message states

    # Without a size in the message, getFile is what refuses it, as Telegram's does.
    emulator.expected_statuses.add(400)
    unstated = send_file(emulator, ADMIN, too_big, "huge.txt", declare_size=False)
    assert unstated.text == stated.text
    [call] = emulator.calls_to("getFile")
    assert (call.status, call.description) == (400, "Bad Request: file is too big")
    assert emulator.downloads == []
    assert not any(upload_folder(services).glob("*"))


def test_unsupported_and_unreadable_files_are_refused_with_a_reason(
    emulator: BotApiEmulator, bot: RunningBot, services: Services
) -> None:
    picture = send_file(emulator, ADMIN, b"\x89PNG\r\n\x1a\n" + bytes(64), "photo.png")
    assert picture.text == (
        "Cannot add photo.png: only PDF, DOCX, HTML, TXT and MD files are taken."
    )
    assert emulator.calls_to("getFile") == []

    broken = send_file(
        emulator, ADMIN, b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "broken.pdf"
    )
    assert broken.text.startswith("Could not index broken.pdf: corrupt PDF: ")
    assert "\n" not in broken.text
    assert not any(upload_folder(services).glob("*"))  # nothing half-added is left behind


def test_non_admins_who_send_a_file_are_asked_for_text(
    emulator: BotApiEmulator, bot: RunningBot, services: Services
) -> None:
    reply = send_file(emulator, ALICE, NOTICE.encode(), "thong-bao.txt")

    assert reply.text == "Please send your question as text."
    assert emulator.calls_to("getFile") == []
    assert not upload_folder(services).exists() or not any(upload_folder(services).iterdir())


def test_remove_lists_the_uploads_and_removes_the_chosen_one(
    emulator: BotApiEmulator, bot: RunningBot, services: Services
) -> None:
    send_file(emulator, ADMIN, NOTICE.encode(), "thong-bao.txt")
    send_file(emulator, ADMIN, REPORT.encode(), "report.txt")
    refused = ask(emulator, ALICE, "/remove")
    assert refused.text == "This command is for administrators only."

    older = ask(emulator, ADMIN, "/remove")
    listing = ask(emulator, ADMIN, "/remove")
    assert listing.text.startswith("Uploaded documents (2)\n")
    assert [b["text"] for b in listing.buttons] == [
        "1. Report on the Dong Tien ward dialogue with resi…",
        f"2. {NOTICE_TITLE}",
    ]
    notice = next(d for d in services.documents() if d.title == NOTICE_TITLE)
    assert listing.buttons[1]["callback_data"] == f"rm:{notice.doc_id}"

    before = len(emulator.bot_messages(ADMIN.id))
    query_id = emulator.press(ADMIN, listing, listing.buttons[1]["callback_data"])
    [done] = emulator.wait_messages(ADMIN.id, before + 1, INGEST_TIMEOUT_S)[before:]

    assert emulator.callback_answers[query_id] == {"text": "", "show_alert": False}
    assert done.text == (
        f"Removed {NOTICE_TITLE} (file thong-bao.txt, {notice.chunk_count} chunks) from the "
        "folder and the index."
    )
    assert [p.name for p in upload_folder(services).iterdir()] == ["report.txt"]
    assert notice.doc_id not in {d.doc_id for d in services.documents()}
    emulator.wait_for(lambda: listing.buttons == [], what="the list's buttons to be taken away")
    answer = ask(emulator, ALICE, "Hội nghị dân vận xã Tân Lập năm 2026 họp ở đâu?")
    assert "Đồng Mới" not in answer.text

    # The same button under the older list: the document is gone, and the bot says so.
    before = len(emulator.bot_messages(ADMIN.id))
    stale = emulator.press(ADMIN, older, older.button(f"2. {NOTICE_TITLE}")["callback_data"])
    [gone] = emulator.wait_messages(ADMIN.id, before + 1, 30.0)[before:]
    assert gone.text == "This document is no longer in the upload folder."
    assert stale in emulator.callback_answers
    assert [p.name for p in upload_folder(services).iterdir()] == ["report.txt"]


def test_remove_with_nothing_uploaded_says_how_to_add(
    emulator: BotApiEmulator, bot: RunningBot
) -> None:
    reply = ask(emulator, QUAN, "/remove")
    assert reply.text.startswith("Chưa có văn bản nào được tải lên.")


class BrokenUploads:
    """An upload folder whose disk fails: every write raises, as a full or read-only disk does."""

    def __init__(self) -> None:
        self.document = DocumentInfo("d0c1d", "/srv/uploads/notice.txt", NOTICE_TITLE, 1)

    def add(self, filename: str, data: bytes) -> IndexedUpload:
        raise OSError(28, "No space left on device: /srv/uploads")

    def uploaded(self) -> list[DocumentInfo]:
        return [self.document]

    def remove(self, doc_id: str) -> DocumentInfo | None:
        raise OSError(30, "Read-only file system: /srv/uploads")


def test_a_failing_disk_is_reported_without_details(
    emulator: BotApiEmulator, start_bot: Callable[..., RunningBot]
) -> None:
    start_bot(uploads=BrokenUploads())

    failed = send_file(emulator, ADMIN, NOTICE.encode(), "notice.txt")
    assert failed.text == "Adding the document failed (OSError). Details are in the log."

    listing = ask(emulator, ADMIN, "/remove")
    before = len(emulator.bot_messages(ADMIN.id))
    emulator.press(ADMIN, listing, listing.buttons[0]["callback_data"])
    [removal] = emulator.wait_messages(ADMIN.id, before + 1)[before:]
    assert removal.text == "Removing the document failed (OSError). Details are in the log."
    assert listing.buttons  # nothing was removed: the list keeps its buttons
