"""The structure of legal and administrative texts: official headers, parts, articles, clauses.

Vietnamese laws, decrees, resolutions and directives share one layout (Decree 30/2020/NĐ-CP on
administrative documents): an issuing body and the national motto, ``Số: 06/2014/NĐ-CP``, a
dateline, the document type in capitals and its subject, a ``Căn cứ ...`` preamble, then
``Phần`` / ``Chương`` / ``Mục`` / ``Điều N.`` with numbered clauses (``1.``) and lettered points
(``a)``), and at the end a signature block and the ``Nơi nhận:`` distribution list. English
translations use Part / Chapter / Section / Article / Clause / Point. The header becomes
metadata, the signature and distribution list are dropped (they answer nothing), and each block
of the body is labelled with its article and clause so that chunks can follow them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from ingest.model import Block
from vectorstore.legalref import CLAUSE_WORDS, SEPARATOR
from vectorstore.text import find_document_numbers, fold

# --- Official headers ----------------------------------------------------------------------------

# Document types as printed in capitals above the subject, with the name they are known by.
DOCUMENT_TYPE_NAMES = {
    "NGHỊ ĐỊNH": "Nghị định",
    "NGHỊ QUYẾT": "Nghị quyết",
    "NGHỊ QUYẾT LIÊN TỊCH": "Nghị quyết liên tịch",
    "LUẬT": "Luật",
    "BỘ LUẬT": "Bộ luật",
    "PHÁP LỆNH": "Pháp lệnh",
    "CHỈ THỊ": "Chỉ thị",
    "QUYẾT ĐỊNH": "Quyết định",
    "THÔNG TƯ": "Thông tư",
    "THÔNG TƯ LIÊN TỊCH": "Thông tư liên tịch",
    "KẾ HOẠCH": "Kế hoạch",
    "BÁO CÁO": "Báo cáo",
    "HƯỚNG DẪN": "Hướng dẫn",
    "QUY ĐỊNH": "Quy định",
    "QUY CHẾ": "Quy chế",
    "KẾT LUẬN": "Kết luận",
    "THÔNG BÁO": "Thông báo",
    "CÔNG VĂN": "Công văn",
    "TỜ TRÌNH": "Tờ trình",
    "CHƯƠNG TRÌNH": "Chương trình",
    "HIẾN PHÁP": "Hiến pháp",
    "DECREE": "Decree",
    "LAW": "Law",
    "RESOLUTION": "Resolution",
    "DIRECTIVE": "Directive",
    "DECISION": "Decision",
    "CIRCULAR": "Circular",
    "PLAN": "Plan",
    "REPORT": "Report",
    "REGULATION": "Regulation",
    "CONCLUSION": "Conclusion",
}
_MOTTOS = re.compile(
    r"CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM"
    r"|Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*Hạnh\s+phúc"
    r"|SOCIALIST\s+REPUBLIC\s+OF\s+VIET\s*NAM|Independence\s*[-–—]\s*Freedom\s*[-–—]\s*Happiness",
    re.IGNORECASE,
)
_RULE_LINE = re.compile(r"^[\s\-–—_*=.]+$")
# "HUYỆN ỦY HÒA SƠN Số 07-CT/HU": two header lines joined, the number after the issuer.
_NUMBER_AFTER_ISSUER = re.compile(
    r"(?<=[A-ZĐÀ-Ỹ])\s+(?:Số|So)\s*[:.]?\s*(?P<number>[0-9][^\s|,;]*[/-][^\s|,;]*)$"
)
_NUMBER_LINE = re.compile(r"^(?:Số|So|No)\s*[:.]\s*(?P<number>[0-9][^\s|,;]*)", re.I)
# "Hà Nội, ngày 21 tháng 01 năm 2014", "Hanoi, January 21, 2014": matched on folded text.
_HEADER_DATE = re.compile(
    r"(?:[^\W\d_][^\W\d_ .]*(?:\s+[^\W\d_][^\W\d_ .]*){0,4},\s*)?"
    r"(?:ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}"
    r"|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4})",
)
_SUBJECT_START = re.compile(r"^(?:về|ve|on|regarding)\b", re.I)
_PREAMBLE = re.compile(r"^(?:căn\s+cứ|xét\s+đề\s+nghị|theo\s+đề\s+nghị|pursuant\s+to)\b", re.I)
# A scan or a PDF may join the subject's last line and the preamble's first one.
_GLUED_PREAMBLE = re.compile(r"\s(?:Căn\s+cứ|Pursuant\s+to)\s")
# Codes and laws are cited by their subject ("Luật Trọng tài thương mại"), other texts by number.
_NAMED_BY_SUBJECT = frozenset({"Luật", "Bộ luật", "Hiến pháp", "Law", "Code", "Constitution"})
_HEADER_WINDOW = 12  # an official header fills at most this many leading blocks

# --- Signature blocks and distribution lists -----------------------------------------------------

_DISTRIBUTION = re.compile(r"(?:^|\|\s*)(?:Nơi\s+nhận|Recipients?)\s*:", re.I)
_SIGNING_ROLE = re.compile(r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T|ON\s+BEHALF\s+OF)\.?\s+\S", re.I)
_SIGNATURE_BLOCKS = 6  # a signing role, a position, a name and the distribution list, at most
_SIGNED = re.compile(r"\((?:đã\s+ký|signed)\)", re.I)
_NOT_NAMES = frozenset(
    "ban bộ văn phòng ủy hội đảng chính phủ quốc tỉnh thành lưu công báo website cổng the of"
    .split()
)

# The commonest Vietnamese family names: a signer's name starts with one of them.
_SURNAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Đinh "
    "Trịnh Trương Lâm Mai Tô Hà Tạ Châu Cao Thái Lương Quách Triệu Vương Kiều Lại Nông Phùng"
    .split()
)

# --- Structure -----------------------------------------------------------------------------------

_PART = re.compile(r"^(?:phan(?:\s+thu)?\s+[\w]+|part\s+(?:[ivxlc]+|\d+|[a-z]+))\b", re.I)
_CHAPTER = re.compile(r"^(?:chuong|chapter)\s+(?:[ivxlc]+|\d+)\b", re.I)
_SECTION = re.compile(r"^(?:muc|section)\s+(?:\d+|[ivxlc]+)\b", re.I)
# "Điều 32. Thông báo đơn khởi kiện", "Điều 5", "Article 3: Scope", "ARTICLE 4 - Subjects".
_ARTICLE = re.compile(
    r"^(?P<word>dieu|article|art\.)\s*(?P<number>\d{1,4}[a-z]?)(?:\s*[.:\-–—]\s*|\s*$|\s+(?=\S))",
    re.I,
)
_CLAUSE = re.compile(r"^(?:(?:khoan|clause)\s+)?(?P<number>\d{1,3})\s*[.)]\s+\S", re.I)
_POINT = re.compile(r"^\(?(?P<letter>[a-zđ])\)\s+\S")
_MIN_ARTICLES = 2


@dataclass(frozen=True)
class OfficialHeader:
    """What the header of an official document states."""

    doc_type: str | None = None  # "Nghị định", "Luật", "Decree"
    number: str | None = None  # as printed: "06/2014/NĐ-CP"
    issuer: str | None = None
    date_text: str | None = None  # the dateline as printed; parsed by the caller
    subject: str | None = None

    @property
    def number_key(self) -> str | None:
        """Return the canonical key of the document's own number (``06/2014/ND-CP``)."""
        if self.number is None:
            return None
        found = find_document_numbers(self.number)
        return found[0].key if found else self.number

    @property
    def title(self) -> str | None:
        """Return the document's title: type, number and subject, as cadres cite it."""
        if self.subject is None:
            # No subject read (a scan may lose it): "Nghị định 27/2026/NĐ-CP" still names it.
            if self.doc_type and self.number:
                return f"{self.doc_type} {self.number}"
            return None
        subject = self.subject
        if not _SUBJECT_START.match(subject) and (
            self.doc_type is None or self.doc_type in _NAMED_BY_SUBJECT
        ):
            # "LUẬT / TRỌNG TÀI THƯƠNG MẠI": a law is named by its subject alone.
            return f"{self.doc_type} {subject}" if self.doc_type else subject
        head = " ".join(part for part in (self.doc_type, self.number) if part)
        return f"{head} {subject[:1].lower()}{subject[1:]}" if head else subject


def _pieces(block: Block) -> list[str]:
    """Split a block into the cells of a table row (``a | b``), each stripped."""
    return [piece.strip() for piece in block.text.split(" | ") if piece.strip()]


def _type_name(text: str) -> str | None:
    return DOCUMENT_TYPE_NAMES.get(" ".join(text.split())) if text.isupper() else None


def _sentence_case(text: str) -> str:
    """Return an all-capitals subject line in sentence case ("VỀ BIỆN PHÁP" -> "Về biện pháp")."""
    if not text.isupper():
        return text
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


def take_official_header(blocks: list[Block]) -> tuple[OfficialHeader | None, list[Block]]:
    """Read and remove the official header (issuer to subject), if the document has one.

    Returns ``(None, blocks)`` unchanged for a document that is not in the official format.
    """
    issuer_parts: list[str] = []
    number: str | None = None
    date_text: str | None = None
    doc_type: str | None = None
    has_motto = False
    end = 0
    for index, block in enumerate(blocks[:_HEADER_WINDOW]):
        if _PREAMBLE.match(block.text) or _structural(block.text):
            break
        if doc_type is not None:
            break  # the subject follows the type
        known = False
        for piece in _pieces(block):
            found = _NUMBER_LINE.match(piece) or _NUMBER_AFTER_ISSUER.search(piece)
            if found:
                number = number or found.group("number").rstrip(".")
                piece = f"{piece[: found.start()]} {piece[found.end() :]}".strip()
                known = True
            dated = _HEADER_DATE.search(fold(piece))
            if dated:
                date_text = date_text or piece[dated.start() : dated.end()].strip()
                piece = piece[: dated.start()] + " " + piece[dated.end() :]
                known = True
            motto = _MOTTOS.search(piece)
            if motto:
                has_motto = known = True
                piece = piece[: motto.start()]  # the motto column: the issuer is to its left
            rest = " ".join(_MOTTOS.sub(" ", piece).split()).strip(" -–—_*")
            # Two columns read as one line can leave the type at the end of the dateline's.
            words = rest.split()
            for cut in range(len(words)):
                tail = _type_name(" ".join(words[cut:]))
                if tail is not None and (cut == 0 or known):
                    doc_type, rest = tail, " ".join(words[:cut])
                    break
            if rest and rest.isupper() and not _RULE_LINE.match(rest) and doc_type is None:
                issuer_parts.append(rest)
                known = True
            elif rest and rest.isupper() and _RULE_LINE.match(rest):
                known = True
        if not known and doc_type is None and not _RULE_LINE.match(block.text):
            break
        end = index + 1
    if sum((has_motto, number is not None, doc_type is not None)) < 2:
        return None, blocks

    subject_parts: list[str] = []
    if doc_type is not None:
        remainder: Block | None = None
        for block in blocks[end : end + 3]:
            text = block.text.strip()
            if _PREAMBLE.match(text) or _structural(text) or len(text) > 300:
                break
            if subject_parts and not (text.isupper() or text[:1].islower()):
                break  # a subject wrapped over lines continues in capitals or in lower case
            glued = _GLUED_PREAMBLE.search(text)
            subject_parts.append(text[: glued.start()] if glued else text)
            if glued:
                remainder = replace(block, text=text[glued.start() + 1 :])
                break
        end += len(subject_parts)
        if remainder is not None:  # the preamble's first line stays in the text
            end -= 1
            blocks = [*blocks[:end], remainder, *blocks[end + 1 :]]
    header = OfficialHeader(
        doc_type=doc_type,
        number=number,
        issuer=" ".join(issuer_parts) or None,
        date_text=date_text,
        subject=_sentence_case(" ".join(subject_parts)) if subject_parts else None,
    )
    return header, blocks[end:]


def ends_with_distribution(blocks: list[Block]) -> bool:
    """Return True when one of the last blocks is a ``Nơi nhận:`` distribution list."""
    return any(_DISTRIBUTION.search(block.text) for block in blocks[-3:])


def take_signature(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """Drop the signature block and the distribution list after the last article; find the signer.

    They begin at the first ``Nơi nhận:`` line, signing role (``TM. CHÍNH PHỦ``, ``KT. BỘ
    TRƯỞNG``, a position in capitals) or ``(Đã ký)`` after the last article heading, and run to
    the end.
    """
    last_article = max(
        (i for i, block in enumerate(blocks) if _ARTICLE.match(fold(block.text))), default=-1
    )
    if last_article == -1:  # no articles (a directive, a plan): the formalities close the text
        last_article = max(-1, len(blocks) - 1 - _SIGNATURE_BLOCKS)
    start = next(
        (
            i
            for i in range(last_article + 1, len(blocks))
            if _DISTRIBUTION.search(blocks[i].text)
            or _SIGNING_ROLE.match(blocks[i].text)
            or _SIGNED.search(blocks[i].text)
        ),
        None,
    )
    if start is None:
        return blocks, None
    # The signer's position in capitals ("CHỦ TỊCH QUỐC HỘI") stands just above "(Đã ký)".
    while start > last_article + 1 and _is_position(blocks[start - 1].text):
        start -= 1
    tail = blocks[start:]
    signer = None
    for block in tail:
        for piece in _pieces(block):
            name = _vietnamese_name(piece) or _trailing_name(_SIGNED.sub(" ", piece))
            signer = name or signer  # the signer's name is the last one in the block
    return blocks[:start], signer


def _vietnamese_name(text: str) -> str | None:
    """Return the last "Surname Middle Given" name in ``text`` (two columns may share a line)."""
    found = None
    words = text.split()
    for index, word in enumerate(words):
        if word not in _SURNAMES:
            continue
        run = [word]
        for following in words[index + 1 : index + 5]:
            if not (following.isalpha() and following[:1].isupper() and following[1:].islower()):
                break
            run.append(following)
        if len(run) >= 2:
            found = " ".join(run)
    return found


def _is_position(text: str) -> bool:
    return len(text) <= 80 and text.isupper() and not _RULE_LINE.match(text)


def _trailing_name(text: str) -> str | None:
    """Return the person's name that ends ``text`` ("... THỦ TƯỚNG Nguyễn Tấn Dũng"), if any."""
    run: list[str] = []
    for word in reversed(text.split()):
        if not (word.isalpha() and word[:1].isupper() and (word[1:].islower() or len(word) == 1)):
            break
        run.append(word)
    if not 2 <= len(run) <= 5 or _NOT_NAMES & {word.lower() for word in run}:
        return None
    return " ".join(reversed(run))


# --- Structure -----------------------------------------------------------------------------------


def _structural(text: str) -> bool:
    folded = fold(text)
    return bool(
        _PART.match(folded)
        or _CHAPTER.match(folded)
        or _SECTION.match(folded)
        or _article_heading(text)
    )


def _article_heading(text: str) -> re.Match[str] | None:
    """Return the match of an article heading ("Điều 5. ...", "Article 3"), else None."""
    found = _ARTICLE.match(fold(text))
    if found is None:
        return None
    rest = text[found.end() :]
    # "Article 5 of the Constitution says ..." is prose; a heading's title starts in capitals.
    titled = found.group(0).rstrip().endswith((".", ":", "-", "–", "—"))
    if rest and not titled and not rest[:1].isupper():
        return None
    return found


def is_legal(blocks: list[Block]) -> bool:
    """Return whether the blocks are laid out in articles (two or more article headings)."""
    numbers = []
    for block in blocks:
        found = _article_heading(block.text)
        if found is not None and len(block.text) <= 400:
            numbers.append(int(re.sub(r"\D", "", found.group("number"))))
    if len(numbers) < _MIN_ARTICLES:
        return False
    # Articles come in order; a text quoting an article or two out of order is still prose.
    rising = sum(1 for a, b in itertools.pairwise(numbers) if b >= a)
    return rising >= 0.8 * (len(numbers) - 1)


@dataclass
class _Path:
    part: str | None = None
    chapter: str | None = None
    section: str | None = None
    article: str | None = None

    def label(self) -> str | None:
        parts = [p for p in (self.part, self.chapter, self.section, self.article) if p]
        return SEPARATOR.join(parts) if parts else None


def _heading_label(text: str, match_end: int, limit: int = 150) -> str:
    """Return the heading's label: the whole line when short, else its number only."""
    if len(text) <= limit:
        return text.rstrip(" .:")
    return text[:match_end].rstrip(" .:-–—")


def mark_structure(blocks: list[Block]) -> list[Block]:
    """Label each block with its structural path, article number and clause number."""
    path = _Path()
    article: str | None = None
    clause: str | None = None
    marked: list[Block] = []
    title_pending = False  # a chapter or part number line is often followed by its title
    for block in blocks:
        text = block.text
        folded = fold(text)
        kind = block.kind
        heading = None
        for level, pattern in (("part", _PART), ("chapter", _CHAPTER), ("section", _SECTION)):
            found = pattern.match(folded)
            if found and len(text) <= 200:
                heading = level
                label = text[: found.end()].strip()
                if level == "part":
                    path = _Path(part=label)
                elif level == "chapter":
                    path = _Path(part=path.part, chapter=label)
                else:
                    path = _Path(part=path.part, chapter=path.chapter, section=label)
                break
        article_match = None if heading else _article_heading(text)
        if heading:
            article = clause = None
            kind = "heading"
            title_pending = True
        elif article_match is not None:
            article = article_match.group("number").lower()
            path.article = _heading_label(text, article_match.end())
            clause = None
            kind = "heading"
            title_pending = False
        elif title_pending and len(text) <= 200 and not re.search(r"[.;:,]$", text):
            kind = "heading"  # "QUY ĐỊNH CHUNG" under "Chương I"
            title_pending = False
        else:
            title_pending = False
            if article is not None:
                found_clause = _CLAUSE.match(folded)
                if found_clause:
                    clause = found_clause.group("number")
            kind = "paragraph" if article is not None else kind
        marked.append(
            replace(block, kind=kind, section=path.label(), article=article, clause=clause)
        )
    return marked


def clause_label(language: str, clauses: list[str]) -> str:
    """Return "khoản 2" or "khoản 2–4" (``Clause`` in English) for the clauses of a chunk."""
    word = CLAUSE_WORDS.get(language, CLAUSE_WORDS["en"])
    if len(clauses) == 1:
        return f"{word} {clauses[0]}"
    return f"{word} {clauses[0]}–{clauses[-1]}"


def type_of_title(title: str) -> str | None:
    """Return the document type a title starts with ("Luật Trọng tài thương mại" -> "Luật")."""
    lowered = title.casefold()
    names = sorted(set(DOCUMENT_TYPE_NAMES.values()), key=len, reverse=True)
    return next((name for name in names if lowered.startswith(name.casefold() + " ")), None)
