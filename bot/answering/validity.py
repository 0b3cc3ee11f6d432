"""Answers that respect which text is in force, and answers to questions about validity itself.

The statuses come from ``vectorstore.validity`` as of ``answer.as_of`` (default today). For an
ordinary question, evidence from a replaced, repealed or expired text, or from an article that
was amended, is set aside when the newer text is indexed: the answer is composed from the text in
force, says what changed and cites the clause that made the change. When the question names the
older text ("what did Decree 88/2019 require?"), the answer may come from it, clearly labelled.
Questions about validity ("is Decree 88/2019 still in force?", "which text replaces it?", "when
does it take effect?", "which articles were amended?") are answered from the relations, citing
the clause that states them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from bot.answering import messages
from bot.answering.types import Citation
from vectorstore.model import DocumentInfo, Passage, ValidityClause
from vectorstore.text import TYPE_WORDS, find_document_numbers, fold, nfc
from vectorstore.validity import (
    AMENDED,
    IN_FORCE,
    NOT_YET,
    SUPERSEDED,
    DocumentStatus,
    Link,
    compute_statuses,
    reached,
)

if TYPE_CHECKING:  # `policybot sources` uses this module and must stay light
    from vectorstore.lexical import DerivedIndexes
    from vectorstore.retrieval import SearchResult
    from vectorstore.store import ChromaStore

Composed = tuple[list[Citation], str] | str  # citations and text, or a refusal message

# --- statuses, derived once per catalogue and day ------------------------------------------

_cache_lock = threading.Lock()
_cached: dict[tuple[int, str, date], dict[str, DocumentStatus]] = {}


def statuses_for(indexes: DerivedIndexes, as_of: date | None) -> dict[str, DocumentStatus]:
    """Return every document's status as of ``as_of`` (today when None) for this catalogue.

    Derived again whenever the catalogue (its revision) or the day changes; deriving takes
    about 2 ms per 220 documents, too much to repeat for every question of a large library.
    """
    day = as_of or date.today()
    key = (id(indexes), indexes.revision, day)
    with _cache_lock:
        found = _cached.get(key)
        if found is None:
            found = compute_statuses(indexes.catalog, day)
            _cached.clear()
            _cached[key] = found
        return found


# --- which documents a question names --------------------------------------------------------

_TYPE_ALT = "|".join(sorted((re.escape(w) for w in TYPE_WORDS), key=len, reverse=True))
# "Nghị định 88/2019", "Decree No. 31/2025", "nghi dinh so 88" (folded, lower-case).
_SHORT_REFERENCE = re.compile(
    rf"\b(?P<word>{_TYPE_ALT})\s+(?:(?:no\.?|number|so)\s*)?(?P<n>\d{{1,5}})"
    r"(?:/(?P<y>(?:19|20)\d\d))?\b"
)
# "the 2019 decree", "nghị định năm 2019"
_YEAR_REFERENCE = re.compile(
    rf"\b(?P<y1>(?:19|20)\d\d)\s+(?P<w1>{_TYPE_ALT})\b|\b(?P<w2>{_TYPE_ALT})\s+(?:nam\s+)?"
    r"(?P<y2>(?:19|20)\d\d)\b"
)
_KEY_PARTS = re.compile(r"^(?P<n>\d+)(?:/(?P<y>\d{4}))?[/-](?P<t>[A-Z]+)")


def named_documents(question: str, catalog: Sequence[DocumentInfo]) -> list[DocumentInfo]:
    """Return the indexed documents ``question`` names by number, short number or year."""
    folded = fold(nfc(question)).lower()
    wanted = {n.key for n in find_document_numbers(question)}
    found = [info for info in catalog if info.number in wanted]
    for match in _SHORT_REFERENCE.finditer(folded):
        doc_type = TYPE_WORDS[match.group("word")]
        found += [
            info for info in catalog
            if _parts(info.number) == (doc_type, match.group("n").lstrip("0"))
            and (match.group("y") is None or f"/{match.group('y')}/" in (info.number or ""))
        ]
    for match in _YEAR_REFERENCE.finditer(folded):
        word = match.group("w1") or match.group("w2")
        year = match.group("y1") or match.group("y2")
        doc_type = TYPE_WORDS[word]
        found += [
            info for info in catalog
            if info.number and _parts(info.number)[0] == doc_type and f"/{year}/" in info.number
        ]
    return list({info.doc_id: info for info in found}.values())


def _parts(number: str | None) -> tuple[str, str] | tuple[None, None]:
    match = _KEY_PARTS.match(number or "")
    if match is None:
        return None, None
    return match.group("t")[:2] if match.group("t") != "QH" else "QH", match.group("n").lstrip("0")


# --- validity questions ----------------------------------------------------------------------

_ASKS = (
    ("amended", re.compile(
        r"\b(?:dieu|khoan|diem)\s+nao\b.*\b(?:sua doi|bo sung|bai bo)|\b(?:sua doi|bo sung)\s+"
        r"(?:nhung\s+|cac\s+)?(?:dieu|khoan)\s+nao|\bwhich\s+(?:articles?|provisions?|parts?)\b"
        r".*\bamend|\bwhat\b.*\bamend(?:ed|ments?)\b|\b(?:been|was|were)\s+amended\b|"
        r"\bduoc\s+sua\s+doi\b|\bco\s+(?:bi|duoc)\s+sua\s+doi\b"
    )),
    ("replaced_by", re.compile(
        r"\b(?:van ban|nghi dinh|nghi quyet|quyet dinh|thong tu|luat)\s+nao\s+(?:da\s+)?"
        r"thay the|\bthay the\s+(?:boi|bang)\s+(?:van ban|gi|nao)|\bduoc thay the boi\b|"
        r"\b(?:what|which)\b.*\b(?:replac\w*|supersed\w*)\b|\breplaced by\b|\bsuperseded by\b"
    )),
    ("effective", re.compile(
        r"\bhieu luc\s+(?:thi hanh\s+)?(?:tu|ke tu)?\s*(?:ngay nao|khi nao|bao gio|luc nao)|"
        r"\b(?:ngay nao|khi nao|bao gio)\b.*\bco hieu luc\b|\bngay co hieu luc\b|"
        r"\bwhen\b.*\b(?:take|took|takes|come|comes|came|enter|enters|entered|go|goes)\s+"
        r"(?:into\s+)?(?:effect|force)\b|\beffective date\b|\bwhen\b.*\beffective\b"
    )),
    ("status", re.compile(
        r"\bcon\s+(?:hieu luc|ap dung|gia tri)\b|\bhet\s+hieu luc\b|\bhieu luc\s+(?:khong|chua)\b|"
        r"\bcon\s+duoc\s+ap\s+dung\b|\bstill\s+(?:in\s+force|valid|in\s+effect|applicable|"
        r"apply|applies|current)\b|\b(?:is|are)\b.*\b(?:in\s+force|valid|in\s+effect)\b|"
        r"\bstatus\s+of\b|\bno\s+longer\s+in\s+force\b"
    )),
)


def validity_question(question: str) -> str | None:
    """Return what a question asks about validity (status, effective, replaced_by, amended)."""
    folded = fold(nfc(question)).lower()
    return next((kind for kind, pattern in _ASKS if pattern.search(folded)), None)


def answer_validity_question(
    question: str,
    language: str,
    indexes: DerivedIndexes,
    store: ChromaStore,
    as_of: date | None,
) -> tuple[list[Citation], str] | None:
    """Answer a question about a named document's validity from the relations.

    Returns None when it is not such a question, or when the relations do not answer it.
    """
    asks = validity_question(question)
    if asks is None:
        return None
    named = named_documents(question, indexes.catalog)
    if len(named) != 1:
        return None
    info = named[0]
    statuses = statuses_for(indexes, as_of)
    status = statuses[info.doc_id]
    doc = display(info, language)
    sentences: list[tuple[str, ValidityClause | None]] = []
    if asks == "effective":
        if status.effective_date is None:
            return None  # the relations do not say: the text may, through the usual search
        key = "v_effective" if not reached(status.effective_date, status.as_of) else (
            "v_effective_past")
        sentences.append((
            messages.text(language, key, doc=doc, date=show_date(status.effective_date, language)),
            status.effective_clause,
        ))
    elif asks == "replaced_by":
        if not status.replaced_by:
            sentences.append((messages.text(language, "v_no_replacement", doc=doc), None))
            sentences.extend(_status_sentences(status, info, language))
        else:
            sentences.extend(_replaced_sentences(status, doc, language))
    elif asks == "amended":
        if not status.amended_by and not any(link.articles for link in status.repealed_by):
            sentences.append((messages.text(language, "v_no_amendment", doc=doc), None))
        sentences.extend(_amended_sentences(status, doc, language))
    else:
        sentences.extend(_status_sentences(status, info, language))
        if not sentences:
            return None
    return _with_citations(sentences, store, statuses)


def _status_sentences(
    status: DocumentStatus, info: DocumentInfo, language: str
) -> list[tuple[str, ValidityClause | None]]:
    """Say what the status of one document is, with the clause behind each statement."""
    doc = display(info, language)
    found: list[tuple[str, ValidityClause | None]] = []
    match status.status:
        case "replaced":
            found += _replaced_sentences(status, doc, language)
        case "repealed":
            found += _repealed_sentences(status, doc, language)
        case "expired":
            found.append((
                messages.text(language, "v_expired", doc=doc,
                              date=show_date(status.expires or "", language)),
                status.expires_clause,
            ))
        case "not_yet_in_force":
            found.append((
                messages.text(language, "v_not_yet", doc=doc,
                              date=show_date(status.effective_date or "?", language)),
                status.effective_clause,
            ))
        case "in_force" | "amended":
            since = (
                messages.text(language, "v_since",
                              date=show_date(status.effective_date, language))
                if status.effective_date else ""
            )
            found.append((messages.text(language, "v_in_force", doc=doc, since=since),
                          status.effective_clause))
            if status.status == AMENDED:
                found += _amended_sentences(status, doc, language)
            for link in status.replaced_by:
                if link.pending:
                    found.append((
                        messages.text(language, "v_pending", doc=doc,
                                      by=_link_name(link, language),
                                      date=show_date(link.effective_date or "?", language)),
                        link.clause,
                    ))
        case _:
            pass
    return found


def _replaced_sentences(
    status: DocumentStatus, doc: str, language: str
) -> list[tuple[str, ValidityClause | None]]:
    if not status.replaced_by:
        return [(messages.text(language, "v_replaced_plain", doc=doc), None)]
    return [
        (
            messages.text(language, "v_pending" if link.pending else "v_replaced", doc=doc,
                          by=_link_name(link, language), when=_when(link, language),
                          date=show_date(link.effective_date or "?", language)),
            link.clause,
        )
        for link in status.replaced_by
    ]


def _repealed_sentences(
    status: DocumentStatus, doc: str, language: str
) -> list[tuple[str, ValidityClause | None]]:
    links = [link for link in status.repealed_by if not link.articles]
    if not links:
        return [(messages.text(language, "v_repealed_plain", doc=doc), None)]
    return [
        (
            messages.text(language, "v_repealed", doc=doc, by=_link_name(link, language),
                          when=_when(link, language)),
            link.clause,
        )
        for link in links
    ]


def _amended_sentences(
    status: DocumentStatus, doc: str, language: str
) -> list[tuple[str, ValidityClause | None]]:
    found: list[tuple[str, ValidityClause | None]] = []
    links = [*status.amended_by, *(link for link in status.repealed_by if link.articles)]
    for link in links:
        by = _link_name(link, language)
        if link.articles:
            verb = "v_amended_verb_many" if len(link.articles) > 1 else "v_amended_verb_one"
            sentence = messages.text(
                language, "v_amended", articles=show_articles(link.articles, language), doc=doc,
                verb=messages.text(language, verb), by=by, when=_when(link, language),
            )
        else:
            sentence = messages.text(language, "v_amended_doc", doc=doc, by=by,
                                     when=_when(link, language))
        found.append((" ".join(sentence.split()), link.clause))
    return found


def _with_citations(
    sentences: Sequence[tuple[str, ValidityClause | None]],
    store: ChromaStore,
    statuses: dict[str, DocumentStatus],
) -> tuple[list[Citation], str]:
    """Follow each fixed sentence with the verbatim clause that states it, cited."""
    wanted = [c.chunk_id for _, c in sentences if c is not None and c.chunk_id and c.quote]
    passages = {p.chunk_id: p for p in store.get(list(dict.fromkeys(wanted)))}
    citations: list[Citation] = []
    parts: list[str] = []
    for sentence, clause in sentences:
        parts.append(sentence)
        passage = passages.get(clause.chunk_id or "") if clause is not None else None
        if clause is None or passage is None or clause.quote not in passage.text:
            continue  # never show a quote that is not verbatim in its chunk
        existing = next((c for c in citations if c.quote == clause.quote), None)
        if existing is not None:
            parts[-1] += f" [{existing.n}]"
            continue
        citation = _citation(len(citations) + 1, passage, clause.quote, statuses)
        citations.append(citation)
        parts.append(f"“{clause.quote}” [{citation.n}]")
    return citations, " ".join(parts)


def _citation(
    n: int, passage: Passage, quote: str, statuses: dict[str, DocumentStatus]
) -> Citation:
    status = statuses.get(passage.doc_id)
    return Citation(
        n=n, chunk_id=passage.chunk_id, doc_id=passage.doc_id, source=passage.source,
        title=passage.title, quote=quote, score=1.0, page=passage.page, section=passage.section,
        date=passage.date, url=passage.url, status=status.status if status else None,
        ocr=passage.ocr,
    )


# --- ordinary questions: prefer the text in force --------------------------------------------

_ARTICLE_LINE = re.compile(r"(?m)^\W*(?:dieu|article)\s+(\d{1,3}[a-z]?)\b", re.IGNORECASE)


def passage_articles(passage: Passage) -> set[str]:
    """Return the article numbers a passage is part of (from its section and its lines)."""
    text = fold(f"{passage.section or ''}\n{passage.text[passage.body_offset :]}")
    return {match.group(1).lower() for match in _ARTICLE_LINE.finditer(text)}


@dataclass(frozen=True)
class _Note:
    """Why a passage is set aside, the clause that says so, and the newer indexed texts."""

    sentence: str
    clause: ValidityClause | None
    newer: frozenset[str]  # doc_ids of the indexed texts that state the rule in force instead


def compose_in_force(
    question: str,
    result: SearchResult,
    compose: Callable[[SearchResult], Composed],
    indexes: DerivedIndexes,
    store: ChromaStore,
    as_of: date | None,
    language: str,
) -> Composed:
    """Compose the answer from the text in force, labelling anything that is not.

    Passages of superseded texts (and of amended articles) are set aside unless the question
    names their document; when the text in force answers, the answer says what it replaced.
    When only the superseded text answers, the answer is given from it under a clear label.
    """
    statuses = statuses_for(indexes, as_of)
    if not any(s.status for s in statuses.values()):
        return _with_statuses(compose(result), statuses)
    infos = {info.doc_id: info for info in indexes.catalog}
    asked = {info.doc_id for info in named_documents(question, indexes.catalog)}
    notes: dict[str, _Note] = {}
    for passage in [*result.passages, *result.across]:
        # A question naming a replaced text asks about that text; an amended article of a named
        # text is still set aside, since the amendment is what the named text now says.
        note = _superseded_note(
            passage, statuses, infos, language, whole=passage.doc_id not in asked
        )
        if note is not None:
            notes[passage.chunk_id] = note
    current = [p for p in result.passages if p.chunk_id not in notes]
    # The other language's best passages are set aside on the same terms.
    across = [p for p in result.across if p.chunk_id not in notes]
    # A question that names a document ("what did Decree 88/2019 require?") is answered from it
    # and from the texts amending it.
    amending = {
        doc_id for p in result.passages if p.doc_id in asked and p.chunk_id in notes
        for doc_id in notes[p.chunk_id].newer
    }
    named = [p for p in current if p.doc_id in asked | amending]
    outcome: Composed = compose(replace(result, passages=named, across=[])) if named else ""
    if isinstance(outcome, str) and current:
        outcome = compose(replace(result, passages=current, across=across))
    lead: list[tuple[str, ValidityClause | None]] = []
    if isinstance(outcome, str):
        # Nothing in force answers: the superseded text may, said plainly.
        older = compose(result)
        if isinstance(older, str):
            return outcome or older
        outcome = older
        lead += [(notes[c.chunk_id].sentence, notes[c.chunk_id].clause)
                 for c in older[0] if c.chunk_id in notes]
        lead += _notes_for({c.doc_id for c in older[0]}, statuses, infos, language)
        lead.append((messages.text(language, "v_older_text"), None))
    else:
        cited = {c.doc_id for c in outcome[0]}
        changed = [(n.sentence, n.clause) for n in notes.values() if n.newer & cited]
        if changed:
            lead += changed
            lead.append((messages.text(language, "v_under_new"), None))
        lead += _notes_for(cited - asked, statuses, infos, language)
        for doc_id in cited & asked:
            status = statuses.get(doc_id)
            if status is not None and status.status in SUPERSEDED:
                lead += _status_sentences(status, infos[doc_id], language)
                lead.append((messages.text(language, "v_as_asked",
                                           doc=display(infos[doc_id], language)), None))
    if not lead:
        return _with_statuses(outcome, statuses)
    return _prepend(lead, _with_statuses(outcome, statuses), store, statuses)


def _superseded_note(
    passage: Passage,
    statuses: dict[str, DocumentStatus],
    infos: dict[str, DocumentInfo],
    language: str,
    *,
    whole: bool,
) -> _Note | None:
    """Return why ``passage`` no longer states the rule in force, or None when it does.

    ``whole``: whether a superseded document counts, or only an amended article.
    """
    status = statuses.get(passage.doc_id)
    info = infos.get(passage.doc_id)
    if status is None or info is None:
        return None
    doc = display(info, language)
    if whole and status.status == NOT_YET:
        # A text not yet in force that will replace an indexed one: that one still applies.
        older = frozenset(link.doc_id for link in status.replaces if link.doc_id)
        if not older:
            return None
        sentence = messages.text(language, "v_not_yet", doc=doc,
                                 date=show_date(status.effective_date or "?", language))
        return _Note(sentence, status.effective_clause, older)
    if whole and status.status in SUPERSEDED:
        sentences = _status_sentences(status, info, language)
        newer = frozenset(
            link.doc_id for link in (*status.replaced_by, *status.repealed_by)
            if link.doc_id and not link.pending
        )
        sentence, clause = sentences[0] if sentences else (
            messages.status_label(language, status.status), None)
        return _Note(sentence, clause, newer)
    articles = passage_articles(passage)
    for link in status.amended_by:
        if link.pending or not link.doc_id or not articles & set(link.articles):
            continue
        changed = tuple(a for a in link.articles if a in articles)
        verb = "v_amended_verb_many" if len(changed) > 1 else "v_amended_verb_one"
        sentence = messages.text(
            language, "v_amended", articles=show_articles(changed, language), doc=doc,
            verb=messages.text(language, verb), by=_link_name(link, language),
            when=_when(link, language),
        )
        return _Note(" ".join(sentence.split()), link.clause, frozenset({link.doc_id}))
    return None


def _notes_for(
    doc_ids: Collection[str],
    statuses: dict[str, DocumentStatus],
    infos: dict[str, DocumentInfo],
    language: str,
) -> list[tuple[str, ValidityClause | None]]:
    """Label the cited documents that are not simply in force, or are about to be replaced."""
    found: list[tuple[str, ValidityClause | None]] = []
    for doc_id in doc_ids:
        status = statuses.get(doc_id)
        if status is None or status.status is None:
            continue
        pending = any(link.pending for link in status.replaced_by)
        if status.status in (IN_FORCE, AMENDED) and not pending:
            continue
        found += _status_sentences(status, infos[doc_id], language)
    return found


def _with_statuses(outcome: Composed, statuses: dict[str, DocumentStatus]) -> Composed:
    if isinstance(outcome, str):
        return outcome
    citations, text = outcome
    return [
        replace(c, status=statuses[c.doc_id].status if c.doc_id in statuses else None)
        for c in citations
    ], text


def _prepend(
    lead: Sequence[tuple[str, ValidityClause | None]],
    outcome: Composed,
    store: ChromaStore,
    statuses: dict[str, DocumentStatus],
) -> Composed:
    """Put the validity sentences (with their cited clauses) before the answer, renumbering."""
    if isinstance(outcome, str):
        return outcome
    citations, text = outcome
    quoted = {c.quote for c in citations}
    # A clause the answer quotes anyway ("Điều 6 ... được sửa đổi như sau: ...") is not repeated.
    unique = list({
        sentence: (sentence, None if clause is None or clause.quote in quoted else clause)
        for sentence, clause in lead
    }.values())
    lead_citations, lead_text = _with_citations(unique, store, statuses)
    shift = len(lead_citations)
    renumbered = [replace(c, n=c.n + shift) for c in citations]
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + shift}]", text)
    return [*lead_citations, *renumbered], f"{lead_text} {text}"


def status_lines(status: DocumentStatus, info: DocumentInfo, language: str) -> list[str]:
    """Return a document's status for a listing: its label, then what stands behind it."""
    if status.status is None:
        return []
    label = messages.status_label(language, status.status)
    sentences = [sentence for sentence, _ in _status_sentences(status, info, language)]
    return [f"{label}: {' '.join(sentences)}" if sentences else label]


# --- display ---------------------------------------------------------------------------------

_TYPE_NAMES = {
    "en": {"NQ": "Resolution", "ND": "Decree", "QD": "Decision", "CT": "Directive",
           "KL": "Conclusion", "TT": "Circular", "HD": "Guidance", "KH": "Plan", "TB": "Notice",
           "QH": "Law"},
    "vi": {"NQ": "Nghị quyết", "ND": "Nghị định", "QD": "Quyết định", "CT": "Chỉ thị",
           "KL": "Kết luận", "TT": "Thông tư", "HD": "Hướng dẫn", "KH": "Kế hoạch",
           "TB": "Thông báo", "QH": "Luật"},
}  # fmt: skip
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def display_number(number: str, language: str) -> str:
    """Return a canonical number for reading: "Nghị định 31/2025/NĐ-CP", "Decree 31/2025/ND-CP"."""
    doc_type = _parts(number)[0] or ""
    name = _TYPE_NAMES.get(language, _TYPE_NAMES["en"]).get(doc_type, "")
    shown = number
    if language == "vi":
        shown = re.sub(r"\b(N|Q)D\b", r"\1Đ", number)
    return f"{name} {shown}".strip()


def display(info: DocumentInfo, language: str) -> str:
    """Return how a document is named in a validity sentence."""
    return display_number(info.number, language) if info.number else f"“{info.title}”"


def show_date(iso: str | None, language: str) -> str:
    """Return an ISO date for reading: "1 July 2025" or "01/07/2025"; partial dates as they are."""
    if not iso or len(iso) != 10:
        return iso or ""
    year, month, day = iso.split("-")
    if language == "vi":
        return f"{day}/{month}/{year}"
    return f"{int(day)} {_MONTH_NAMES[int(month) - 1]} {year}"


def show_articles(articles: Sequence[str], language: str) -> str:
    """Return "Article 5", "Articles 5 and 7" or "Điều 5", "Các Điều 5 và 7"."""
    joined = (
        articles[0] if len(articles) == 1
        else f"{', '.join(articles[:-1])} {messages.text(language, 'v_and')} {articles[-1]}"
    )
    key = "v_article" if len(articles) == 1 else "v_articles"
    return messages.text(language, key, n=joined)


def _link_name(link: Link, language: str) -> str:
    name = display_number(link.number, language) if link.number else f"“{link.title or '?'}”"
    if link.doc_id is None:
        name += messages.text(language, "v_not_in_library")
    return name


def _when(link: Link, language: str) -> str:
    if not link.effective_date:
        return ""
    return messages.text(language, "v_from", date=show_date(link.effective_date, language))


__all__ = [
    "answer_validity_question",
    "compose_in_force",
    "display_number",
    "named_documents",
    "passage_articles",
    "validity_question",
]
