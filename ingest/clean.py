"""Turn loaded blocks into a clean document: debris removed, metadata found, sections marked.

News pages copied into text files carry comment counters, share links, photo captions, a
``Source:`` line, a dateline and a byline around the article. The metadata among them (date, url,
author) is kept as metadata and the rest is dropped, so that none of it is indexed or quoted.
Precedence for every field: the sidecar file, then what the format states, then the text; for
the date, a file's creation time (PDF, DOCX properties) comes last, after any date the text
states, and a date in the future is never a publication date. An official document's header
(issuing body, number, dateline, type and subject) gives its metadata, see :mod:`ingest.legal`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Literal

import yaml

from ingest import legal
from ingest.loaders import FILE_DATE, FILE_TITLE, METADATA_KEYS, metadata_value
from ingest.model import VALIDITY_KEYS, Block, CleanDocument, LoadedDocument, LoadError
from vectorstore.text import detect_language, find_document_numbers, fold, split_sentences

logger = logging.getLogger(__name__)

# --- Sidecar metadata ----------------------------------------------------------------------------


def sidecar_paths(path: Path) -> list[Path]:
    """Return where the sidecar metadata of ``path`` may be, most specific first."""
    return [path.with_name(f"{path.name}.meta.yaml"), path.with_name(f"{path.stem}.meta.yaml")]


def read_sidecar(path: Path) -> dict[str, str] | None:
    """Read the ``.meta.yaml`` next to ``path``, if there is one, into checked string values."""
    sidecar = next((candidate for candidate in sidecar_paths(path) if candidate.is_file()), None)
    if sidecar is None:
        return None
    try:
        values = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise LoadError(f"{sidecar.name}: unreadable sidecar: {error}") from error
    except yaml.YAMLError as error:
        problem = " ".join(str(error).split())
        raise LoadError(f"{sidecar.name}: not valid YAML: {problem}") from error
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise LoadError(f"{sidecar.name}: expected key: value lines")
    result: dict[str, str] = {}
    for key, value in values.items():
        if key not in METADATA_KEYS and key not in VALIDITY_KEYS:
            allowed = ", ".join((*METADATA_KEYS, *VALIDITY_KEYS))
            raise LoadError(f"{sidecar.name}: unknown key {key!r} (allowed: {allowed})")
        if value is None or value == "":
            continue
        if key in VALIDITY_KEYS:  # checked by ingest.validity, which knows their forms
            items = value if isinstance(value, list) else [value]
            result[key] = "; ".join(metadata_value(item) for item in items)
            continue
        text = metadata_value(value)
        if key == "date":
            parsed = parse_date(text)
            if parsed is None:
                raise LoadError(f"{sidecar.name}: date: cannot read {text!r} as a date")
            text = parsed
        elif key == "language":
            language = _language_code(text)
            if language is None:
                raise LoadError(f"{sidecar.name}: language: {text!r} is not en or vi")
            text = language
        result[key] = text
    return result


def _language_code(value: str) -> Literal["en", "vi"] | None:
    primary = value.strip().lower().replace("_", "-").split("-")[0]
    if primary == "vi":
        return "vi"
    if primary == "en":
        return "en"
    return None


# --- Dates ---------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month_name>{})\.?".format("|".join(sorted(_MONTHS, key=len, reverse=True)))
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
# Matched on folded text ("ngày 14 tháng 10 năm 2018" -> "ngay 14 thang 10 nam 2018"); full dates
# come before the partial ones that would match inside them.
_DATE_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?!\d)", re.I),
    re.compile(rf"\b{_YEAR}/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-]{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+thang\s+(?P<m>\d{{1,2}}),?\s+nam\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(?:in\s+|of\s+)?{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\bthang\s+(?P<m>\d{{1,2}}),?\s+nam\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", re.I),
    re.compile(rf"^\s*{_YEAR}\s*$"),
]


def parse_date(text: str) -> str | None:
    """Return the first date stated in ``text`` in ISO form (YYYY-MM-DD, YYYY-MM or YYYY)."""
    found = _find_date(text)
    return found[2] if found else None


def _find_date(text: str) -> tuple[int, int, str] | None:
    """Return (start, end, ISO date) of the first date in ``text``."""
    folded = fold(text)
    best: tuple[int, int, str] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            iso = _iso_date(match)
            if iso is None:
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), match.end(), iso)
            break
    return best


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, ISO date) of every date stated in ``text``, in order, not overlapping."""
    folded = fold(text)
    found: list[tuple[int, int, str]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            iso = _iso_date(match)
            overlaps = any(match.start() < end and start < match.end() for start, end, _ in found)
            if iso is not None and not overlaps:
                found.append((match.start(), match.end(), iso))
    return sorted(found)


def _iso_date(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    year = int(groups["y"])
    month_name = groups.get("month_name")
    month = _MONTHS[month_name.lower()] if month_name else int(groups.get("m") or 0)
    day = int(groups.get("d") or 0)
    if not month:
        return f"{year:04d}"
    if month > 12 and 0 < day <= 12:  # month first, as in 10/14/2018
        month, day = day, month
    if not 1 <= month <= 12:
        return None
    if not day:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


_DATELINE_NOISE = re.compile(
    r"""
    \b\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:am|pm|sa|ch))?\b            # 09:42, 9h30
  | \(?\s*\b(?:gmt|utc)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)?       # (GMT+7)
  | \b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday
       |mon|tue|tues|wed|thur|thurs|fri|sat|sun
       |thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s+nhat|cn)\b
  | \b(?:last\s+updated|updated|posted|published|date|on|at|ngay\s+dang|cap\s+nhat
       |dang\s+luc|dang\s+ngay|xuat\s+ban|luc|ngay)\b
    """,
    re.I | re.X,
)


_DATED_LABEL = re.compile(r"\b(?:dated|issued|ban\s+hanh)\s*:?\s*$", re.I)
_DATELINE_NAME_WORDS = 6


def _dateline(text: str) -> str | None:
    """Return the ISO date of a line that states a date and nothing else (bar a place name)."""
    if len(text) > 80:
        return None
    found = _find_date(text)
    if found is None:
        return None
    start, end, iso = found
    labelled = _DATED_LABEL.search(fold(text[:start])) is not None
    before = _DATELINE_NOISE.sub(" ", fold(text[:start]))
    after = _DATELINE_NOISE.sub(" ", fold(text[end:]))
    if re.sub(r"[\W_]+", "", after):
        return None
    words = re.sub(r"[\W_]+", " ", before).split()
    # A place may head a dateline: "Hà Nội, ngày 14 tháng 10 năm 2018".
    place = before.rstrip().endswith(",") and all(word[:1].isupper() for word in words)
    # So may a publisher or a document: "Border Guard Newspaper - 8 April 2025",
    # "Đảng ủy xã Tân Lập - ngày 5 tháng 12 năm 2025", "Report dated 15 December 2025".
    named = (
        (labelled or before.rstrip().endswith(("-", "–", "—", "|", ":")))
        and bool(words)
        and words[0][:1].isupper()
        and len(words) <= _DATELINE_NAME_WORDS
    )
    return iso if not words or (place and len(words) <= 3) or named else None


def _not_future(iso: str | None) -> str | None:
    """Return ``iso`` unless it lies in the future: a document cannot be published tomorrow."""
    if iso is None:
        return None
    today = date.today().isoformat()
    return iso if iso <= today[: len(iso)] else None


# --- Debris --------------------------------------------------------------------------------------

_DEBRIS_WORDS = re.compile(
    r"""^(?:
        (?:your\s+)?comments?\s*\(\d+\) | \d+\s+comments? | comments?
      | (?:bình\s+luận|ý\s+kiến(?:\s+bạn\s+đọc)?|phản\s+hồi)\s*\(\d+\)
      | share(?:\s+this)? | print(?:\s+this\s+article)? | print | e-?mail | tweet | facebook
      | twitter | zalo | linkedin | back\s+to\s+top | go\s+to\s+top | top | save | send
      | chia\s+sẻ | in\s+bài(?:\s+viết)? | lên\s+đầu\s+trang | về\s+đầu\s+trang | quay\s+lại
      | trở\s+về | gửi | lưu | bản\s+in
    )$""",
    re.I | re.X,
)
_DEBRIS_SEPARATOR = re.compile(r"\s*[|·•/]\s*")
_SOURCE_LINE = re.compile(r"^(?:source|nguồn)\s*:\s*(?P<url>https?://\S+)$", re.I)
# "(Baonghean) -", "NDO -", "HANOI (VNA) -": the agency that wrote a lead paragraph.
_AGENCY_TAG = re.compile(
    r"^\s*(?:(?:[^\W\d_][\w .]{0,25}\s)?\([^()]{2,40}\)|[A-ZĐ][A-ZĐ.]{1,11})\s*[-–—]+\s*"
)


def _is_debris(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith("|"):
        return True  # a photo caption of a table-laid-out image, or a lone cell rule
    parts = [part for part in _DEBRIS_SEPARATOR.split(stripped) if part]
    return bool(parts) and all(_DEBRIS_WORDS.match(part) for part in parts)


# --- Bylines -------------------------------------------------------------------------------------

_LABELLED_BYLINE = re.compile(
    r"""^(?:
        (?:article|text|story|report)\s+and\s+photos?\s*: | authors?\s*: | tác\s+giả\s*:
      | bài\s+và\s+ảnh\s*: | bài,\s*ảnh\s*: | bài\s*: | (?:written\s+)?by\s*:?(?=\s)
    )\s*(?P<who>\S.*)$""",
    re.I | re.X,
)
_BYLINE_LIMIT = 250
_GLUED_BYLINE = re.compile(r"[.!?…][\"'”’)]*(?=[^\W\d_])")
_RANK_WORDS = frozenset(
    {
        "maj.", "gen.", "lt.", "col.", "capt.", "adm.", "brig.", "sr.", "jr.", "dr.", "prof.",
        "assoc.", "mr.", "mrs.", "ms.", "pgs.", "ts.", "ths.", "gs.", "pgs.ts.", "senior",
        "lieutenant", "general", "colonel", "major", "captain", "professor", "doctor", "comrade",
        "đồng", "chí",
    }
)  # fmt: skip
# Capitalised words that name institutions, not people: a line made of them is not a byline.
_NOT_NAME_WORDS = frozenset(
    {
        "party", "committee", "commission", "department", "ministry", "mass", "mobilization",
        "people", "people's", "people’s", "army", "central", "national", "conference", "resolution",
        "decree", "directive", "conclusion", "regulation", "regulations", "province", "provincial",
        "district", "commune", "village", "state", "government", "front", "fatherland", "union",
        "association", "council", "office", "news", "newspaper", "agency", "university",
        "institute", "city", "law", "article", "photo", "photos", "source", "comment", "comments",
        "related", "read", "more", "home", "page", "next", "previous", "back", "top", "the",
        "đảng", "ủy", "ban", "bộ", "tỉnh", "huyện", "xã", "sở", "hội", "báo", "nghị", "quyết",
    }
)  # fmt: skip
_TITLE_FUNCTION_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "at", "to", "&"})
_NAME_SEPARATOR = re.compile(r"\s+[-–—&]\s+|\s+(?:and|và)\s+")
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-][^\W\d_])*\.?")


def _is_person(text: str) -> bool:
    """Tell whether ``text`` is one person's name, with a rank or honorific allowed before it."""
    words = [word for word in text.split() if word.casefold() not in _RANK_WORDS]
    return 2 <= len(words) <= 5 and all(
        word[:1].isupper()
        and _NAME_WORD.fullmatch(word) is not None
        and word.casefold() not in _NOT_NAME_WORDS
        for word in words
    )


def _is_job_title(text: str) -> bool:
    """Tell whether ``text`` reads as a position ("Head of the PCC's Commission for ...")."""
    words = [word.strip("()") for word in text.split()]
    words = [word for word in words if word]
    return (
        bool(words)
        and words[0][:1].isupper()
        and all(word[:1].isupper() or word in _TITLE_FUNCTION_WORDS for word in words)
    )


def _is_byline(text: str, *, names_only_before_comma: bool = True) -> bool:
    """Tell whether ``text`` is names, each optionally followed by ", <position>, ..."."""
    if len(text) > _BYLINE_LIMIT or re.search(r"[.!?;:]$", text):
        return False
    head, _, rest = text.partition(",")
    names = _NAME_SEPARATOR.split(head.strip())
    if not all(_is_person(name) for name in names):
        return False
    segments = [segment.strip() for segment in rest.split(",")] if rest else []
    if names_only_before_comma:
        return all(_is_job_title(segment) for segment in segments)
    return all(_is_person(segment) or _is_job_title(segment) for segment in segments)


def _byline_author(text: str) -> str | None:
    """Return the author a byline line names, or None when the line is not a byline."""
    labelled = _LABELLED_BYLINE.match(text)
    if labelled:
        who = labelled.group("who").strip()
        return who if _is_byline(who, names_only_before_comma=False) else None
    return text if _is_byline(text) else None


def _split_glued_byline(text: str) -> tuple[str, str] | None:
    """Split "...the country.Article and photos: NGUYEN SON" into the sentence and the byline."""
    tail_start = max(0, len(text) - _BYLINE_LIMIT)
    for match in reversed(list(_GLUED_BYLINE.finditer(text, tail_start))):
        tail = text[match.end() :]
        labelled = _LABELLED_BYLINE.match(tail) is not None
        if (labelled or tail.isupper()) and _byline_author(tail) is not None:
            return text[: match.end()], tail
    return None


# --- Titles and headings -------------------------------------------------------------------------

_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}
_TERMINAL = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
# "Chương I", "Điều 5.", "Article 3", "II.", "2.1", "3)", "B." at the start of a short line.
_NUMBERED_HEADING = re.compile(
    r"^(?:(?i:chương|phần|mục|điều|chapter|part|section|article)\s+[\dIVXLC]+\b"
    r"|[IVXLC]{1,6}[.)]\s|\d{1,2}(?:\.\d{1,2})+\.?\s|\d{1,2}[.)]\s|[A-Z][.)]\s)"
)
_TITLE_LIMIT = 150


def _strip_quotes(text: str) -> str:
    closing = _QUOTE_PAIRS.get(text[:1])
    if closing and text.endswith(closing) and len(text) > 2:
        return text[1:-1].strip()
    return text


def _is_title_line(text: str) -> bool:
    line = _strip_quotes(text)
    return (
        len(line) <= 200
        and len(line.split()) <= 30
        and not re.search(r"[.;:,]$", line)
        and not line[:1].islower()
    )


def _is_short_heading(text: str) -> bool:
    return (
        len(text) <= 150
        and len(text.split()) <= 20
        and not _TERMINAL.search(text)
        and " | " not in text
        and text.lstrip("\"'“‘(«0123456789. ")[:1].isupper()
    )


def _title_index(blocks: list[Block]) -> int | None:
    """Find the block that is the document's title: a leading heading, else a title-like line."""
    for index, block in enumerate(blocks[:3]):
        if block.kind == "heading":
            return index
        if len(block.text) > 150 or _TERMINAL.search(block.text):
            break  # the body has begun
    if blocks and _is_title_line(blocks[0].text):
        return 0
    return None


def _derived_title(blocks: list[Block]) -> str:
    """Make a title from the first sentence of a document that has none."""
    text = _AGENCY_TAG.sub("", blocks[0].text, count=1)
    sentences = split_sentences(text)
    first = text[sentences[0][0] : sentences[0][1]] if sentences else text
    if len(first) <= _TITLE_LIMIT:
        return first
    cut = first[:_TITLE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def _same_text(first: str, second: str) -> bool:
    return _dedupe_key(_strip_quotes(first)) == _dedupe_key(_strip_quotes(second))


def _mark_sections(blocks: list[Block]) -> list[Block]:
    """Promote short unpunctuated lines between paragraphs to headings and label sections."""
    marked: list[Block] = []
    section: str | None = None
    for index, block in enumerate(blocks):
        kind = block.kind
        if kind == "paragraph" and _is_short_heading(block.text):
            previous = blocks[index - 1] if index else None
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            numbered = _NUMBERED_HEADING.match(block.text) is not None
            between_paragraphs = (
                previous is not None
                and previous.kind == "paragraph"
                and following is not None
                and following.kind == "paragraph"
                and len(following.text) > len(block.text)
            )
            if numbered or between_paragraphs:
                kind = "heading"
        if kind == "heading":
            section = block.text
        marked.append(replace(block, kind=kind, section=section))
    return marked


# --- Duplicates ----------------------------------------------------------------------------------

_DEDUPE_MIN = 40  # shorter paragraphs ("Yes.", a table row) may repeat legitimately
_CONTAINED_MIN = 80
_CONTAINED_WINDOW = 5  # a lead repeated as the first body paragraph sits close to its copy


def _dedupe_key(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", _AGENCY_TAG.sub("", text, count=1)).casefold().split())


def _without_duplicates(blocks: list[Block]) -> list[Block]:
    """Keep one copy of a repeated paragraph: the first, or the longer one that contains it."""
    keys = [_dedupe_key(block.text) if block.kind == "paragraph" else "" for block in blocks]
    first_seen: dict[str, int] = {}
    dropped: set[int] = set()
    for index, key in enumerate(keys):
        if len(key) < _DEDUPE_MIN:
            continue
        if key in first_seen:
            dropped.add(index)
            continue
        first_seen[key] = index
    for index, key in enumerate(keys):
        if index in dropped or len(key) < _CONTAINED_MIN:
            continue
        window = range(max(0, index - _CONTAINED_WINDOW), index + _CONTAINED_WINDOW + 1)
        for other in window:
            if other == index or other >= len(keys) or other in dropped:
                continue
            if len(keys[other]) > len(key) and key in keys[other]:
                dropped.add(index)
                break
    if dropped:
        logger.debug("dropped %d repeated paragraphs", len(dropped))
    return [block for index, block in enumerate(blocks) if index not in dropped]


# --- The document --------------------------------------------------------------------------------


def clean_document(loaded: LoadedDocument, sidecar: dict[str, str] | None = None) -> CleanDocument:
    """Remove debris from ``loaded``, extract its metadata and mark its sections."""
    sidecar = sidecar or {}
    stated = loaded.format_metadata
    blocks: list[Block] = []
    source_url: str | None = None
    for block in loaded.blocks:
        source = _SOURCE_LINE.match(block.text)
        if source:
            source_url = source_url or source.group("url")
        elif not _is_debris(block.text):
            blocks.append(block)
    if not blocks:
        raise LoadError("no text left after cleaning")

    glued = _split_glued_byline(blocks[-1].text)
    if glued is not None:
        blocks[-1:] = [replace(blocks[-1], text=glued[0]), replace(blocks[-1], text=glued[1])]

    header, blocks = legal.take_official_header(blocks)
    is_legal = legal.is_legal(blocks)
    signer = None
    if header is not None or is_legal or legal.ends_with_distribution(blocks):
        blocks, signer = legal.take_signature(blocks)
    if header is not None and header.date_text:
        text_date = _not_future(parse_date(header.date_text))
    else:
        text_date, blocks = _take_dateline(blocks)
    text_author, blocks = _take_byline(blocks)
    if not blocks:
        raise LoadError("no text left after cleaning")

    title_index = _title_index(blocks)
    # An official header names the document as cadres cite it; file properties often hold a
    # file name or an editor's placeholder, so they come after it, as the dates do.
    title = (
        sidecar.get("title")
        or stated.get("title")
        or (header.title if header else None)
        or stated.get(FILE_TITLE)
    )
    if title is None and title_index is not None:
        title = _strip_quotes(blocks[title_index].text)
    if title_index is not None and title and _same_text(blocks[title_index].text, title):
        del blocks[title_index]
    if not blocks:
        raise LoadError("no text besides the title")
    title = title or _derived_title(blocks)

    # Clauses of different articles may repeat word for word; a legal text keeps every one.
    if is_legal:
        blocks = legal.mark_structure(blocks)
    else:
        blocks = _mark_sections(_without_duplicates(blocks))
    text, spans = _join(blocks)
    language = _language_code(sidecar.get("language") or stated.get("language") or "")
    dates = (
        sidecar.get("date"),
        _not_future(parse_date(stated.get("date", ""))),
        text_date,
        _not_future(parse_date(stated.get(FILE_DATE, ""))),
    )
    return CleanDocument(
        title=title,
        blocks=blocks,
        text=text,
        language=language or ("vi" if detect_language(text) == "vi" else "en"),
        date=next((found for found in dates if found), None),
        author=sidecar.get("author") or stated.get("author") or text_author,
        url=sidecar.get("url") or stated.get("url") or source_url,
        issuer=sidecar.get("issuer") or stated.get("issuer") or (header.issuer if header else None),
        # Its own number first: the header that states it is not part of the indexed text.
        document_numbers=list(dict.fromkeys(
            ([header.number_key] if header and header.number_key else [])
            + [n.key for n in find_document_numbers(f"{title}\n\n{text}")]
        )),
        block_spans=spans,
        doc_type=(header.doc_type if header else None)
        or (legal.type_of_title(title) if is_legal else None),
        number=header.number_key if header else None,
        signer=signer,
        legal=is_legal,
    )


def _take_dateline(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """Remove datelines at the top and bottom of the document; return the first date stated."""
    count = len(blocks)
    edges = sorted(set(range(min(3, count))) | set(range(max(0, count - 3), count)))
    found: dict[int, str] = {}
    for index in edges:
        iso = _not_future(_dateline(blocks[index].text))
        if iso is not None:
            found[index] = iso
    kept = [block for index, block in enumerate(blocks) if index not in found]
    return (found[min(found)] if found else None), kept


def _take_byline(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """Remove the byline: the last block when it names people, or a labelled line near the top."""
    if len(blocks) > 1:
        author = _byline_author(blocks[-1].text)
        if author is not None:
            return author, blocks[:-1]
    for index, block in enumerate(blocks[:3]):
        if _LABELLED_BYLINE.match(block.text) and index + 1 < len(blocks):
            author = _byline_author(block.text)
            if author is not None:
                return author, blocks[:index] + blocks[index + 1 :]
    return None, blocks


def _join(blocks: list[Block]) -> tuple[str, list[tuple[int, int]]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for block in blocks:
        spans.append((position, position + len(block.text)))
        position += len(block.text) + 2
    return "\n\n".join(block.text for block in blocks), spans
