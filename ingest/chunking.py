"""Cut a clean document into passages: whole paragraphs where they fit, sentences where they don't.

A chunk never crosses a section heading or a page break and never exceeds ``max_chars``, so its
section and page say exactly where its text comes from. Consecutive paragraphs of
a section are packed together; a paragraph is cut at sentence boundaries only when it cannot fit
whole or when the chunk would otherwise stay under ``min_chars``, and a sentence is cut between
words only when it is longer than a chunk or the chunk would otherwise be a fragment. Each chunk
after the first of a section starts with the last sentence(s) of the one before, so a statement
cut at a chunk boundary is whole in one of them. Every chunk is a slice of the document text, so
quotes can be checked against it.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from dataclasses import dataclass

from ingest.model import Block, ChunkDraft, CleanDocument
from ingest.settings import ChunkingSettings
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
