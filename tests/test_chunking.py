import itertools
from pathlib import Path
from typing import Literal

import pytest

from ingest.chunking import chunk_document
from ingest.clean import clean_document
from ingest.loaders import load_document
from ingest.model import Block, ChunkDraft, CleanDocument
from ingest.settings import ChunkingSettings
from vectorstore.text import split_sentences

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT = ChunkingSettings()
SETTINGS = [
    DEFAULT,
    ChunkingSettings(min_chars=200, max_chars=400, overlap_sentences=2),
    ChunkingSettings(min_chars=50, max_chars=150, overlap_sentences=0),
    ChunkingSettings(min_chars=1000, max_chars=3000, overlap_sentences=1),
]


def make_doc(*blocks: Block, language: Literal["en", "vi"] = "en") -> CleanDocument:
    """A clean document with the given blocks, sections labelled as the cleaner does."""
    labelled: list[Block] = []
    section: str | None = None
    for block in blocks:
        if block.kind == "heading":
            section = block.text
        labelled.append(Block(block.text, block.kind, block.page, section))
    spans: list[tuple[int, int]] = []
    position = 0
    for block in labelled:
        spans.append((position, position + len(block.text)))
        position += len(block.text) + 2
    return CleanDocument(
        title="A document",
        blocks=labelled,
        text="\n\n".join(block.text for block in labelled),
        language=language,
        block_spans=spans,
    )


def sentence_paragraph(count: int, label: str = "P") -> str:
    return " ".join(
        f"Sentence {n} of paragraph {label} is about mass mobilization work." for n in range(count)
    )


def check_invariants(
    doc: CleanDocument, chunks: list[ChunkDraft], settings: ChunkingSettings
) -> None:
    assert chunks
    assert [chunk.position for chunk in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.text == doc.text[chunk.start : chunk.end]
        assert chunk.text.strip() == chunk.text != ""
        assert len(chunk.text) <= settings.max_chars
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start and before.end < after.end
        if after.start < before.end:  # an overlap: whole sentences of the same section
            assert after.section == before.section
            repeated = doc.text[after.start : before.end]
            assert before.text.endswith(repeated)
            assert any(before.start + s == after.start for s, _ in split_sentences(before.text))
            assert len(repeated) <= settings.max_chars // 3
            assert len(split_sentences(repeated)) <= settings.overlap_sentences
    # No text is lost: every character of every block, bar spaces between cuts, is in a chunk.
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    for start, end in doc.block_spans:
        assert {i for i in range(start, end) if not doc.text[i].isspace()} <= covered
    # A section heading opens a chunk, and no chunk reaches back across it.
    block_starts = [start for start, _ in doc.block_spans]
    for index, block in enumerate(doc.blocks):
        if block.kind != "heading" or (index and doc.blocks[index - 1].kind == "heading"):
            continue
        heading_start = block_starts[index]
        assert any(chunk.start == heading_start for chunk in chunks)
        assert not any(chunk.start < heading_start < chunk.end for chunk in chunks)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: f"{s.min_chars}-{s.max_chars}")
def test_corpus_chunks_keep_the_invariants(path: Path, settings: ChunkingSettings) -> None:
    doc = clean_document(load_document(path))
    chunks = chunk_document(doc, settings)
    check_invariants(doc, chunks, settings)
    assert chunk_document(doc, settings) == chunks  # deterministic


def test_corpus_chunk_sizes() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        doc = clean_document(load_document(path))
        chunks = chunk_document(doc, DEFAULT)
        assert sum(len(c.text) for c in chunks) > len(doc.text)  # the overlaps repeat some text
        for chunk, following in itertools.pairwise(chunks):
            if following.section == chunk.section:  # only a section's last chunk may be short
                assert DEFAULT.min_chars <= len(chunk.text) <= DEFAULT.max_chars, path.name


def test_corpus_sections() -> None:
    doc = clean_document(load_document(CORPUS / "004_456814b8bddf3dd3.txt"))
    chunks = chunk_document(doc, DEFAULT)
    assert chunks[0].section is None
    assert chunks[1].text.startswith("When people agree\n\nIn recent years, Cam Son commune")
    assert chunks[1].section == "When people agree"
    innovate = "Innovate and improve the effectiveness of mass mobilization work"
    first = next(i for i, chunk in enumerate(chunks) if chunk.section == innovate)
    assert chunks[first].text.startswith(innovate + "\n\n")
    assert chunks[first].start > chunks[first - 1].end  # no overlap into a new section
    assert all(chunk.section == innovate for chunk in chunks[first:])


def test_small_paragraphs_are_packed_together() -> None:
    paragraphs = [f"Paragraph {n} says that the commune agreed on the plan." for n in range(40)]
    doc = make_doc(*(Block(text) for text in paragraphs))
    chunks = chunk_document(doc, DEFAULT)
    check_invariants(doc, chunks, DEFAULT)
    # Whole paragraphs only: each chunk starts and ends at a paragraph (or repeated sentence).
    starts = {start for start, _ in doc.block_spans}
    ends = {end for _, end in doc.block_spans}
    assert all(chunk.end in ends for chunk in chunks)
    assert chunks[0].start in starts
    assert all(len(chunk.text) >= 600 for chunk in chunks[:-1])
    assert len(chunks) == 2


def test_overlap_repeats_the_last_sentence_of_the_previous_chunk() -> None:
    doc = make_doc(Block(sentence_paragraph(60)))
    chunks = chunk_document(doc, DEFAULT)
    check_invariants(doc, chunks, DEFAULT)
    assert len(chunks) > 3
    for before, after in itertools.pairwise(chunks):
        sentences = split_sentences(before.text)
        last_start = sentences[-1][0]
        assert after.text.startswith(before.text[last_start:])
        assert before.text.endswith(".")  # cut between sentences, never inside one


def test_two_sentences_of_overlap() -> None:
    settings = ChunkingSettings(min_chars=300, max_chars=700, overlap_sentences=2)
    doc = make_doc(Block(sentence_paragraph(40)))
    chunks = chunk_document(doc, settings)
    check_invariants(doc, chunks, settings)
    for before, after in itertools.pairwise(chunks):
        second_last = split_sentences(before.text)[-2][0]
        assert after.start == before.start + second_last


def test_no_overlap() -> None:
    settings = ChunkingSettings(min_chars=300, max_chars=700, overlap_sentences=0)
    doc = make_doc(Block(sentence_paragraph(40, "A")), Block(sentence_paragraph(15, "B")))
    chunks = chunk_document(doc, settings)
    check_invariants(doc, chunks, settings)
    for before, after in itertools.pairwise(chunks):
        assert before.end < after.start
        assert not doc.text[before.end : after.start].strip()


def test_a_heading_starts_a_chunk_and_stops_the_overlap() -> None:
    doc = make_doc(
        Block(sentence_paragraph(8, "A")),
        Block("Second section", kind="heading"),
        Block(sentence_paragraph(8, "B")),
    )
    chunks = chunk_document(doc, DEFAULT)
    check_invariants(doc, chunks, DEFAULT)
    assert [chunk.section for chunk in chunks] == [None, "Second section"]
    assert chunks[1].text.startswith("Second section\n\nSentence 0 of paragraph B")
    assert "paragraph A" not in chunks[1].text


def test_headings_in_a_row_share_a_chunk() -> None:
    doc = make_doc(
        Block("Chương I", kind="heading"),
        Block("Điều 1. Phạm vi điều chỉnh", kind="heading"),
        Block("Quy định này hướng dẫn công tác dân vận của hệ thống chính trị."),
        language="vi",
    )
    chunks = chunk_document(doc, DEFAULT)
    assert len(chunks) == 1
    assert chunks[0].text == doc.text
    assert chunks[0].section == "Điều 1. Phạm vi điều chỉnh"


def test_a_short_chunk_is_filled_with_sentences_of_the_next_paragraph() -> None:
    short = "The conference reviewed the coordination program of 2024 in Hanoi."
    doc = make_doc(Block(short), Block(sentence_paragraph(25)))
    chunks = chunk_document(doc, DEFAULT)
    check_invariants(doc, chunks, DEFAULT)
    assert chunks[0].text.startswith(short + "\n\nSentence 0 of paragraph P")
    assert len(chunks[0].text) >= DEFAULT.min_chars
    assert chunks[0].text.endswith(".")


def test_a_paragraph_that_fits_the_next_chunk_is_not_cut() -> None:
    first = sentence_paragraph(11, "A")  # 659 characters
    second = sentence_paragraph(
        10, "B"
    )  # 599: too long to join the first, short enough to stay whole
    doc = make_doc(Block(first), Block(second))
    chunks = chunk_document(doc, DEFAULT)
    check_invariants(doc, chunks, DEFAULT)
    assert chunks[0].text == first
    assert chunks[1].text.endswith(second)


def test_a_paragraph_too_long_to_stay_whole_fills_the_chunk_before_it() -> None:
    first = sentence_paragraph(11, "A")  # 659 characters: enough for a chunk of its own
    doc = make_doc(Block(first), Block(sentence_paragraph(30, "B")))
    chunks = chunk_document(doc, DEFAULT)
    check_invariants(doc, chunks, DEFAULT)
    assert chunks[0].text.startswith(first + "\n\nSentence 0 of paragraph B")
    assert len(chunks[0].text) > 1100
    assert all(len(chunk.text) >= DEFAULT.min_chars for chunk in chunks[:-1])


def test_an_overlong_sentence_is_cut_between_words() -> None:
    sentence = " ".join(f"word{n}" for n in range(700)) + "."
    doc = make_doc(Block(sentence))
    chunks = chunk_document(doc, DEFAULT)
    check_invariants(doc, chunks, DEFAULT)
    assert len(chunks) >= 4
    for chunk in chunks:
        assert chunk.start == 0 or doc.text[chunk.start - 1] == " "
        assert chunk.end == len(doc.text) or doc.text[chunk.end] == " "


def test_a_word_longer_than_a_chunk_is_cut() -> None:
    settings = ChunkingSettings(min_chars=50, max_chars=100, overlap_sentences=1)
    doc = make_doc(Block("See https://example.org/" + "x" * 250 + " for details."))
    chunks = chunk_document(doc, settings)
    check_invariants(doc, chunks, settings)
    assert [len(chunk.text) for chunk in chunks[1:3]] == [100, 100]


def test_a_heading_is_not_left_alone_before_a_long_sentence() -> None:
    heading = "Nhiệm vụ trọng tâm"
    sentence = "Tăng cường " + " ".join(["công tác dân vận ở cơ sở"] * 60) + "."
    doc = make_doc(Block(heading, kind="heading"), Block(sentence), language="vi")
    chunks = chunk_document(doc, DEFAULT)
    check_invariants(doc, chunks, DEFAULT)
    assert chunks[0].text.startswith(heading + "\n\nTăng cường công tác")
    assert len(chunks[0].text) > len(heading) + 500


def test_pages_come_from_the_block_where_a_chunk_starts() -> None:
    doc = make_doc(
        *(Block(sentence_paragraph(6, f"{page}"), page=page) for page in (1, 1, 2, 2, 3, 3, 4)),
    )
    chunks = chunk_document(doc, DEFAULT)
    check_invariants(doc, chunks, DEFAULT)
    block_starts = [start for start, _ in doc.block_spans]
    for chunk in chunks:
        index = max(i for i, start in enumerate(block_starts) if start <= chunk.start)
        assert chunk.page == doc.blocks[index].page
    assert chunks[0].page == 1
    assert {chunk.page for chunk in chunks} >= {1, 2, 3}
