"""What a document states about its validity: dates, and the documents it replaces or amends.

Its own number, when it takes effect and ends, and which documents it replaces, amends, repeals
or guides.
Pure functions on the cleaned text. Each statement keeps the sentence that makes it, so an answer
about validity can quote and cite it. Matching works on the folded, lower-cased text (offsets are
those of the NFC text), so "co hieu luc" and "có hiệu lực" meet. A sidecar ``NAME.meta.yaml`` may
set or correct every field; what the sidecar says replaces what was found for that field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.clean import parse_date
from ingest.model import LoadError
from vectorstore.text import DOCUMENT_NUMBER_RE, fold, nfc, number_from_match, split_sentences

STATUSES = ("in_force", "not_yet_in_force", "amended", "replaced", "repealed", "expired")
RELATION_KINDS = ("replaces", "amends", "repeals", "guides")

_HEAD_CHARS = 600  # where a document states its own number ("Số: 31/2025/NĐ-CP")


@dataclass(frozen=True)
class Statement:
    """One validity statement, with the offsets of its sentence in the document text.

    ``start`` is -1 for a statement made by the title (quoted from the chunk header) and -2 for
    one set in the sidecar (nothing to quote).
    """

    kind: str  # effective | expires | replaces | amends | repeals | guides
    quote: str
    start: int
    target: str | None = None
    by: str | None = None
    articles: tuple[str, ...] = ()
    date: str | None = None


@dataclass(frozen=True)
class Validity:
    """The validity facts of one document."""

    number: str | None
    effective_date: str | None
    expires: str | None
    declared_status: str | None
    statements: tuple[Statement, ...]


# --- the document's own number ---------------------------------------------------------------

# "Số: 31/2025/NĐ-CP", "No. 31/2025/ND-CP" on a short line of its own (a wrapped sentence may
# well start with "số 88/2019/NĐ-CP").
_NUMBER_LINE = re.compile(r"^\s*(?:so\s*:|so hieu\s*:|no\s*[.:]|number\s*:|ref\s*[.:])\s*", re.I)
_NUMBER_LINE_LIMIT = 80
_DESIGNATION = re.compile(r"^\W*\w+(?:\s+\w+)?\s+(?:no\.?|so)\s*$", re.I)
_TITLE_RELATION = re.compile(
    r"\b(sua doi|bo sung|thay the|bai bo|huong dan|quy dinh chi tiet|amend\w*|replac\w*|"
    r"supersed\w*|repeal\w*|guid\w*|implement\w*)\b",
    re.I,
)


def own_number(
    title: str,
    text: str,
    sidecar: dict[str, str] | None = None,
    header_number: str | None = None,
    *,
    legal_text: bool = True,
) -> str | None:
    """Return the document's own canonical number.

    The sidecar wins, then the number read from an official header (``header_number``), then a
    short "Số:" line, then, for a legal text (articles and clauses), the title. The title counts
    only when it does not name the number as the document it acts on ("Nghị định sửa đổi ...
    Nghị định số 31/2025/NĐ-CP").
    """
    if sidecar and sidecar.get("number"):
        return _canonical(sidecar["number"], "number")
    if header_number:
        return header_number
    for line in [title, *nfc(text[:_HEAD_CHARS]).splitlines()]:
        folded = fold(nfc(line))
        if len(folded) > _NUMBER_LINE_LIMIT:
            continue
        marker = _NUMBER_LINE.match(folded)
        if marker:
            found = DOCUMENT_NUMBER_RE.match(folded, marker.end())
            if found:
                return number_from_match(found).key
    folded_title = fold(nfc(title))
    found = DOCUMENT_NUMBER_RE.search(folded_title)
    if found is None:
        return None
    before = folded_title[: found.start()]
    # Outside a legal text only a designation ("Plan No. 05/KH-UBND on ...") names the document
    # itself: a news title ("Resolution 25-NQ/TW and the documents ...") names what it reports on.
    if not legal_text and not _DESIGNATION.match(before):
        return None
    if not _TITLE_RELATION.search(before):
        return number_from_match(found).key
    return None


# --- patterns, on folded lower-case text -----------------------------------------------------

_SELF = r"(?:nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|ke hoach|luat|van ban|quy dinh)\s+nay"
_EFFECTIVE = re.compile(
    r"\bco hieu luc(?: thi hanh)?(?: ke)? tu(?: ngay)?\s+"
    r"|\b(?:takes?|took|shall take|will take|to take) effect(?: on| from| as of)?\s+"
    r"|\b(?:enters?|entered|shall enter|will enter|comes?|came|shall come|will come) into "
    r"(?:force|effect)(?: on| from| as of)?\s+"
    r"|\b(?:is|be|becomes?|shall be|will be) effective(?: on| from| as of)?\s+"
    r"|\bwith effect from\s+"
)
_SIGNING = re.compile(
    r"^(?:ngay )?(?:ky|ky ban hanh|ban hanh|the date of (?:its )?(?:signing|signature|issuance)|"
    r"signing|signature|issuance)\b"
)
# (pattern, whether the date is the first day no longer in force)
_EXPIRES = (
    (re.compile(r"\b(?:co hieu luc|duoc thuc hien|duoc ap dung|ap dung|thuc hien)"
                r"(?: thi hanh)?(?: tu [^,;]{4,40}?)? (?:den|toi) (?:het )?(?:ngay )?"), False),
    (re.compile(r"\bhet hieu luc(?: thi hanh)?(?: ke)?(?: tu| vao)?(?: ngay)?\s+"), True),
    (re.compile(r"\b(?:expires?|expired|shall expire|will expire)(?: on)?\s+"), False),
    (re.compile(r"\b(?:remains?|shall remain|is|shall be|will be) (?:in force|in effect|valid|"
                r"effective)(?: from [^,;]{4,40}?)? (?:until|till|through)\s+"), False),
    (re.compile(r"\b(?:ceases?|shall cease) to (?:have effect|be in force|be effective)"
                r"(?: on| from| as of)?\s+"), True),
)
_KIND_TRIGGERS = {
    "replaces": re.compile(
        r"\b(?:thay the|supersed\w*|replac\w*|in (?:replacement|place) of)\b"
    ),
    "amends": re.compile(r"\b(?:sua doi|bo sung|amend\w*|modif\w*)\b"),
    "repeals": re.compile(r"\b(?:bai bo|huy bo|repeal\w*|annul\w*|abolish\w*|revok\w*)\b"),
    # "implementing the Party's resolutions" in a news text is not a guiding document.
    "guides": re.compile(
        r"\b(?:huong dan (?:thi hanh|thuc hien|chi tiet)|quy dinh chi tiet|"
        r"guid(?:e|es|ing)\s+(?:the\s+)?(?:implementation|enforcement|execution)\s+of|"
        r"guidance\s+on\s+(?:the\s+)?(?:implementation|enforcement)\s+of|detailing)\b"
    ),
}
# "Nghị định số 88/2019/NĐ-CP hết hiệu lực kể từ ngày Nghị định này có hiệu lực": the number
# before the trigger is the text replaced.
_ENDS_OTHER = re.compile(
    r"\b(?:het hieu luc|ceases? to (?:have effect|be in force|be effective)|"
    r"(?:is|are|shall be) no longer in force)\b"
)
_PASSIVE = re.compile(r"\b(?:duoc|bi|is|are|was|were|been|be)\s+(?:hereby\s+)?$")
_AGENT = re.compile(r"\b(?:boi|by)\b")
_PREAMBLE = re.compile(r"^\W*(?:can cu|xet de nghi|theo de nghi|pursuant to|based on|"
                       r"in accordance with|at the proposal|at the request)\b")
_ARTICLES = re.compile(
    r"\b(?:dieu|articles?|art\.)\s+(\d{1,3}[a-z]?(?:\s*(?:,|va|and|&)\s*\d{1,3}[a-z]?)*)\b"
)
_ARTICLE_NUMBER = re.compile(r"\d{1,3}[a-z]?")


def extract_validity(
    title: str,
    text: str,
    *,
    issued: str | None = None,
    sidecar: dict[str, str] | None = None,
    header_number: str | None = None,
    legal_text: bool = True,
) -> Validity:
    """Return the validity facts ``title`` and ``text`` state, corrected by ``sidecar``.

    ``issued`` is the document's date, which "takes effect from the date of signing" refers to;
    ``header_number`` the number read from its official header, if it has one.
    Raises LoadError for a sidecar value that cannot be read.
    """
    sidecar = sidecar or {}
    number = own_number(title, text, sidecar, header_number, legal_text=legal_text)
    # The title's relations come last: the body's sentences are the better quotes.
    by_title = [
        found for found in _sentence_statements(nfc(title), -1, number, issued, [])
        if found.kind in RELATION_KINDS
    ]
    title_targets = [s.target for s in by_title if s.kind == "amends" and s.target]
    statements: list[Statement] = []
    for start, end in split_sentences(text):
        statements.extend(
            _sentence_statements(text[start:end], start, number, issued, title_targets)
        )
    statements += by_title
    statements = _from_sidecar(statements, sidecar, number)
    effective = next((s.date for s in statements if s.kind == "effective"), None)
    expires = next((s.date for s in statements if s.kind == "expires"), None)
    status = sidecar.get("status")
    if status is not None and status not in STATUSES:
        raise LoadError(f"sidecar status: {status!r} is not one of {', '.join(STATUSES)}")
    return Validity(number, effective, expires, status, tuple(statements))


def _sentence_statements(
    sentence: str, offset: int, own: str | None, issued: str | None, title_targets: list[str]
) -> list[Statement]:
    folded = fold(sentence).lower()
    if _PREAMBLE.match(folded):
        return []  # "Căn cứ Luật ... sửa đổi, bổ sung ...": the legal basis, not an act
    mentions = [
        (match.start(), match.end(), number_from_match(match).key)
        for match in DOCUMENT_NUMBER_RE.finditer(folded)
    ]
    others = [m for m in mentions if m[2] != own]
    found: list[Statement] = []

    def add(
        kind: str, *, target: str | None = None, by: str | None = None,
        articles: tuple[str, ...] = (), when: str | None = None,
    ) -> None:
        statement = Statement(kind, sentence, offset, target, by, articles, when)
        if statement not in found:
            found.append(statement)

    effective = _EFFECTIVE.search(folded)
    if effective and _about_self(folded, effective.start(), others):
        rest = sentence[effective.end() : effective.end() + 60]
        when = issued if _SIGNING.match(folded[effective.end() :]) else parse_date(rest)
        if when:
            add("effective", when=when)
    for pattern, exclusive in _EXPIRES:
        ending = pattern.search(folded)
        if ending and _about_self(folded, ending.start(), others):
            when = parse_date(sentence[ending.end() : ending.end() + 60])
            if when:
                add("expires", when=_day_before(when) if exclusive else when)
                break

    ends = _ENDS_OTHER.search(folded)
    if ends and not _KIND_TRIGGERS["repeals"].search(folded):
        for _, _, key in (m for m in others if m[1] <= ends.start()):
            add("replaces", target=key)
    for kind, trigger in _KIND_TRIGGERS.items():
        match = trigger.search(folded)
        if match is None:
            continue
        before = [m for m in others if m[1] <= match.start()]
        after = [m for m in others if m[0] >= match.end()]
        by: str | None = None
        if _PASSIVE.search(folded[max(0, match.start() - 12) : match.start()]):
            # "Điều 5 của Nghị định 31 được sửa đổi (bởi Nghị định 40)"
            agents = [m for m in after if _AGENT.search(folded[match.end() : m[0]])]
            by = agents[0][2] if agents else None
            targets = [m[2] for m in before]
            articles = _articles(folded[: match.start()])
        else:
            # "Nghị định 31/2025/NĐ-CP thay thế Nghị định 88/2019/NĐ-CP": a subject named first.
            if before and not re.search(_SELF, folded[: match.start()]):
                by = before[0][2]
            targets = [m[2] for m in after]
            window_end = after[0][0] if after else len(folded)
            articles = _articles(folded[match.end() : window_end])
        if not targets and kind == "amends" and articles and title_targets:
            targets = title_targets[:1]  # "1. Sửa đổi Điều 5 như sau:" under an amending title
        if kind == "guides" and not targets:
            continue
        for target in dict.fromkeys(targets):
            add(kind, target=target, by=by if by != own else None,
                articles=articles if kind in ("amends", "repeals") else ())
    return found


def _about_self(folded: str, position: int, others: list[tuple[int, int, str]]) -> bool:
    """Whether a statement at ``position`` is about this document.

    It is when the document names itself ("Nghị định này", "this Decree") before it, or when
    only a few words, naming no other document, come before it ("Điều 9. Nghị định có hiệu
    lực ..."). "Under the Law ..., which took effect on ..." in a news text is about the law.
    """
    before = folded[:position]
    if re.search(rf"\b{_SELF}\b|\bthis (?:decree|resolution|decision|circular|directive|plan|"
                 r"law|document|regulation|program|programme)\b|\bhereby\b", before):
        return True
    if any(end <= position for _, end, _ in others):
        return False
    words = _ARTICLE_HEAD.sub("", before).split()
    return len(words) <= _SUBJECT_WORDS


_ARTICLE_HEAD = re.compile(r"^\W*(?:dieu|article|section|muc)\s+\w+\W*")
_SUBJECT_WORDS = 5  # "Nghị định có hiệu lực", "The plan remains in force until ..."


def _articles(folded: str) -> tuple[str, ...]:
    found: list[str] = []
    for match in _ARTICLES.finditer(folded):
        found.extend(_ARTICLE_NUMBER.findall(match.group(1)))
    return tuple(dict.fromkeys(found))


def _day_before(iso: str) -> str:
    if len(iso) != 10:
        return iso
    return (date.fromisoformat(iso) - timedelta(days=1)).isoformat()


# --- the sidecar -----------------------------------------------------------------------------


def _from_sidecar(
    statements: list[Statement], sidecar: dict[str, str], own: str | None
) -> list[Statement]:
    """Replace what was found for each field the sidecar sets.

    ``replaced_by`` becomes a "replaces" statement acting on this document (``own``, or None
    when the document has no number).
    """
    result = list(statements)
    for key, kind in (("effective_date", "effective"), ("expires", "expires")):
        if key in sidecar:
            when = parse_date(sidecar[key])
            if when is None:
                raise LoadError(f"sidecar {key}: cannot read {sidecar[key]!r} as a date")
            result = [s for s in result if s.kind != kind]
            result.insert(0, Statement(kind, "", -2, date=when))
    for kind in RELATION_KINDS:
        if kind not in sidecar:
            continue
        result = [s for s in result if s.kind != kind or s.by is not None]
        for entry in _entries(sidecar[kind]):
            target, articles = _reference(entry, kind)
            result.append(Statement(kind, "", -2, target=target, articles=articles))
    if "replaced_by" in sidecar:
        for entry in _entries(sidecar["replaced_by"]):
            by, _ = _reference(entry, "replaced_by")
            result.append(Statement("replaces", "", -2, target=own, by=by))
    return result


def _entries(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _reference(entry: str, key: str) -> tuple[str, tuple[str, ...]]:
    """Read "31/2025/NĐ-CP", "Điều 5, 7 của Nghị định 31/2025/NĐ-CP" or "31/2025/NĐ-CP: 5, 7"."""
    folded = fold(nfc(entry)).lower()
    number = DOCUMENT_NUMBER_RE.search(folded)
    if number is None:
        raise LoadError(f"sidecar {key}: cannot read {entry!r} as a document number")
    articles = _articles(folded)
    tail = folded[number.end() :].lstrip()
    if not articles and tail.startswith(":"):
        articles = tuple(_ARTICLE_NUMBER.findall(tail))
    return number_from_match(number).key, articles


def _canonical(value: str, key: str) -> str:
    found = DOCUMENT_NUMBER_RE.search(fold(nfc(value)))
    if found is None:
        raise LoadError(f"sidecar {key}: cannot read {value!r} as a document number")
    return number_from_match(found).key

