import logging
import unicodedata
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from ingest.loaders import load_document
from ingest.model import ArchiveTooLarge, Block, FormatMismatch, LoadError
from tests.hostile_files import write_zip_bomb

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

LONG_EN = (
    "The mass mobilization work is an important element of the party and political work and a "
    "routine political task of military units, contributing to building the close-knit "
    "relationship between the military and the people."
)


def texts(blocks: list[Block]) -> list[str]:
    return [block.text for block in blocks]


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese the way cp1258 stores it: base letters plus separate tone marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
        out += (letter + "".join(m for m in marks if m in tones)).encode("cp1258")
    return bytes(out)


# --- Plain text ----------------------------------------------------------------------------------


def test_text_lines_are_paragraphs() -> None:
    loaded = load_document(CORPUS / "001_5b8c9dc2988af090.txt")
    assert loaded.blocks[0] == Block("Sunday, October 14, 2018, 09:42 (GMT+7)")
    assert loaded.blocks[1].text == (
        "The Military improves the effectiveness of the mass mobilization work"
    )
    assert all(block.kind == "paragraph" and block.page is None for block in loaded.blocks)
    # Blank lines between paragraphs make no blocks; 16 text lines make 16 blocks.
    assert len(loaded.blocks) == 17
    assert loaded.blocks[-1].text == "Your Comment (0)"
    assert loaded.format_metadata == {}
    # The NBSP after "Defence" is a plain space now.
    assert "Ministry of National Defence and General" in loaded.blocks[4].text


def test_odd_whitespace_is_normalised_and_letters_kept(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    decomposed = unicodedata.normalize("NFD", "Nghị quyết")
    path.write_text(f"Công\u00a0tác\u200b dân\tvận\n{decomposed} số 25\u2009NQ\n", encoding="utf-8")
    assert texts(load_document(path).blocks) == ["Công tác dân vận", "Nghị quyết số 25 NQ"]


def test_cp1258_vietnamese_is_decoded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "Nghị quyết về công tác dân vận\nĐảng và nhân dân đồng lòng, ý Đảng hợp lòng dân.\n"
    path = tmp_path / "vi.txt"
    path.write_bytes(to_cp1258(text))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    with caplog.at_level(logging.WARNING, logger="ingest.loaders"):
        loaded = load_document(path)
    assert texts(loaded.blocks) == text.splitlines()
    assert "cp1258" in caplog.text


def test_cp1252_when_cp1258_cannot_decode(tmp_path: Path) -> None:
    path = tmp_path / "west.txt"
    path.write_bytes("Škoda and Žilina delegates visited.".encode("cp1252"))
    assert texts(load_document(path).blocks) == ["Škoda and Žilina delegates visited."]


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffTiêu đề\nNội dung.\n".encode())
    assert texts(load_document(path).blocks) == ["Tiêu đề", "Nội dung."]


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Tiêu đề\r\nNội dung văn bản.\r\n".encode("utf-16"))
    assert texts(load_document(path).blocks) == ["Tiêu đề", "Nội dung văn bản."]


def test_hard_wrapped_text_is_rejoined(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "Mass mobilization work\n"
        "\n"
        "The work of mass mobilization is an important element of the party and\n"
        "political work and a routine political task of military units. The suc-\n"
        "cessful implementation of this work represents the sentiment and\n"
        "responsibility of leaders and commanders at all levels as well as cadres.\n"
        "Units have actively taken part in building the local political system and\n"
        "in training grass-roots level military cadres for the commune forces.\n",
        encoding="utf-8",
    )
    assert texts(load_document(path).blocks) == [
        "Mass mobilization work",
        "The work of mass mobilization is an important element of the party and political work "
        "and a routine political task of military units. The successful implementation of this "
        "work represents the sentiment and responsibility of leaders and commanders at all levels "
        "as well as cadres.",
        "Units have actively taken part in building the local political system and in training "
        "grass-roots level military cadres for the commune forces.",
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t\n", "empty file"),
        ("garbage.txt", bytes(range(256)) * 8, "not text"),
        ("nul.txt", b"some text\x00\x00\x01\x02 more", "binary content"),
        ("picture.png", b"\x89PNG\r\n", "unsupported file type .png"),
        ("README", b"text", "unsupported file type (no suffix)"),
    ],
)
def test_unloadable_files(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        load_document(path)


def test_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(LoadError, match="unreadable file"):
        load_document(folder)
    with pytest.raises(LoadError, match="unreadable file"):
        load_document(tmp_path / "missing.txt")


# --- Markdown ------------------------------------------------------------------------------------


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\n"
        "title: Hướng dẫn công tác dân vận\n"
        "date: 2024-01-02\n"
        "url: https://example.org/huong-dan\n"
        "tags: [dan van]\n"
        "---\n"
        "# Công tác *dân vận*\n"
        "\n"
        "Some *emphasis*, **bold**, a [link](http://x.y/z) and `code` in snake_case_name;\n"
        "a soft-wrapped line. ![photo](p.jpg)\n"
        "\n"
        "- first item\n"
        "* second item\n"
        "1. third item\n"
        "\n"
        "> A quoted line.\n"
        "\n"
        "```\n"
        "code line 1\n"
        "    indented line 2\n"
        "```\n"
        "\n"
        "Setext heading\n"
        "--------------\n"
        "\n"
        "| Level | Count |\n"
        "|-------|------:|\n"
        "| Commune | 2,852 |\n"
        "\n"
        "***\n"
        "Last paragraph.\n",
        encoding="utf-8",
    )
    loaded = load_document(path)
    assert loaded.format_metadata == {
        "title": "Hướng dẫn công tác dân vận",
        "date": "2024-01-02",
        "url": "https://example.org/huong-dan",
    }
    assert loaded.blocks == [
        Block("Công tác dân vận", kind="heading"),
        Block("Some emphasis, bold, a link and code in snake_case_name; a soft-wrapped line."),
        Block("first item"),
        Block("second item"),
        Block("third item"),
        Block("A quoted line."),
        Block("code line 1\n    indented line 2"),
        Block("Setext heading", kind="heading"),
        Block("Level | Count"),
        Block("Commune | 2,852"),
        Block("Last paragraph."),
    ]


def test_markdown_with_broken_front_matter_keeps_the_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.markdown"
    path.write_text("---\ntitle: [unclosed\n---\nBody text.\n", encoding="utf-8")
    loaded = load_document(path)
    assert loaded.format_metadata == {}
    assert texts(loaded.blocks) == ["Body text."]


# --- HTML ----------------------------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="vi-VN">
<head>
  <meta charset="utf-8">
  <title>Công tác dân vận trong tình hình mới - Nhân Dân</title>
  <link rel="canonical" href="https://nhandan.vn/cong-tac-dan-van-post1.html">
  <meta property="og:url" content="https://nhandan.vn/other">
  <meta property="article:published_time" content="2024-12-30T10:15:00+07:00">
  <meta name="author" content="Thanh Duy">
  <script>var tracking = "Comment (0)";</script>
  <style>p { color: red }</style>
</head>
<body>
  <header class="site-header">
    <a href="/">Nhân Dân</a><nav><a>Politics</a><a>World</a></nav>
  </header>
  <div class="breadcrumb"><a>Home</a> &gt; <a>Politics</a></div>
  <article class="article">
    <header>
      <h1>Công tác dân vận trong tình hình mới</h1><time datetime="2024-12-29">29/12</time>
    </header>
    <div class="article__share"><a>Share</a><a>Print</a></div>
    <p class="sapo">NDO - Sáng 30/12, tại Hà Nội, Ban Dân vận Trung ương tổ chức
    hội nghị&nbsp;tổng kết.</p>
    <figure><img src="a.jpg"><figcaption>Đồng chí Mai Văn Chính phát biểu.</figcaption></figure>
    <p>Hội nghị đánh giá <b>kết quả</b> phối hợp <a href="/x">công tác dân vận</a> năm 2024.<br>
    Dòng thứ hai sau thẻ xuống dòng.</p>
    <h2>Nhiệm vụ năm 2025</h2>
    <ul>
      <li>Tăng cường phối hợp nắm tình hình nhân dân.</li>
      <li>Thực hiện Quy chế dân chủ ở cơ sở.</li>
    </ul>
    <table><tr><td>Mô hình</td><td>2.852</td></tr></table>
    <blockquote>Dân vận khéo thì việc gì cũng thành công.</blockquote>
    <div>Loose text <span>inside a div</span></div>
    <!-- a comment that must not appear -->
    <div class="related-news"><h3>Tin liên quan</h3><p>Another story</p></div>
  </article>
  <section id="comments"><p>Comment (3)</p><form><textarea>Your comment</textarea></form></section>
  <aside><p>Most read</p></aside>
  <footer><p>Copyright Nhân Dân</p></footer>
  <noscript>Enable JavaScript</noscript>
  <iframe src="ad.html"></iframe>
</body>
</html>
"""


def test_html_article(tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    loaded = load_document(path)
    assert loaded.blocks == [
        Block("Công tác dân vận trong tình hình mới", kind="heading"),
        Block("NDO - Sáng 30/12, tại Hà Nội, Ban Dân vận Trung ương tổ chức hội nghị tổng kết."),
        Block("Hội nghị đánh giá kết quả phối hợp công tác dân vận năm 2024."),
        Block("Dòng thứ hai sau thẻ xuống dòng."),
        Block("Nhiệm vụ năm 2025", kind="heading"),
        Block("Tăng cường phối hợp nắm tình hình nhân dân."),
        Block("Thực hiện Quy chế dân chủ ở cơ sở."),
        Block("Mô hình"),
        Block("2.852"),
        Block("Dân vận khéo thì việc gì cũng thành công."),
        Block("Loose text inside a div"),
    ]
    assert loaded.format_metadata == {
        "url": "https://nhandan.vn/cong-tac-dan-van-post1.html",
        "title": "Công tác dân vận trong tình hình mới",
        "date": "2024-12-30T10:15:00+07:00",
        "author": "Thanh Duy",
        "language": "vi",
    }


def test_html_without_article_uses_body_and_og_tags(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(
        b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1258'>"
        b"<meta property='og:title' content='Skillful mass mobilization'>"
        b"<meta property='og:url' content='https://baonghean.vn/a.html'></head><body>"
        b"<header><div class='logo'>Bao Nghe An</div><ul class='menu'><li>News</li></ul></header>"
        b"<div class='content'><p>"
        + to_cp1258("Dân vận khéo ở xã Cẩm Sơn.")
        + b"</p><p>Second paragraph.</p></div>"
        b"<div class='social-share'>Facebook Zalo</div><time datetime='2013-05-06'>6/5</time>"
        b"</body></html>"
    )
    loaded = load_document(path)
    assert texts(loaded.blocks) == ["Dân vận khéo ở xã Cẩm Sơn.", "Second paragraph."]
    assert loaded.format_metadata == {
        "url": "https://baonghean.vn/a.html",
        "title": "Skillful mass mobilization",
        "date": "2013-05-06",
    }


def test_html_with_no_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>Home</nav><script>x()</script></body></html>")
    with pytest.raises(LoadError, match="no text"):
        load_document(path)


# --- PDF -----------------------------------------------------------------------------------------


class _Report(FPDF):
    """A PDF with a running header and a page-number footer, as printed reports have."""

    def header(self) -> None:
        self.set_font("helvetica", size=9)
        self.cell(0, 8, "Central Commission for Mass Mobilization - Internal report")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=9)
        self.cell(0, 8, f"Page {self.page_no()}", align="C")


def write_report(path: Path, pages: list[str], **info: str) -> None:
    pdf = _Report()
    if "title" in info:
        pdf.set_title(info["title"])
    if "author" in info:
        pdf.set_author(info["author"])
    pdf.set_creation_date(datetime(2019, 5, 17, 8, 30, tzinfo=UTC))
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))


def test_pdf_pages_paragraphs_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    pages = [
        f"Part {n}: {topic}\n\n{LONG_EN} This is page {n} on {topic}.\n"
        f"A second paragraph of page {n} follows here. It refers to Resolution 25-NQ/TW and to "
        f"Decree 06/2014/ND-CP on mobilizing the masses to protect national security."
        for n, topic in enumerate(["security", "defence", "grassroots democracy"], start=1)
    ]
    write_report(path, pages, title="Report on mass mobilization", author="Central Commission")
    loaded = load_document(path)
    assert [block.page for block in loaded.blocks] == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert loaded.blocks[0].text == "Part 1: security"
    assert loaded.blocks[1].text == f"{LONG_EN} This is page 1 on security."
    assert loaded.blocks[5].text.startswith("A second paragraph of page 2 follows here.")
    assert loaded.blocks[5].text.endswith("to protect national security.")
    joined = " ".join(texts(loaded.blocks))
    assert "Internal report" not in joined  # the running header
    assert "Page 2" not in joined  # the page numbers
    assert loaded.format_metadata == {
        "file_title": "Report on mass mobilization",
        "author": "Central Commission",
        "file_date": "2019-05-17",
    }


def test_pdf_rejoins_hyphenated_words(tmp_path: Path) -> None:
    path = tmp_path / "hyphen.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in [
        "The work of mass mobilization is an important element of the party and poli-",
        "tical work and a routine political task of military units in the whole country.",
    ]:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    assert texts(load_document(path).blocks) == [
        "The work of mass mobilization is an important element of the party and political work "
        "and a routine political task of military units in the whole country."
    ]


@pytest.mark.skipif(not DEJAVU.is_file(), reason="needs the DejaVu Sans font for Vietnamese")
def test_pdf_in_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "vi.pdf"
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(DEJAVU))
    pdf.add_page()
    pdf.set_font("dejavu", size=11)
    pdf.multi_cell(
        0,
        6,
        "Nghị quyết số 25-NQ/TW\n\nNghị quyết về tăng cường và đổi mới sự lãnh đạo của Đảng đối "
        "với công tác dân vận trong tình hình mới được ban hành ngày 3 tháng 6 năm 2013.",
    )
    pdf.output(str(path))
    assert texts(load_document(path).blocks) == [
        "Nghị quyết số 25-NQ/TW",
        "Nghị quyết về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong "
        "tình hình mới được ban hành ngày 3 tháng 6 năm 2013.",
    ]


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "secret.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, LONG_EN)
    pdf.set_encryption(owner_password="owner", user_password="reader")
    pdf.output(str(path))
    with pytest.raises(LoadError, match=r"^encrypted PDF$"):
        load_document(path)


def test_pdf_protected_only_by_an_owner_password_opens(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, LONG_EN)
    pdf.set_encryption(owner_password="owner")
    pdf.output(str(path))
    assert texts(load_document(path).blocks) == [LONG_EN]


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage without end")
    with pytest.raises(LoadError, match=r"^corrupt PDF: "):
        load_document(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = tmp_path / "whole.pdf"
    write_report(whole, [LONG_EN])
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole.read_bytes()[:300])
    with pytest.raises(LoadError, match="PDF"):
        load_document(path)


def test_pdf_without_text(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # an image-like page: drawn, no text
    pdf.output(str(path))
    with pytest.raises(LoadError, match=r"^no extractable text \(scanned PDF\?\)$"):
        load_document(path)


# --- DOCX ----------------------------------------------------------------------------------------


def test_docx_headings_tables_and_properties(tmp_path: Path) -> None:
    path = tmp_path / "guide.docx"
    document = docx.Document()
    document.core_properties.title = "Hướng dẫn thực hiện Nghị quyết 25-NQ/TW"
    document.core_properties.author = "Ban Dân vận Trung ương"
    document.core_properties.created = datetime(2013, 6, 3, 9, 0, tzinfo=UTC)
    document.add_heading("Hướng dẫn thực hiện Nghị quyết", level=0)
    document.add_heading("I. Mục đích, yêu cầu", level=1)
    document.add_paragraph("Quán triệt sâu sắc Nghị quyết\u00a0số 25-NQ/TW.")
    document.add_paragraph("")
    table = document.add_table(rows=3, cols=3)
    for col, header in enumerate(["Cấp", "Số mô hình", "Ghi chú"]):
        table.cell(0, col).text = header
    table.cell(1, 0).text = "Xã"
    table.cell(1, 1).text = "2.852"
    table.cell(1, 2).text = ""
    table.cell(2, 0).merge(table.cell(2, 2)).text = "Tổng cộng"
    document.add_heading("II. Nhiệm vụ", level=2)
    document.add_paragraph("Đổi mới nội dung, phương thức công tác dân vận.", style="List Bullet")
    document.save(str(path))

    loaded = load_document(path)
    assert loaded.blocks == [
        Block("Hướng dẫn thực hiện Nghị quyết", kind="heading"),
        Block("I. Mục đích, yêu cầu", kind="heading"),
        Block("Quán triệt sâu sắc Nghị quyết số 25-NQ/TW."),
        Block("Cấp | Số mô hình | Ghi chú"),
        Block("Xã | 2.852"),
        Block("Tổng cộng"),
        Block("II. Nhiệm vụ", kind="heading"),
        Block("Đổi mới nội dung, phương thức công tác dân vận."),
    ]
    assert loaded.format_metadata == {
        "file_title": "Hướng dẫn thực hiện Nghị quyết 25-NQ/TW",
        "author": "Ban Dân vận Trung ương",
        "file_date": "2013-06-03",
    }


def test_docx_template_properties_are_not_facts(tmp_path: Path) -> None:
    path = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_paragraph("Only a paragraph.")
    document.save(str(path))
    loaded = load_document(path)
    assert texts(loaded.blocks) == ["Only a paragraph."]
    assert loaded.format_metadata == {}


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(LoadError, match=r"^corrupt DOCX: "):
        load_document(path)


def test_docx_that_is_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "renamed.docx"
    path.write_text("Someone renamed a text file.", encoding="utf-8")
    with pytest.raises(FormatMismatch, match=r"^content is plain text, not DOCX$"):
        load_document(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"Plain words pretending to be a PDF.", "content is plain text, not PDF"),
        ("report.pdf", b"PK\x05\x06" + bytes(18), "content is ZIP, not PDF"),
        ("notes.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "content is PDF, not TXT"),
        ("page.html", b"\x89PNG\r\n\x1a\n" + bytes(32), "content is PNG, not HTML"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64),
         "content is OLE (Word 97-2003), not DOCX"),
    ],
)
def test_content_that_contradicts_the_extension_is_refused(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FormatMismatch) as raised:
        load_document(path)
    assert str(raised.value) == message


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "Not a Word document.")
    with pytest.raises(FormatMismatch, match=r"^content is ZIP, not DOCX$"):
        load_document(path)


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = write_zip_bomb(tmp_path / "bomb.docx")
    assert path.stat().st_size < 2 * 2**20  # small on disk, like anything Telegram accepts
    limit = r"^DOCX would unpack to 25\d MiB, over the limit of 256 MiB"
    with pytest.raises(ArchiveTooLarge, match=limit):
        load_document(path)

