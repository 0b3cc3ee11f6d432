"""Structural references ("Điều 32 Luật Trọng tài thương mại", "Article 5 of Decree 06/2014").

Chunks of a legal text carry the article they belong to and where each of their clauses begins
(written by ingestion); the lexical index turns them into keys of their own, one per document and
article (and clause), so that a question naming an article of a document finds exactly that
article, and a question naming an article the document does not have can be told so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vectorstore.text import TYPE_WORDS, find_document_numbers, fold, nfc

if TYPE_CHECKING:
    from vectorstore.model import DocumentInfo

SEPARATOR = " › "
CLAUSE_WORDS = {"vi": "khoản", "en": "Clause"}
ARTICLE_WORDS = {"vi": "Điều", "en": "Article"}
POINT_WORDS = {"vi": "điểm", "en": "point"}

# Matched on folded, lower-cased text.
_ARTICLE = re.compile(
    r"\b(?:dieu|article|art\.)\s*(?P<n>\d{1,4}[a-z]?)\b(?:\s*\((?P<c>\d{1,3})\))?"
)
_CLAUSE = re.compile(r"\b(?:khoan|clause|paragraph)\s+(?P<n>\d{1,3})\b")
_POINT = re.compile(r"\b(?:diem|point)\s+\(?(?P<p>[a-z])\)?(?![\w])")
_TYPE_WORD_ALT = "|".join(sorted((re.escape(w) for w in TYPE_WORDS), key=len, reverse=True))
# "nghi dinh 06/2014", "Decree 06/2014", "nghị định số 06": a number without its issuer code.
_PARTIAL_NUMBER = re.compile(
    rf"\b(?P<word>{_TYPE_WORD_ALT})\s+(?:(?:no\.?|number|so)\s*)?(?P<n>\d{{1,5}})"
    r"(?:/(?P<y>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_ARTICLE_IN_PATH = re.compile(r"^(?P<label>(?:Điều|Article|Art\.)\s*\d{1,4}[a-z]?)\b", re.I)
_CLAUSE_IN_PATH = re.compile(r"^(?:khoản|Clause)\s+\S+$", re.I)


@dataclass(frozen=True)
class StructuralReference:
    """An article, and possibly a clause and point of it, named in a question."""

    article: str
    clause: str | None = None
    point: str | None = None

    def label(self, language: str) -> str:
        """Return the reference as cadres write it: "Điều 5, khoản 2" or "Article 5, Clause 2"."""
        parts = [f"{ARTICLE_WORDS.get(language, 'Article')} {self.article}"]
        if self.clause:
            parts.append(f"{CLAUSE_WORDS.get(language, 'Clause')} {self.clause}")
        if self.point:
            parts.append(f"{POINT_WORDS.get(language, 'point')} {self.point}")
        return ", ".join(parts)


def find_structural_reference(text: str) -> StructuralReference | None:
    """Return the article (with its clause and point, if named) that ``text`` refers to."""
    folded = fold(nfc(text)).lower()
    article = _ARTICLE.search(folded)
    if article is None:
        return None
    clause = _CLAUSE.search(folded)
    point = _POINT.search(folded)
    return StructuralReference(
        article=article.group("n"),
        clause=article.group("c") or (clause.group("n") if clause else None),
        point=point.group("p") if point else None,
    )


def article_key(doc_id: str, article: str) -> str:
    """Return the lexical key of one article of one document."""
    return f"§{doc_id}:a{article}"


def clause_key(doc_id: str, article: str, clause: str) -> str:
    """Return the lexical key of one clause of one article of one document."""
    return f"§{doc_id}:a{article}:c{clause}"


def parse_clause_starts(value: str) -> tuple[tuple[str, int], ...]:
    """Read the ``clauses`` chunk metadata ("1:0|2:312") into (clause, offset) pairs."""
    pairs = []
    for item in value.split("|"):
        clause, _, offset = item.partition(":")
        if clause and offset.isdigit():
            pairs.append((clause, int(offset)))
    return tuple(pairs)


def structure_keys(metadata: dict[str, object]) -> list[str]:
    """Return the lexical keys of a chunk: its article, and each clause it holds."""
    article = str(metadata.get("article") or "")
    if not article:
        return []
    doc_id = str(metadata.get("doc_id", ""))
    clauses = parse_clause_starts(str(metadata.get("clauses") or ""))
    return [article_key(doc_id, article)] + [
        clause_key(doc_id, article, clause) for clause, _ in clauses
    ]


def named_documents(text: str, catalog: list[DocumentInfo]) -> list[DocumentInfo]:
    """Return the indexed documents that ``text`` names by number, partial number or title."""
    numbers = {number.key for number in find_document_numbers(text)}
    if numbers:
        return [doc for doc in catalog if doc.number in numbers]
    folded = _plain(text)
    partial = [
        doc for doc in catalog if doc.number and any(
            _partial_matches(match, doc.number) for match in _PARTIAL_NUMBER.finditer(folded)
        )
    ]
    if partial:
        return partial
    titled = [
        (len(title), doc)
        for doc in catalog
        if (title := _plain(doc.title)) and f" {title} " in f" {folded} "
    ]
    longest = max((size for size, _ in titled), default=0)
    return [doc for size, doc in titled if size == longest]


def _plain(text: str) -> str:
    """Return ``text`` folded, lower-cased, with punctuation as spaces, for name matching."""
    return " ".join(re.sub(r"[^\w/.-]+", " ", fold(nfc(text)).lower()).split())


def _partial_matches(match: re.Match[str], number_key: str) -> bool:
    found = find_document_numbers(number_key)
    if not found:
        return False
    number = found[0]
    if number.doc_type != TYPE_WORDS[match.group("word").lower()]:
        return False
    if number.number != (match.group("n").lstrip("0") or "0"):
        return False
    year = match.group("y")
    return year is None or f"/{year}/" in number.key


def section_at(
    section: str | None, clause_starts: tuple[tuple[str, int], ...], offset: int, language: str
) -> str | None:
    """Return the structural path of the text at ``offset`` of a chunk: down to its clause."""
    if section is None or not clause_starts or offset < 0:
        return section
    clause = None
    for name, start in clause_starts:
        if start <= offset:
            clause = name
    if clause is None:
        return _without_clause(section)
    word = CLAUSE_WORDS.get(language, CLAUSE_WORDS["en"])
    return f"{_without_clause(section)}{SEPARATOR}{word} {clause}"


def _without_clause(section: str) -> str:
    parts = section.split(SEPARATOR)
    if parts and _CLAUSE_IN_PATH.match(parts[-1]):
        parts = parts[:-1]
    return SEPARATOR.join(parts)


def short_reference(section: str | None) -> str | None:
    """Return "Điều 32, khoản 2" from a structural path, or None for a plain section heading."""
    if not section:
        return None
    parts = section.split(SEPARATOR)
    for index, part in enumerate(parts):
        found = _ARTICLE_IN_PATH.match(part)
        if found:
            rest = [p for p in parts[index + 1 :] if _CLAUSE_IN_PATH.match(p)]
            return ", ".join([found.group("label"), *rest])
    return None


@dataclass(frozen=True)
class MissingReference:
    """A question names an article (or clause) that the documents it names do not have."""

    reference: StructuralReference
    documents: list[DocumentInfo]


def missing_reference(
    text: str, catalog: list[DocumentInfo], frequency: Callable[[str], int]
) -> MissingReference | None:
    """Return what ``text`` names that its documents lack; ``frequency`` counts a key's chunks."""
    reference = find_structural_reference(text)
    if reference is None:
        return None
    documents = named_documents(text, catalog)
    if not documents:
        return None
    having = [d for d in documents if frequency(article_key(d.doc_id, reference.article))]
    if not having:
        return MissingReference(StructuralReference(reference.article), documents)
    clause = reference.clause
    if clause and not any(
        frequency(clause_key(d.doc_id, reference.article, clause)) for d in having
    ):
        return MissingReference(StructuralReference(reference.article, clause), having)
    return None


def structural_hits(
    text: str, catalog: list[DocumentInfo], chunks_with: Callable[[list[str]], set[str]]
) -> dict[str, float]:
    """Return the chunks that are the article (and clause) ``text`` names, with their weight.

    A chunk of the named clause weighs 2, any other chunk of the named article 1. Without a
    named document, the article of every indexed document counts.
    """
    reference = find_structural_reference(text)
    if reference is None:
        return {}
    documents = named_documents(text, catalog) or catalog
    hits = dict.fromkeys(
        chunks_with([article_key(d.doc_id, reference.article) for d in documents]), 1.0
    )
    if reference.clause:
        keys = [clause_key(d.doc_id, reference.article, reference.clause) for d in documents]
        hits.update(dict.fromkeys(chunks_with(keys), 2.0))
    return hits


def cited_name(title: str, sections: Sequence[str | None]) -> str | None:
    """Return "Luật Trọng tài thương mại, Điều 32, khoản 2; Điều 33", or None if not legal."""
    references = list(dict.fromkeys(ref for s in sections if (ref := short_reference(s))))
    return f"{title}, {'; '.join(references)}" if references else None
