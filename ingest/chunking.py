"""Cut a clean document into passages: whole paragraphs where they fit, sentences where they don't.

A chunk never crosses a section heading or a page break and never exceeds ``max_chars``, so its
section and page say exactly where its text comes from. Consecutive paragraphs of
a section are packed together; a paragraph is cut at sentence boundaries only when it cannot fit
whole or when the chunk would otherwise stay under ``min_chars``, and a sentence is cut between
words only when it is longer than a chunk or the chunk would otherwise be a fragment. Each chunk
after the first of a section starts with the last sentence(s) of the one before, so a statement
cut at a chunk boundary is whole in one of them. Every chunk is a slice of the document text, so
quotes can be checked against it.

A legal text (one laid out in articles) is cut by its structure instead: a short article is one
chunk; a long one is cut between clauses, several clauses to a chunk where they fit, and a clause
is cut at its sentences only when it alone exceeds ``max_chars``. Each chunk's section is its
structural path (``Chương III › Điều 32. Thông báo đơn khởi kiện › khoản 2``).
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from dataclasses import dataclass

from ingest.legal import clause_label
from ingest.model import Block, ChunkDraft, CleanDocument
from ingest.settings import ChunkingSettings
from vectorstore.legalref import SEPARATOR
from vectorstore.text import split_sentences

_BLOCK, _SENTENCE, _WORD = 0, 1, 2  # levels of _Unit, coarse to fine
_NON_SPACE = re.compile(r"\S+")
# The repeated sentences may take at most this share of a chunk, so that most of it is new.
_OVERLAP_SHARE = 3


@dataclass(frozen=True)
class _Unit:
    """A span of the document text to pack: a whole block, a sentence, or a word."""

    start: int
    end: int
    level: int

    @property
    def size(self) -> int:
        return self.end - self.start


def chunk_document(doc: CleanDocument, settings: ChunkingSettings) -> list[ChunkDraft]:
    """Cut ``doc`` into chunks of at most ``settings.max_chars`` characters, in reading order."""
    if doc.legal:
        return _chunk_legal(doc, settings)
    block_starts = [start for start, _ in doc.block_spans]
    drafts: list[ChunkDraft] = []
    for group in _sections(doc.blocks):
        units = [_Unit(*doc.block_spans[index], level=_BLOCK) for index in group]
        for start, end in _pack(doc.text, units, settings):
            first = doc.blocks[bisect.bisect_right(block_starts, start) - 1]
            last = doc.blocks[bisect.bisect_right(block_starts, end - 1) - 1]
            drafts.append(
                ChunkDraft(
                    text=doc.text[start:end],
                    start=start,
                    end=end,
                    position=len(drafts),
                    page=first.page,
                    section=last.section,
                )
            )
    return drafts


def _sections(blocks: list[Block]) -> list[list[int]]:
    """Group block indexes into sections; a page break starts a new group too.

    A section is headings in a row, then the paragraphs under them.
    """
    groups: list[list[int]] = []
    for index, block in enumerate(blocks):
        previous = blocks[index - 1] if index else None
        opens = block.kind == "heading" and (previous is None or previous.kind != "heading")
        new_page = previous is not None and block.page != previous.page
        if opens or new_page or not groups:
            groups.append([])
        groups[-1].append(index)
    return groups


def _pack(text: str, units: list[_Unit], settings: ChunkingSettings) -> list[tuple[int, int]]:
    """Pack the units of one section greedily into (start, end) spans of at most max_chars."""
    limit = settings.max_chars
    queue = deque(units)
    spans: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    carry: int | None = None  # where the next chunk starts when it repeats the previous one's end
    while queue:
        unit = queue.popleft()
        if start is None:
            base = unit.start if carry is None else carry
            if unit.end - base <= limit:
                start, end = base, unit.end
            elif unit.size <= limit:
                start, end = unit.start, unit.end  # the overlap does not fit beside this unit
            else:
                queue.extendleft(reversed(_smaller(text, unit, limit, words=True)))
                continue
            carry = None
            continue
        if unit.end - start <= limit:
            end = unit.end
            continue
        size = end - start
        # A short chunk is filled up with the sentences of the next paragraph, and so is any chunk
        # followed by a paragraph too long to stay whole anyway. A sentence is cut between words
        # only to save a chunk from being a mere fragment (a lone heading).
        cut_anyway = unit.level == _BLOCK and unit.size > limit
        pieces = (
            _smaller(text, unit, limit, words=size < settings.min_chars // 2)
            if size < settings.min_chars or cut_anyway
            else []
        )
        if pieces:
            queue.extendleft(reversed(pieces))
            continue
        spans.append((start, end))
        carry = _overlap_start(text, start, end, settings)
        start = None
        queue.appendleft(unit)
    if start is not None:
        spans.append((start, end))
    return spans


def _smaller(text: str, unit: _Unit, limit: int, *, words: bool) -> list[_Unit]:
    """Cut a block into its sentences or, when ``words`` allows, a sentence into its words.

    Returns nothing when the unit cannot be cut that way.
    """
    if unit.level == _BLOCK:
        sentences = split_sentences(text[unit.start : unit.end])
        if len(sentences) > 1:
            return [_Unit(unit.start + s, unit.start + e, _SENTENCE) for s, e in sentences]
    if not words or unit.level == _WORD:
        return []
    pieces: list[_Unit] = []
    for word in _NON_SPACE.finditer(text, unit.start, unit.end):
        # A "word" longer than a chunk (a URL, a table dump) is cut anywhere.
        pieces.extend(
            _Unit(offset, min(offset + limit, word.end()), _WORD)
            for offset in range(word.start(), word.end(), limit)
        )
    return pieces


def _overlap_start(text: str, start: int, end: int, settings: ChunkingSettings) -> int | None:
    """Return where the last ``overlap_sentences`` sentences of the chunk [start, end) begin."""
    sentences = split_sentences(text[start:end])
    for count in range(min(settings.overlap_sentences, len(sentences) - 1), 0, -1):
        begin = start + sentences[-count][0]
        if end - begin <= settings.max_chars // _OVERLAP_SHARE:
            return begin
    return None


# --- Legal texts ---------------------------------------------------------------------------------


def _chunk_legal(doc: CleanDocument, settings: ChunkingSettings) -> list[ChunkDraft]:
    """Cut a legal text by article, and a long article between its clauses."""
    drafts: list[ChunkDraft] = []
    for group in _article_groups(doc.blocks):
        article_block = doc.blocks[group[-1]]
        if article_block.article is None:  # the preamble, or text outside any article
            for start, end in _pack(
                doc.text, [_Unit(*doc.block_spans[i], _BLOCK) for i in group], settings
            ):
                drafts.append(_legal_draft(doc, group, start, end, len(drafts), None))
            continue
        for start, end in _article_spans(doc, group, settings):
            drafts.append(_legal_draft(doc, group, start, end, len(drafts), article_block))
    return drafts


def _article_groups(blocks: list[Block]) -> list[list[int]]:
    """Group block indexes per article; part and chapter headings join the article they open."""
    groups: list[list[int]] = []
    for index, block in enumerate(blocks):
        previous = blocks[index - 1] if index else None
        current = groups[-1] if groups else []
        only_headings = bool(current) and all(
            blocks[i].kind == "heading" and blocks[i].article is None for i in current
        )
        opens_article = block.article is not None and (
            previous is None or previous.article != block.article
        )
        opens_division = block.kind == "heading" and block.article is None
        if not groups or ((opens_article or opens_division) and not only_headings):
            groups.append([])
        groups[-1].append(index)
    return groups


def _article_spans(
    doc: CleanDocument, group: list[int], settings: ChunkingSettings
) -> list[tuple[int, int]]:
    """Return the chunk spans of one article: whole, or whole clauses packed together."""
    spans = doc.block_spans
    start, end = spans[group[0]][0], spans[group[-1]][1]
    limit = settings.max_chars
    if end - start <= limit:
        return [(start, end)]
    # Clause units: the heading and the article's lead-in ride with the first clause.
    units: list[list[int]] = []
    for index in group:
        clause = doc.blocks[index].clause
        opens = (
            bool(units)
            and clause is not None
            and clause != doc.blocks[units[-1][-1]].clause
            and any(doc.blocks[i].clause is not None for i in units[-1])
        )
        if opens or not units:
            units.append([index])
        else:
            units[-1].append(index)
    result: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for unit in units:
        unit_start, unit_end = spans[unit[0]][0], spans[unit[-1]][1]
        if current is not None and unit_end - current[0] <= limit:
            current = (current[0], unit_end)
            continue
        if current is not None:
            result.append(current)
            current = None
        if unit_end - unit_start <= limit:
            current = (unit_start, unit_end)
        else:  # one clause longer than a chunk: cut at its sentences, never across clauses
            whole = ChunkingSettings(
                min_chars=settings.min_chars, max_chars=limit, overlap_sentences=0
            )
            result.extend(_pack(doc.text, [_Unit(*spans[i], _BLOCK) for i in unit], whole))
    if current is not None:
        result.append(current)
    return result


def _legal_draft(
    doc: CleanDocument,
    group: list[int],
    start: int,
    end: int,
    position: int,
    article_block: Block | None,
) -> ChunkDraft:
    """Make the draft of [start, end) with its structural path and where its clauses begin."""
    clause_starts: list[tuple[str, int]] = []
    for index in group:
        block_start, block_end = doc.block_spans[index]
        clause = doc.blocks[index].clause
        if block_end <= start or block_start >= end or clause is None:
            continue
        if not clause_starts or clause_starts[-1][0] != clause:
            clause_starts.append((clause, max(block_start, start) - start))
    first = next(i for i in group if doc.block_spans[i][1] > start)
    section = doc.blocks[group[-1]].section
    if article_block is not None:
        section = article_block.section
        whole = start <= doc.block_spans[group[0]][0] and end >= doc.block_spans[group[-1]][1]
        if clause_starts and not whole:
            clauses = [clause for clause, _ in clause_starts]
            section = f"{section}{SEPARATOR}{clause_label(doc.language, clauses)}"
    return ChunkDraft(
        text=doc.text[start:end],
        start=start,
        end=end,
        position=position,
        page=doc.blocks[first].page,
        section=section,
        article=article_block.article if article_block is not None else None,
        clause_starts=tuple(clause_starts),
    )
