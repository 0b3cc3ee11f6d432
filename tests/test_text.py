from pathlib import Path

import pytest

from vectorstore.text import find_document_numbers, split_sentences

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Maj. Gen. Ngo Thanh Hai spoke. Mr. Vi Van Thuyen agreed. Ms. Sam Thi Xuan shared.",
            [
                "Maj. Gen. Ngo Thanh Hai spoke.",
                "Mr. Vi Van Thuyen agreed.",
                "Ms. Sam Thi Xuan shared.",
            ],
        ),
        (
            "Dr. Le and St. Paul came. Lt. Col. Tran left.",
            ["Dr. Le and St. Paul came.", "Lt. Col. Tran left."],
        ),
        (
            "It issued Resolution No.25-NQ/TW in 2013. "
            "See Decision No. 23-QD/TW, dated July 30. Done.",
            [
                "It issued Resolution No.25-NQ/TW in 2013.",
                "See Decision No. 23-QD/TW, dated July 30.",
                "Done.",
            ],
        ),
        (
            "Use models, e.g. the commune, i.e. the village, etc. and more. It works.",
            ["Use models, e.g. the commune, i.e. the village, etc. and more.", "It works."],
        ),
        (
            "On measures for safety”, etc. Thereby, it can help.",
            ["On measures for safety”, etc.", "Thereby, it can help."],
        ),
        (
            "The province has 2,852 models and 1.000 members. The rate is 3.5 percent.",
            ["The province has 2,852 models and 1.000 members.", "The rate is 3.5 percent."],
        ),
        (
            "He said: “This is the key.” Then he left. (See the plan.) It ended.",
            ["He said: “This is the key.”", "Then he left.", "(See the plan.)", "It ended."],
        ),
        (
            'President Ho Chi Minh said "Mass mobilization is important." We agree.',
            ['President Ho Chi Minh said "Mass mobilization is important."', "We agree."],
        ),
        (
            "the key to success”. Being imbued with this thinking, we act.",
            ["the key to success”.", "Being imbued with this thinking, we act."],
        ),
        (
            "the tasks assigned by the Government... We must find every way. Wait… why? Yes!",
            [
                "the tasks assigned by the Government...",
                "We must find every way.",
                "Wait… why?",
                "Yes!",
            ],
        ),
        (
            "specific models...) and fourth, skillfully summarize. Next.",
            ["specific models...) and fourth, skillfully summarize.", "Next."],
        ),
        (
            "TP. Hồ Chí Minh và Tp. Hà Nội đã họp. TS. Nguyễn Văn Hùng phát biểu. "
            "PGS.TS. Trần Thị Mai và ThS. Lê Văn Tám cùng dự. GS. Phan Huy Lê kết luận.",
            [
                "TP. Hồ Chí Minh và Tp. Hà Nội đã họp.",
                "TS. Nguyễn Văn Hùng phát biểu.",
                "PGS.TS. Trần Thị Mai và ThS. Lê Văn Tám cùng dự.",
                "GS. Phan Huy Lê kết luận.",
            ],
        ),
        (
            "Công tác dân vận là nhiệm vụ chiến lược. Đảng luôn coi trọng công tác này!",
            ["Công tác dân vận là nhiệm vụ chiến lược.", "Đảng luôn coi trọng công tác này!"],
        ),
        (
            "The article was published on Oct. 15, 1949 in Su That. It mattered.",
            ["The article was published on Oct. 15, 1949 in Su That.", "It mattered."],
        ),
        (
            "1. The first task is clear. 2. The second task follows.",
            [
                "1. The first task is clear.",
                "2. The second task follows.",
            ],
        ),
        (
            "When people agree\n\nIn recent years, the commune grew. Income rose.\nA last line",
            [
                "When people agree",
                "In recent years, the commune grew.",
                "Income rose.",
                "A last line",
            ],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_split_sentences_of_nothing(text: str) -> None:
    assert split_sentences(text) == []


def test_spans_exclude_surrounding_whitespace() -> None:
    text = "  First sentence.   Second one.  \n"
    spans = split_sentences(text)
    assert spans == [(2, 17), (20, 31)]
    for start, end in spans:
        assert text[start:end] == text[start:end].strip()


def test_spans_index_the_corpus_exactly() -> None:
    for path in sorted(CORPUS.iterdir()):
        text = path.read_text(encoding="utf-8")
        spans = split_sentences(text)
        assert len(spans) > 20, path.name
        previous_end = 0
        for start, end in spans:
            piece = text[start:end]
            assert piece and piece == piece.strip()
            assert start >= previous_end
            # Everything between two sentences is whitespace: no text is lost.
            assert not text[previous_end:start].strip()
            previous_end = end
        assert not text[previous_end:].strip()


def test_corpus_abbreviations_do_not_split() -> None:
    text = (CORPUS / "004_456814b8bddf3dd3.txt").read_text(encoding="utf-8")
    found = sentences(text)
    expected = (
        "Ms. Sam Thi Xuan - Secretary of the village Party cell shared: Women are the ones who "
        'directly take care of "kitchen matters" in each family.'
    )
    assert expected in found
    assert not any(s.endswith(("Mr.", "Ms.", "Maj.", "Gen.")) for s in found)


def test_vietnamese_central_issuer_spellings_meet() -> None:
    keys = [n.key for n in find_document_numbers("Nghị quyết 25-NQ/TƯ và Chỉ thị 590-CT/ĐUQSTƯ")]
    assert keys == ["25-NQ/TW", "590-CT/DUQSTW"]
    assert [n.key for n in find_document_numbers("Resolution 25-NQ/TW")] == ["25-NQ/TW"]


def test_a_quotation_of_several_sentences_stays_one_sentence() -> None:
    text = (
        "Chủ tịch Hồ Chí Minh đã khẳng định: “Dân vận kém thì việc gì cũng kém. Dân vận khéo "
        "thì việc gì cũng thành công”. Câu sau."
    )
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Chủ tịch Hồ Chí Minh đã khẳng định: “Dân vận kém thì việc gì cũng kém. Dân vận khéo "
        "thì việc gì cũng thành công”.",
        "Câu sau.",
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Nghị quyết 25-NQ/TW ban hành ngày nào?", "vi"),
        ("nghi quyet 25 ve cong tac dan van ban hanh ngay nao", "vi"),
        ("luat thuc hien dan chu o co so so hieu la gi", "vi"),
        ("thoi tiet ha noi ngay mai", "vi"),
        ("When was Decree 06/2014/NĐ-CP issued?", "en"),
        ("What is the Dân vận khéo movement?", "en"),
        ("What will the weather be like in Hanoi tomorrow?", "en"),
        ("🙂", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    from vectorstore.text import detect_language

    assert detect_language(text) == language
