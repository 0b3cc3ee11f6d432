"""Read documents of each supported format into blocks of text: headings and paragraphs.

Every loader returns NFC text with odd whitespace normalised and nothing else changed; deciding
what is debris, a title, a date or a byline is left to :mod:`ingest.clean`. Any failure to read a
file becomes a :class:`~ingest.model.LoadError` with a one-line reason, never a library traceback.
"""

from __future__ import annotations

import codecs
import html
import io
import logging
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import docx
import yaml
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PreformattedString, Tag
from docx.opc.coreprops import CoreProperties
from docx.table import Table
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from ingest.model import ArchiveTooLarge, Block, FormatMismatch, LoadedDocument, LoadError
from ingest.ocr import OcrError, recognise_pages
from ingest.settings import OcrMode
from vectorstore.text import nfc, one_line

logger = logging.getLogger(__name__)

METADATA_KEYS = ("title", "url", "date", "author", "issuer", "language")
# When the file was made (PDF CreationDate, DOCX created): a date only when the text states none.
FILE_DATE = "file_date"
# A PDF or DOCX title property: often a file name or a placeholder, so a title the text states
# (an official header) wins over it.
FILE_TITLE = "file_title"

_Loaded = tuple[list[Block], dict[str, str]]

# --- Text normalisation --------------------------------------------------------------------------

# Zero-width characters and soft hyphens carry no letters; they break matching and splitting.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"})
_ODD_SPACES = re.compile(r"[\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN = re.compile(r"\s+")


def _tidy_line(text: str) -> str:
    """Return ``text`` in NFC with invisible characters dropped and odd spaces made plain."""
    return _ODD_SPACES.sub(" ", nfc(text).translate(_INVISIBLE))


def _tidy(text: str) -> str:
    """Return ``text`` as one line: NFC, invisible characters dropped, whitespace collapsed."""
    return _SPACE_RUN.sub(" ", _tidy_line(text)).strip()


# --- Decoding -----------------------------------------------------------------------------------

# cp1258 is the Vietnamese Windows code page; cp1252 is tried last for Western text it rejects.
_LEGACY_ENCODINGS = ("cp1258", "cp1252")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _decode_text(data: bytes, path: Path) -> str:
    """Decode the bytes of a text file: UTF-8, UTF-16 with a BOM, then cp1258 and cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        logger.warning("%s: decoded as UTF-16", path.name)
    else:
        text = _decode_without_bom(data, path)
    # Text has at most a stray control character; binary data has many (and NUL bytes).
    if "\x00" in text or len(_CONTROL.findall(text)) > max(3, len(text) // 200):
        raise LoadError("binary content, not text")
    return text


def _decode_without_bom(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in _LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        logger.warning("%s: not UTF-8, decoded as %s", path.name, encoding)
        return text
    raise LoadError("not text in UTF-8, UTF-16, cp1258 or cp1252")


# --- Paragraphs from lines (plain text, PDF) ------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_LINE_OPENERS = "\"'“‘«(•·-–—*+ "
_PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?(?:(?:page|trang)\s+)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?(?:\s*[-–—])?",
    re.IGNORECASE,
)


# A lettered point of a legal clause: "a) ...", "đ) ...".
_POINT_OPENER = re.compile(r"^\(?[a-zđ]\)\s")


def _join_wrapped(lines: list[str]) -> list[str]:
    """Re-join lines that a layout wrapped into paragraphs.

    A paragraph ends at a blank line, at a line ending with sentence punctuation before a line
    starting with a capital, a digit or a bullet, or at a line much shorter than the others.
    """
    widths = sorted(len(line) for line in lines if line)
    full_width = widths[int(len(widths) * 0.8)] if widths else 0
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current.endswith("-") and current[-2:-1].isalpha() and line[:1].islower():
            current = current[:-1] + line  # a word hyphenated across lines
        else:
            current = f"{current} {line}" if current else line
        following = lines[index + 1] if index + 1 < len(lines) else ""
        opening = following.lstrip(_LINE_OPENERS)[:1]
        ends_sentence = bool(_SENTENCE_END.search(line)) and (
            opening.isupper() or opening.isdigit() or _POINT_OPENER.match(following) is not None
        )
        short = len(line) < 0.6 * full_width and not line.endswith("-")
        if following and (ends_sentence or short):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """Tell a text file wrapped at a fixed width from one that has a paragraph on each line."""
    filled = [line for line in lines if line]
    if len(filled) < 5:
        return False
    longest = max(len(line) for line in filled)
    wrapped = sum(1 for line in filled if 0.75 * longest <= len(line))
    return longest <= 100 and wrapped >= 0.6 * len(filled)


# --- Plain text ----------------------------------------------------------------------------------


def _load_text(data: bytes, path: Path) -> _Loaded:
    lines = [_tidy(line) for line in _decode_text(data, path).splitlines()]
    paragraphs = _join_wrapped(lines) if _looks_hard_wrapped(lines) else lines
    return [Block(text) for text in paragraphs if text], {}


# --- Markdown ------------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s+(?P<text>.*?))?(?:\s+#+)?\s*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_RULE = re.compile(r"^ {0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_QUOTE_MARKER = re.compile(r"^\s*(?:>\s?)+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")
_INLINE_RULES = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images say nothing in text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),
)


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return _tidy(html.unescape(text))


def _load_markdown(data: bytes, path: Path) -> _Loaded:
    text = _decode_text(data, path).replace("\r\n", "\n").replace("\r", "\n")
    metadata: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        metadata = _front_matter(front.group("yaml"), path)
        text = text[front.end() :]
    return list(_markdown_blocks(text.split("\n"))), metadata


def _front_matter(source: str, path: Path) -> dict[str, str]:
    try:
        values = yaml.safe_load(source)
    except yaml.YAMLError as error:
        logger.warning("%s: front matter ignored, not YAML: %s", path.name, one_line(error))
        return {}
    if not isinstance(values, dict):
        return {}
    return {
        key: metadata_value(values[key])
        for key in METADATA_KEYS
        if values.get(key) not in (None, "")
    }


def metadata_value(value: Any) -> str:
    """Render a YAML or format metadata value as a string (dates in ISO form)."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return _tidy(str(value))


def _markdown_blocks(lines: list[str]) -> Iterator[Block]:
    paragraph: list[str] = []
    fence: str | None = None
    code: list[str] = []

    def flush() -> Iterator[Block]:
        if paragraph:
            joined = _markdown_inline(" ".join(paragraph))
            if joined:
                yield Block(joined)
            paragraph.clear()

    for index, raw in enumerate(lines):
        if fence is not None:
            if raw.strip().startswith(fence):
                kept = "\n".join(_tidy_line(line).rstrip() for line in code).strip("\n")
                if kept.strip():
                    yield Block(kept)
                fence, code = None, []
            else:
                code.append(raw)
            continue
        opening = _FENCE.match(raw)
        heading = _ATX_HEADING.match(raw)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if opening:
            yield from flush()
            fence = opening.group("fence")
        elif heading:
            yield from flush()
            title = _markdown_inline(heading.group("text") or "")
            if title:
                yield Block(title, kind="heading")
        elif not raw.strip() or _RULE.match(raw) or _LINK_DEFINITION.match(raw):
            yield from flush()
        elif _SETEXT_UNDERLINE.match(following) and not paragraph and not _LIST_ITEM.match(raw):
            title = _markdown_inline(raw)
            if title:
                yield Block(title, kind="heading")
            lines[index + 1] = ""  # the underline is consumed with its heading
        elif raw.lstrip().startswith("|"):
            yield from flush()
            if not _TABLE_RULE.match(raw):
                cells = [_markdown_inline(cell) for cell in raw.strip().strip("|").split("|")]
                row = " | ".join(cell for cell in cells if cell)
                if row:
                    yield Block(row)
        else:
            line = _QUOTE_MARKER.sub("", raw)
            if _LIST_ITEM.match(line):
                yield from flush()
                line = _LIST_ITEM.sub("", line)
            paragraph.append(line.strip())
    if fence is not None and code:  # an unclosed fence keeps its text
        yield Block("\n".join(_tidy_line(line).rstrip() for line in code).strip("\n"))
    yield from flush()


# --- HTML ----------------------------------------------------------------------------------------

_DROPPED_TAGS = (
    "script", "style", "nav", "footer", "aside", "form", "noscript", "iframe", "svg", "button",
    "template", "figcaption", "select", "input", "textarea", "object", "embed", "canvas",
)  # fmt: skip
_DEBRIS_NAME = re.compile(
    r"(?:^|[-_\s])(?:share|sharing|social|comments?|related|breadcrumbs?|menu|navbar|advert\w*|"
    r"ads?|banner|sidebar|popup|modal|cookies?|newsletter|subscribe|promo|sponsored|print|"
    r"toolbar|pagination|tags?)(?:$|[-_\s])",
    re.IGNORECASE,
)
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Elements that end the run of inline text before them: every one of them starts a new block.
_BLOCK_TAGS = {
    "address", "article", "blockquote", "body", "dd", "details", "div", "dl", "dt", "fieldset",
    "figure", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "center", "br",
}  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—:]\s+")
_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
    "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued", "dcterms.date",
    "dcterms.issued", "article.published", "citation_publication_date",
)  # fmt: skip


def _load_html(data: bytes, path: Path) -> _Loaded:
    soup = _parse_html(data, path)
    metadata = _html_metadata(soup)
    root = _content_root(soup)
    for element in root.find_all(_DROPPED_TAGS):
        element.decompose()
    text_size = len(root.get_text(" ", strip=True))
    for element in list(root.find_all(True)):
        if element.decomposed or not _is_html_debris(element, root, text_size):
            continue
        element.decompose()
    if "date" not in metadata:
        stamp = root.find("time", attrs={"datetime": True})
        if stamp is not None:
            metadata["date"] = _tidy(str(stamp["datetime"]))
    blocks: list[Block] = []
    _html_blocks(root, blocks, [])
    return blocks, metadata


def _parse_html(data: bytes, path: Path) -> BeautifulSoup:
    declared = _CHARSET.search(data[:4096])
    text: str | None = None
    if declared is not None:
        charset = declared.group(1).decode("ascii")
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            logger.warning("%s: not in its declared charset %s", path.name, charset)
    if text is None:
        text = _decode_text(data, path)
    with warnings.catch_warnings():
        # A short page can look like a URL or an XHTML file to bs4; either way it is parsed.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(text, "lxml")


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    wanted = {name.lower() for name in names}
    for element in soup.find_all("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if isinstance(key, str) and key.lower() in wanted and isinstance(content, str):
            value = _tidy(content)
            if value:
                return value
    return None


def _html_metadata(soup: BeautifulSoup) -> dict[str, str]:
    metadata: dict[str, str] = {}
    canonical = soup.find("link", rel="canonical", href=True)
    url = _tidy(str(canonical["href"])) if isinstance(canonical, Tag) else None
    url = url or _meta(soup, "og:url")
    if url:
        metadata["url"] = url
    title = _meta(soup, "og:title", "twitter:title")
    if title is None and soup.title is not None:
        title = _strip_site_name(_tidy(soup.title.get_text()), _meta(soup, "og:site_name"))
    if title:
        metadata["title"] = title
    published = _meta(soup, *_DATE_META)
    if published:
        metadata["date"] = published
    author = _meta(soup, "author", "article:author", "dc.creator", "byl")
    if author and not author.startswith(("http://", "https://")):
        metadata["author"] = author
    document = soup.find("html")
    language = document.get("lang") if isinstance(document, Tag) else None
    if isinstance(language, str) and language.strip():
        metadata["language"] = language.strip().split("-")[0].lower()
    return metadata


def _strip_site_name(title: str, site_name: str | None) -> str:
    """Drop a site name appended to a page title ("Resolution 25 - Nhân Dân")."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    last = parts[-1]
    words = last.split()
    looks_like_site = (site_name is not None and last.casefold() == site_name.casefold()) or (
        len(words) <= 4 and all(word[:1].isupper() or "." in word for word in words)
    )
    if not looks_like_site:
        return title
    return title[: title.rfind(last)].rstrip(" -|–—:")


def _content_root(soup: BeautifulSoup) -> Tag:
    """Return the element holding the article: ``<article>`` or ``<main>``, else ``<body>``."""
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda element: len(element.get_text(" ", strip=True)))
    for candidate in (soup.find("main"), soup.body):
        if isinstance(candidate, Tag):
            return candidate
    return soup


def _is_html_debris(element: Tag, root: Tag, text_size: int) -> bool:
    if element.name == "header":
        # An article's own header carries its title; a page header carries the site's menus.
        return element.find(["h1", "h2", "h3"]) is None or root.name == "body"
    names = " ".join(
        " ".join(value) if isinstance(value, list) else str(value)
        for value in (element.get("class"), element.get("id"), element.get("role"))
        if value
    )
    if not names or not _DEBRIS_NAME.search(names):
        return False
    # A wrapper whose class merely mentions a sidebar may still hold the article itself.
    return len(element.get_text(" ", strip=True)) < 0.5 * text_size and not element.find(
        ["article", "main"]
    )


def _html_blocks(node: Tag, blocks: list[Block], inline: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):  # comments, CDATA, doctypes
                inline.append(str(child))
        elif not isinstance(child, Tag):
            continue
        elif child.name in _HEADING_TAGS:
            _flush_inline(inline, blocks)
            _add_heading(child, blocks)
        elif child.name == "header":
            # Of an article's own header only the title is text; its dateline and byline are
            # read from the meta tags.
            _flush_inline(inline, blocks)
            for heading in child.find_all(_HEADING_TAGS):
                _add_heading(heading, blocks)
        elif child.name in _BLOCK_TAGS:
            _flush_inline(inline, blocks)
            _html_blocks(child, blocks, inline)
            _flush_inline(inline, blocks)
        else:
            _html_blocks(child, blocks, inline)


def _add_heading(element: Tag, blocks: list[Block]) -> None:
    text = _tidy(element.get_text())
    if text:
        blocks.append(Block(text, kind="heading"))


def _flush_inline(inline: list[str], blocks: list[Block]) -> None:
    text = _tidy("".join(inline))
    inline.clear()
    if text:
        blocks.append(Block(text))


# --- PDF -----------------------------------------------------------------------------------------

# Fewer letters than this on a page means it has no real text layer: it is scanned.
_MIN_TEXT_LAYER_LETTERS = 25


def _load_pdf(data: bytes, path: Path, ocr: OcrMode = "off") -> _Loaded:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError as error:
            raise LoadError(f"encrypted PDF ({one_line(error)})") from error
        if opened == PasswordType.NOT_DECRYPTED:
            raise LoadError("encrypted PDF")
    pages = [
        [_tidy(line.translate(_LIGATURES)) for line in (page.extract_text() or "").splitlines()]
        for page in reader.pages
    ]
    scanned = [index for index, lines in enumerate(pages) if not _has_text_layer(lines)]
    recognised = _recognise(data, path, scanned, every_page=len(scanned) == len(pages), mode=ocr)
    for index, text in recognised.items():
        pages[index] = [_tidy(line) for line in text.splitlines()]
    pages = _without_running_lines(pages)
    blocks = [
        Block(paragraph, page=number, ocr=number - 1 in recognised)
        for number, lines in enumerate(pages, start=1)
        for paragraph in _join_wrapped(lines)
    ]
    if not blocks:
        if ocr == "off":
            raise LoadError("no extractable text (scanned PDF?)")
        raise LoadError("no text, not even by OCR")
    return blocks, _pdf_metadata(reader)


def _has_text_layer(lines: list[str]) -> bool:
    """Tell a page with text from one that is an image (a stray page number is not text)."""
    return sum(char.isalpha() for line in lines for char in line) >= _MIN_TEXT_LAYER_LETTERS


def _recognise(
    data: bytes, path: Path, scanned: list[int], *, every_page: bool, mode: OcrMode
) -> dict[int, str]:
    """OCR the ``scanned`` pages when ``mode`` allows; fail only if nothing else has text."""
    if not scanned or mode == "off":
        return {}
    try:
        texts = recognise_pages(data, scanned)
    except OcrError as error:
        if every_page:
            raise LoadError(f"scanned PDF, not OCR'd: {error}") from error
        logger.warning(
            "%s: pages %s have no text layer and were not OCR'd: %s",
            path.name, ", ".join(str(i + 1) for i in scanned), error,
        )
        return {}
    logger.info("%s: %d page(s) read by OCR", path.name, len(texts))
    return {index: text for index, text in texts.items() if _has_text_layer(text.splitlines())}


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and the headers and footers that repeat at the edge of most pages."""
    edges: Counter[str] = Counter()
    for lines in pages:
        texts = [line for line in lines if line]
        edges.update({_edge_key(line) for line in texts[:2] + texts[-2:]})
    # A line ending a sentence is the end of a paragraph, however often it recurs.
    repeated = {
        key
        for key, count in edges.items()
        if len(pages) >= 3 and count >= 0.6 * len(pages) and not _SENTENCE_END.search(key)
    }
    cleaned = []
    for lines in pages:
        filled = [i for i, line in enumerate(lines) if line]
        edge_indexes = set(filled[:2] + filled[-2:])
        cleaned.append(
            [
                line
                for i, line in enumerate(lines)
                if i not in edge_indexes
                or not (_PAGE_NUMBER.fullmatch(line) or _edge_key(line) in repeated)
            ]
        )
    return cleaned


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.casefold())


def _pdf_metadata(reader: PdfReader) -> dict[str, str]:
    info = reader.metadata
    if info is None:
        return {}
    metadata: dict[str, str] = {}
    title = _tidy(str(info.title or ""))
    # Producers often leave the source file name or a placeholder as the title.
    if title and not re.search(r"^(?:microsoft \w+ - |untitled)|\.(?:docx?|pdf|odt)$", title, re.I):
        metadata[FILE_TITLE] = title
    author = _tidy(str(info.author or ""))
    if author:
        metadata["author"] = author
    try:
        created = info.creation_date
    except ValueError:  # a malformed date string in the info dictionary
        created = None
    if created is not None:
        metadata[FILE_DATE] = created.date().isoformat()
    return metadata


# --- DOCX ----------------------------------------------------------------------------------------

_HEADING_STYLE = re.compile(r"^(?:heading\s*\d*|title)$", re.IGNORECASE)


def _load_docx(data: bytes, path: Path) -> _Loaded:
    check_docx_archive(data)  # before python-docx unpacks anything
    document = docx.Document(io.BytesIO(data))
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(Block(row) for row in _table_rows(item))
            continue
        text = _tidy(item.text)
        if not text:
            continue
        style = item.style.name if item.style is not None else ""
        kind: Literal["heading", "paragraph"] = (
            "heading" if _HEADING_STYLE.match(style or "") else "paragraph"
        )
        blocks.append(Block(text, kind=kind))
    return blocks, _docx_metadata(document.core_properties)


def _table_rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = _tidy(cell.text)
            if text:
                cells.append(text)
        if cells:
            yield " | ".join(cells)


def _docx_metadata(properties: CoreProperties) -> dict[str, str]:
    # python-docx's blank template says it was written by "python-docx" on 2013-12-23: neither is
    # a fact about the document.
    if properties.author == "python-docx":
        return {FILE_TITLE: _tidy(properties.title)} if _tidy(properties.title or "") else {}
    values = {
        FILE_TITLE: properties.title,
        "author": properties.author,
        FILE_DATE: properties.created,
    }
    return {key: metadata_value(value) for key, value in values.items() if value}


# --- Format checks ------------------------------------------------------------------------------

# A DOCX is a ZIP archive that python-docx unpacks into memory, and deflate packs up to about
# 1,000:1, so a 20 MB upload could unpack to 20 GB. Real documents, pictures included, stay far
# below this; Python's zipfile never returns more than a member's declared size (a member that
# lies about its size fails its CRC check), so summing the declared sizes bounds the unpacking.
MAX_DOCX_UNPACKED = 256 * 2**20
_DOCX_BODY = "word/document.xml"
PDF_HEADER_WINDOW = 1024  # readers accept the %PDF- header anywhere in the first kilobyte

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE (Word 97-2003)"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x7fELF", "ELF"),
)


def sniff_format(data: bytes) -> str:
    """Name the format of ``data`` from its magic bytes: PDF, ZIP, PNG..., else text or binary."""
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        return "PDF"
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return "binary" if b"\x00" in data[:4096] else "text"


def check_format(data: bytes, suffix: str) -> None:
    """Raise FormatMismatch unless ``data`` is in the format the extension ``suffix`` names."""
    actual = sniff_format(data)
    expected = {".pdf": "PDF", ".docx": "ZIP"}.get(suffix.lower(), "text")
    if actual != expected and not (expected == "text" and actual == "binary"):
        # Binary data under a text extension is left to the decoder, which says "binary content".
        raise FormatMismatch(suffix.lower().lstrip(".").upper(), actual)


def check_docx_archive(data: bytes) -> None:
    """Raise LoadError for a DOCX that would unpack too far or holds no Word document."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise LoadError(f"corrupt DOCX: {one_line(f'{type(error).__name__}: {error}')}") from error
    with archive:
        unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_DOCX_UNPACKED:
            raise ArchiveTooLarge(unpacked, MAX_DOCX_UNPACKED)
        if _DOCX_BODY not in archive.namelist():
            raise FormatMismatch("DOCX", "ZIP")


# --- Dispatch ------------------------------------------------------------------------------------

_LOADERS: dict[str, Callable[[bytes, Path], _Loaded]] = {
    ".txt": _load_text,
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}
_FORMAT_NAMES = {".pdf": "PDF", ".docx": "DOCX", ".html": "HTML", ".htm": "HTML"}


def load_document(path: Path, *, ocr: OcrMode = "off") -> LoadedDocument:
    """Read ``path`` into blocks and format metadata, or raise ``LoadError`` saying why not.

    With ``ocr="auto"``, PDF pages without a text layer are read by OCR.
    """
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise LoadError(f"unsupported file type {suffix or '(no suffix)'}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LoadError(f"unreadable file: {one_line(error.strerror or error)}") from error
    if not data.strip():
        raise LoadError("empty file")
    check_format(data, suffix)
    try:
        blocks, metadata = _load_pdf(data, path, ocr) if suffix == ".pdf" else loader(data, path)
    except LoadError:
        raise
    except Exception as error:  # every library fails differently; the reason is what matters
        kind = _FORMAT_NAMES.get(suffix, "file")
        raise LoadError(
            f"corrupt {kind}: {one_line(f'{type(error).__name__}: {error}')}"
        ) from error
    blocks = [block for block in blocks if block.text.strip()]
    if not blocks:
        raise LoadError("no text")
    logger.debug("%s: %d blocks", path.name, len(blocks))
    return LoadedDocument(path=path, blocks=blocks, format_metadata=_only_known(metadata))


def _only_known(metadata: dict[str, str]) -> dict[str, str]:
    known = (*METADATA_KEYS, FILE_DATE, FILE_TITLE)
    return {key: value for key, value in metadata.items() if key in known and value}
