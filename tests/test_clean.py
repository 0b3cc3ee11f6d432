from pathlib import Path

import pytest

from ingest.clean import clean_document, parse_date, read_sidecar, sidecar_paths
from ingest.loaders import load_document
from ingest.model import Block, CleanDocument, LoadedDocument, LoadError

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FILES = {path.name[:3]: path for path in sorted(CORPUS.glob("*.txt"))}

PROSE = (
    "The conference also focused on clarifying the limitations and causes of the problems, and "
    "agreed on the direction and tasks of coordination work in 2025."
)
MORE_PROSE = (
    "Units should strengthen training in mass mobilization work for specialized cadres, focusing "
    "on knowledge about ethnicity and religion."
)


def corpus(key: str) -> CleanDocument:
    return clean_document(load_document(FILES[key]))


def document(*lines: str, **metadata: str) -> LoadedDocument:
    return LoadedDocument(
        path=Path("doc.txt"), blocks=[Block(line) for line in lines], format_metadata=metadata
    )


def test_the_reference_corpus_is_there() -> None:
    assert sorted(FILES) == ["000", "001", "002", "003", "004"]


# --- The five reference articles -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "title"),
    [
        (
            "000",
            "Improving the efficiency of mass mobilization work in maintaining security and "
            "defending the Fatherland",
        ),
        ("001", "The Military improves the effectiveness of the mass mobilization work"),
        (
            "002",
            "Mass mobilization as one of the Party’s fundamental tasks greatly contributes to "
            "cultivating blood relations between the Party and the people and…",
        ),
        (
            "003",
            "On the morning of December 30, in Hanoi, the Central Committee for Mass "
            "Mobilization, the Ministry of Public Security and the General Department of…",
        ),
        ("004", "If you are good at mass mobilization, everything will be successful"),
    ],
)
def test_titles(key: str, title: str) -> None:
    assert corpus(key).title == title


def test_title_lines_leave_the_body_and_lead_paragraphs_stay() -> None:
    assert corpus("000").blocks[0].text.startswith("Maintaining security to create")
    assert corpus("001").blocks[0].text == "Maj. Gen. Ngo Thanh Hai addressing a conference"
    # Without a title line, the lead paragraph gives the title and stays in the text.
    assert corpus("002").text.startswith("Mass mobilization as one of the Party’s fundamental")
    assert corpus("003").text.startswith("NDO - On the morning of December 30, in Hanoi")
    assert corpus("004").blocks[0].text.startswith("Mass mobilization work is extremely")


@pytest.mark.parametrize(
    ("key", "published"),
    [("000", None), ("001", "2018-10-14"), ("002", None), ("003", None), ("004", None)],
)
def test_only_a_stated_publication_date_is_taken(key: str, published: str | None) -> None:
    doc = corpus(key)
    assert doc.date == published
    # Dates inside the body ("on June 3rd, 2013", "October 15, 1949") stay in the text.
    if key == "001":
        assert "(GMT+7)" not in doc.text


@pytest.mark.parametrize(
    ("key", "author"),
    [
        ("000", "Nguyen Viet Hung - Nguyen Thi Thu Ha"),
        ("001", "Maj. Gen. Ngo Thanh Hai, Director of the Department of Mass Mobilization"),
        (
            "002",
            "Truong Thi Mai, Member of the Politburo, Secretary of the Party Central Committee "
            "(PCC), Head of the PCC’s Commission for Mass Mobilization",
        ),
        ("003", None),
        ("004", "NGUYEN SON - THANH DUY"),
    ],
)
def test_bylines_become_the_author_and_leave_the_text(key: str, author: str | None) -> None:
    doc = corpus(key)
    assert doc.author == author
    if author is not None:
        assert author not in doc.text
        assert not doc.text.rstrip().endswith(author.split(",")[0])


def test_last_paragraphs_stay() -> None:
    assert corpus("000").text.endswith("defending the Fatherland in the new situation.")
    assert corpus("001").text.endswith("assigned by the Party, State and people.")
    assert corpus("003").text.endswith("religion and special propaganda work.")
    assert corpus("004").text.endswith("innovation and development of the country.")


def test_source_line_gives_the_url() -> None:
    doc = corpus("003")
    assert doc.url == (
        "https://nhandan.vn/tiep-tuc-nang-cao-trach-nhiem-thuc-hien-cong-toc-dan-van-cua-cap-uy-"
        "chinh-quyen-nguoi-dung-dau-co-quan-don-vi-luc-luong-vu-trang-post853277.html"
    )
    assert "Source:" not in doc.text
    assert "nhandan.vn" not in doc.text
    assert all(corpus(key).url is None for key in ("000", "001", "002", "004"))


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_debris_is_gone(key: str) -> None:
    doc = corpus(key)
    for debris in ("Comment (0)", "(photo: qdnd.vn)", "Conference overview.", "(GMT+7)"):
        assert debris not in doc.text
    assert all(not block.text.endswith("|") for block in doc.blocks)
    assert "|" not in doc.text


def test_captions_ending_with_a_bar_are_dropped_but_the_paragraphs_around_them_stay() -> None:
    doc = corpus("003")
    assert "Comrade Mai Van Chinh spoke at the Conference" not in doc.text
    assert "Conference delegates take a group photo" not in doc.text
    assert "The mass mobilization work of the armed forces has mobilized" in doc.text
    assert len(doc.blocks) == 11


def test_repeated_lead_paragraph_is_kept_once() -> None:
    doc = corpus("004")
    lead = "Mass mobilization work is extremely important in the revolutionary cause of the nation."
    assert doc.text.count(lead) == 1
    assert "(Baonghean)" not in doc.text  # the later copy, with the agency tag, is the one dropped
    assert doc.blocks[0].text.startswith(lead)


@pytest.mark.parametrize(
    ("key", "numbers"),
    [
        ("000", ["25-NQ/TW", "06/2014/ND-CP"]),
        ("001", ["25-NQ/TW", "49-NQ/QUTW", "120-KL/TW", "590-CT/DUQSTW"]),
        ("002", ["25-NQ/TW", "114-KL/TW", "16/CT-TTG", "18-NQ/TW"]),
        ("003", ["23-QD/TW"]),
        ("004", []),
    ],
)
def test_document_numbers(key: str, numbers: list[str]) -> None:
    assert corpus(key).document_numbers == numbers


def test_short_lines_between_paragraphs_become_sections() -> None:
    doc = corpus("004")
    headings = [block.text for block in doc.blocks if block.kind == "heading"]
    assert headings == [
        "When people agree",
        "Innovate and improve the effectiveness of mass mobilization work",
    ]
    sections = [block.section for block in doc.blocks]
    first = sections.index("When people agree")
    second = sections.index("Innovate and improve the effectiveness of mass mobilization work")
    assert sections[:first] == [None]
    assert set(sections[first:second]) == {"When people agree"}
    assert doc.blocks[first].kind == "heading"
    # The photo caption after the title is not a section heading: no paragraph precedes it.
    assert corpus("001").blocks[0].kind == "paragraph"
    assert all(
        block.kind == "paragraph" for key in ("000", "002", "003") for block in corpus(key).blocks
    )


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_text_and_block_spans_agree(key: str) -> None:
    doc = corpus(key)
    assert doc.language == "en"
    assert doc.text == "\n\n".join(block.text for block in doc.blocks)
    assert len(doc.block_spans) == len(doc.blocks)
    for block, (start, end) in zip(doc.blocks, doc.block_spans, strict=True):
        assert doc.text[start:end] == block.text


# --- Parts of the cleaning, on made-up documents -------------------------------------------------


def test_vietnamese_article() -> None:
    doc = clean_document(
        document(
            "Thứ Hai, 14/10/2018 09:42",
            "Nâng cao hiệu quả công tác dân vận",
            "(Baonghean) - Công tác dân vận có vai trò đặc biệt quan trọng trong sự nghiệp "
            "cách mạng của Đảng, thực hiện Nghị quyết số 25-NQ/TƯ ngày 3 tháng 6 năm 2013.",
            "Dân vận khéo ở cơ sở",
            "Những năm qua, xã Cẩm Sơn đã trở thành điểm sáng của huyện Anh Sơn về chuyển đổi "
            "cơ cấu cây trồng, vật nuôi theo hướng hàng hóa.",
            "Bình luận (0)",
            "Bài và ảnh: Nguyễn Sơn - Thanh Duy",
        )
    )
    assert doc.title == "Nâng cao hiệu quả công tác dân vận"
    assert doc.date == "2018-10-14"
    assert doc.author == "Nguyễn Sơn - Thanh Duy"
    assert doc.language == "vi"
    assert doc.document_numbers == ["25-NQ/TW"]
    assert [block.kind for block in doc.blocks] == ["paragraph", "heading", "paragraph"]
    assert doc.blocks[2].section == "Dân vận khéo ở cơ sở"
    assert "Bình luận" not in doc.text


def test_vietnamese_dateline_with_place() -> None:
    doc = clean_document(
        document("Hà Nội, ngày 14 tháng 10 năm 2018", "Kế hoạch công tác dân vận", PROSE)
    )
    assert doc.date == "2018-10-14"
    assert doc.title == "Kế hoạch công tác dân vận"
    assert doc.text == PROSE


def test_byline_glued_to_the_last_sentence_is_split_off() -> None:
    doc = clean_document(
        document(
            "A title",
            PROSE,
            "Recalling the teachings of our ancestors helps to create victories in the cause of "
            "innovation and development of the country.Article and photos: NGUYEN SON - THANH DUY",
        )
    )
    assert doc.author == "NGUYEN SON - THANH DUY"
    assert doc.text.endswith("development of the country.")
    assert "NGUYEN SON" not in doc.text


def test_glued_capitalised_names_are_split_off() -> None:
    doc = clean_document(
        document("A title", PROSE, "The masses hold enormous power.NGUYEN VIET HUNG")
    )
    assert doc.author == "NGUYEN VIET HUNG"
    assert doc.text.endswith("hold enormous power.")


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Nguyen Viet Hung", "Nguyen Viet Hung"),
        ("Tác giả: Trương Thị Mai", "Trương Thị Mai"),
        ("Bài và ảnh: NGUYỄN SƠN", "NGUYỄN SƠN"),
        ("Col. Le Van Tam, Deputy Head of the Mass Mobilization Department", None),
    ],
)
def test_labelled_bylines(line: str, author: str | None) -> None:
    doc = clean_document(document("A title", PROSE, line))
    expected = author or line
    assert doc.author == expected
    assert doc.text == PROSE


@pytest.mark.parametrize(
    "last",
    [
        "Mass mobilization is the key to success",
        "When people agree",
        "Mass Mobilization Commission",
        "Ho Chi Minh City",
        "By 2025, every commune will have a skillful mass mobilization model",
        "Nguyen Van A said the work was important.",
        "Related Articles",
    ],
)
def test_a_last_line_that_is_not_a_byline_stays(last: str) -> None:
    doc = clean_document(document("A title", PROSE, last))
    assert doc.author is None
    assert doc.text.endswith(last)


def test_format_metadata_wins_over_the_text_and_sidecar_over_both() -> None:
    loaded = document(
        "Sunday, October 14, 2018, 09:42 (GMT+7)",
        "Text title",
        PROSE,
        "Nguyen Viet Hung",
        title="Format title",
        date="2019-01-02T08:00:00+07:00",
        author="Format Author",
        url="https://format.example/a",
        language="vi",
    )
    doc = clean_document(loaded)
    assert (doc.title, doc.date, doc.author, doc.url, doc.language) == (
        "Format title",
        "2019-01-02",
        "Format Author",
        "https://format.example/a",
        "vi",
    )
    # The text's own title line differs from the stated title, so it stays as text.
    assert doc.blocks[0].text == "Text title"
    doc = clean_document(
        loaded,
        {"title": "Sidecar title", "date": "2020-03-04", "issuer": "Ban Dân vận Trung ương"},
    )
    assert (doc.title, doc.date, doc.author, doc.issuer) == (
        "Sidecar title",
        "2020-03-04",
        "Format Author",
        "Ban Dân vận Trung ương",
    )


def test_title_line_equal_to_the_stated_title_leaves_the_body() -> None:
    doc = clean_document(
        document("RESOLUTION ON MASS MOBILIZATION", PROSE, title="Resolution on mass mobilization")
    )
    assert doc.title == "Resolution on mass mobilization"
    assert doc.text == PROSE


def test_first_heading_is_the_title() -> None:
    loaded = LoadedDocument(
        path=Path("a.md"),
        blocks=[
            Block("Chỉ thị về công tác dân vận", kind="heading"),
            Block(PROSE),
            Block("Phần hai", kind="heading"),
            Block(MORE_PROSE),
        ],
    )
    doc = clean_document(loaded)
    assert doc.title == "Chỉ thị về công tác dân vận"
    assert [block.kind for block in doc.blocks] == ["paragraph", "heading", "paragraph"]
    assert [block.section for block in doc.blocks] == [None, "Phần hai", "Phần hai"]


def test_articles_in_a_row_are_sections_with_their_structural_path() -> None:
    doc = clean_document(
        document(
            "Quy định",
            "Chương I",
            "Điều 1. Phạm vi điều chỉnh",
            PROSE,
            "Điều 2. Đối tượng áp dụng",
            MORE_PROSE,
        )
    )
    assert [(block.kind, block.section) for block in doc.blocks] == [
        ("heading", "Chương I"),
        ("heading", "Chương I › Điều 1. Phạm vi điều chỉnh"),
        ("paragraph", "Chương I › Điều 1. Phạm vi điều chỉnh"),
        ("heading", "Chương I › Điều 2. Đối tượng áp dụng"),
        ("paragraph", "Chương I › Điều 2. Đối tượng áp dụng"),
    ]
    assert doc.legal and doc.doc_type is None


def test_duplicates_exact_and_contained() -> None:
    doc = clean_document(
        document(
            "A title",
            PROSE,
            "Something else entirely, long enough to count as a paragraph of its own text.",
            "NDO - " + PROSE.upper(),
            "Yes.",
            "Yes.",
        )
    )
    assert doc.text.count("clarifying the limitations") == 1
    assert doc.text.count("CLARIFYING") == 0
    assert doc.text.endswith("Yes.\n\nYes.")  # short lines may repeat


def test_a_paragraph_contained_in_a_longer_one_is_dropped() -> None:
    doc = clean_document(document("A title", PROSE, PROSE + " It was a success for all."))
    assert doc.text == PROSE + " It was a success for all."


@pytest.mark.parametrize(
    "debris",
    [
        "Comment (0)",
        "Your Comment (12)",
        "3 comments",
        "Share | Print | Email",
        "Back to top",
        "|",
        "Ảnh minh họa |",
        "Chia sẻ",
        "In bài viết",
    ],
)
def test_debris_lines(debris: str) -> None:
    doc = clean_document(document("A title", PROSE, debris, MORE_PROSE))
    assert doc.text == f"{PROSE}\n\n{MORE_PROSE}"


def test_nothing_left() -> None:
    with pytest.raises(LoadError, match="no text left"):
        clean_document(document("Comment (0)", "|"))
    with pytest.raises(LoadError, match="no text besides the title"):
        clean_document(document("Just a title"))


# --- Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Sunday, October 14, 2018, 09:42 (GMT+7)", "2018-10-14"),
        ("14/10/2018", "2018-10-14"),
        ("14-10-2018", "2018-10-14"),
        ("14.10.2018", "2018-10-14"),
        ("2018-10-14", "2018-10-14"),
        ("2018-10-14T09:42:00+07:00", "2018-10-14"),
        ("2018/10/14", "2018-10-14"),
        ("10/14/2018", "2018-10-14"),
        ("October 14, 2018", "2018-10-14"),
        ("Oct. 14, 2018", "2018-10-14"),
        ("14 October 2018", "2018-10-14"),
        ("14th October, 2018", "2018-10-14"),
        ("On the 3rd of June in 2013, the plenum met", "2013-06-03"),
        ("dated 14th July, 2014", "2014-07-14"),
        ("June 3rd, 2013", "2013-06-03"),
        ("ngày 14 tháng 10 năm 2018", "2018-10-14"),
        ("Hà Nội, ngày 3 tháng 6 năm 2013", "2013-06-03"),
        ("ngay 14 thang 10 nam 2018", "2018-10-14"),
        ("tháng 10 năm 2018", "2018-10"),
        ("October 2018", "2018-10"),
        ("2018", "2018"),
        ("first 14/10/2018 then 2019-01-01", "2018-10-14"),
        ("December 30, in Hanoi", None),
        ("31/02/2018", None),
        ("no date here", None),
        ("Decree 06/2014/ND-CP", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_a_date_in_a_heading_sentence_is_not_a_dateline() -> None:
    doc = clean_document(
        document("Conference on October 14, 2018", PROSE, "Reviewed on 14/10/2018 by the board.")
    )
    assert doc.date is None
    assert doc.title == "Conference on October 14, 2018"


def test_dateline_at_the_bottom() -> None:
    doc = clean_document(document("A title", PROSE, "Updated: 03/06/2013 10:00"))
    assert doc.date == "2013-06-03"
    assert doc.text == PROSE


# --- Sidecars ------------------------------------------------------------------------------------


def test_sidecar_paths(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    assert sidecar_paths(path) == [tmp_path / "report.pdf.meta.yaml", tmp_path / "report.meta.yaml"]


def test_no_sidecar(tmp_path: Path) -> None:
    assert read_sidecar(tmp_path / "report.pdf") is None


def test_sidecar_values_are_checked_and_normalised(tmp_path: Path) -> None:
    (tmp_path / "report.meta.yaml").write_text(
        "title: Báo cáo tổng kết\n"
        "date: 2024-12-30\n"
        "url: https://example.org/r\n"
        "author: Ban Dân vận\n"
        "issuer: Ban Dân vận Trung ương\n"
        "language: vi-VN\n",
        encoding="utf-8",
    )
    assert read_sidecar(tmp_path / "report.pdf") == {
        "title": "Báo cáo tổng kết",
        "date": "2024-12-30",
        "url": "https://example.org/r",
        "author": "Ban Dân vận",
        "issuer": "Ban Dân vận Trung ương",
        "language": "vi",
    }


def test_the_more_specific_sidecar_wins(tmp_path: Path) -> None:
    (tmp_path / "report.meta.yaml").write_text("title: Shared\n", encoding="utf-8")
    (tmp_path / "report.pdf.meta.yaml").write_text(
        "title: Specific\ndate: 14/10/2018\n", encoding="utf-8"
    )
    assert read_sidecar(tmp_path / "report.pdf") == {"title": "Specific", "date": "2018-10-14"}
    assert read_sidecar(tmp_path / "report.docx") == {"title": "Shared"}


def test_empty_sidecar(tmp_path: Path) -> None:
    (tmp_path / "a.txt.meta.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert read_sidecar(tmp_path / "a.txt") == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("titel: Typo\n", r"a\.txt\.meta\.yaml: unknown key 'titel'"),
        ("title: [unclosed\n", r"a\.txt\.meta\.yaml: not valid YAML"),
        ("- a list\n", r"a\.txt\.meta\.yaml: expected key: value lines"),
        ("date: sometime soon\n", r"a\.txt\.meta\.yaml: date: cannot read"),
        ("language: fr\n", r"a\.txt\.meta\.yaml: language: 'fr' is not en or vi"),
    ],
)
def test_bad_sidecars(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "a.txt.meta.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(LoadError, match=message) as raised:
        read_sidecar(tmp_path / "a.txt")
    assert "\n" not in str(raised.value)
