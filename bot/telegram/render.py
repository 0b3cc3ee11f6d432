"""Turn answers, quotes and listings into Telegram HTML messages of at most 4,096 characters."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from bot.answering import messages
from bot.answering.types import Answer, Citation, SourceGroup
from bot.answering.validity import status_lines
from bot.records import Stats
from bot.telegram.i18n import Language, text
from bot.uploads import IndexedUpload, UploadRefused
from vectorstore.legalref import cited_name
from vectorstore.model import DocumentInfo
from vectorstore.validity import compute_statuses

MESSAGE_LIMIT = 4096  # Telegram's limit, counted on the text left after parsing the HTML

_MARKER = re.compile(r"\[(\d{1,3})\]")
_ATOM = re.compile(r"<[^<>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+);|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z-]+)")
_SENTENCE_END = frozenset(".!?;:")


def render_answer(answer: Answer, language: Language) -> list[str]:
    """Render an answer with bold ``[n]`` markers and a compact "Sources" block."""
    blocks = [_answer_text(answer.text)]
    groups = answer.sources()
    if groups:
        lines = [f"<b>{text('sources', language)}</b>"]
        lines.extend(_source_line(group, language) for group in groups)
        blocks.append("\n".join(lines))
    return split_html("\n\n".join(blocks))


def render_partial(answer_text: str) -> str:
    """Render the verified part of an answer still being written, as one message.

    It ends with an ellipsis so the reader knows more is coming; beyond one message only the
    first is shown until the final answer replaces it.
    """
    return split_html(_answer_text(answer_text), MESSAGE_LIMIT - 2)[0] + " …"


def _answer_text(answer_text: str) -> str:
    return _MARKER.sub(r"<b>[\1]</b>", html.escape(answer_text))


def render_quote(citation: Citation, language: Language) -> list[str]:
    """Render the verbatim quote of one citation with its document, date, page and link."""
    legal_name = cited_name(citation.title, [citation.section])
    section = None if legal_name else citation.section
    details = _details(citation.date, _pages((citation.page,)), section, language)
    mark = html.escape(messages.citation_mark(language, citation.status))
    title = _title(legal_name or citation.title, citation.source, citation.ocr)
    head = f"<b>[{citation.n}]</b> {title}{mark}{details}"
    lines = [head, f"<blockquote>{html.escape(citation.quote)}</blockquote>"]
    link = _link(citation.url, language)
    if link:
        lines.append(link)
    return split_html("\n".join(lines))


def render_documents(
    documents: Sequence[DocumentInfo], language: Language, as_of: date | None = None
) -> list[str]:
    """Render the list of indexed documents: title, date and status as of ``as_of``."""
    if not documents:
        return [text("no_documents", language)]
    statuses = compute_statuses(documents, as_of)
    lines = [text("documents", language, count=len(documents))]
    for document in documents:
        line = f"• {_title(document.title, document.source)}"
        if document.date:
            line += f" — {html.escape(document.date)}"
        for status in status_lines(statuses[document.doc_id], document, language):
            line += f"\n    <i>{html.escape(status)}</i>"
        lines.append(line)
    return split_html("\n".join(lines))


def render_upload(upload: IndexedUpload, language: Language) -> str:
    """Render what an upload indexed: title, type, number, date, articles and chunks."""
    document = upload.document
    facts = [
        text(f"upload_{key}", language, value=html.escape(value))
        for key, value in (
            ("type", document.doc_type), ("number", document.number), ("date", document.date)
        )
        if value
    ]
    size = (
        text("upload_articles", language, articles=upload.articles, chunks=document.chunk_count)
        if upload.articles
        else text("upload_chunks", language, chunks=document.chunk_count)
    )
    head = text(
        "upload_done", language,
        title=html.escape(document.title or upload.name), name=html.escape(upload.name),
    )
    return "\n".join([head, " · ".join([*facts, size])])


def render_refusal(refusal: UploadRefused, language: Language) -> str:
    """Render why an upload was not added, in the user's language."""
    values = dict(refusal.values)
    if refusal.reason == "content" and values.get("actual") in ("text", "binary"):
        values["actual"] = text(f"format_{values['actual']}", language)
    escaped = {key: html.escape(value) for key, value in values.items()}
    return text(f"upload_refused_{refusal.reason}", language, **escaped)


def render_uploads(documents: Sequence[DocumentInfo], language: Language) -> str:
    """Render the numbered list of uploaded documents that /remove offers."""
    lines = [text("remove_choose", language, count=len(documents))]
    for number, document in enumerate(documents, start=1):
        name = document.source.rsplit("/", 1)[-1]
        title = _title(document.title, document.source)
        lines.append(f"{number}. {title} — <code>{html.escape(name)}</code>")
    return "\n".join(lines)


def render_stats(stats: Stats, language: Language) -> str:
    """Render the figures of /stats."""
    rate = "—" if stats.refusal_rate is None else f"{stats.refusal_rate:.0%}"
    latency = "—" if stats.median_latency_ms is None else f"{stats.median_latency_ms:,.0f} ms"
    return text(
        "stats",
        language,
        questions=stats.questions_today,
        refusal_rate=rate,
        latency=latency,
        up=stats.feedback_up,
        down=stats.feedback_down,
    )


def _source_line(group: SourceGroup, language: Language) -> str:
    markers = "".join(f"[{n}]" for n in group.numbers)
    # A law or decree is cited by article and clause: "Luật ..., Điều 32, khoản 2".
    legal_name = cited_name(group.title, group.sections)
    sections = "" if legal_name else ", ".join(group.sections)
    details = _details(group.date, _pages(group.pages), sections, language)
    mark = html.escape(messages.citation_mark(language, group.status))
    line = f"{markers} {_title(legal_name or group.title, group.source, group.ocr)}{mark}{details}"
    link = _link(group.url, language)
    return f"{line} · {link}" if link else line


def _details(date: str | None, pages: str, section: str | None, language: Language) -> str:
    parts = []
    if date:
        parts.append(html.escape(date))
    if pages:
        parts.append(text("pages", language, pages=pages))
    if section:
        parts.append(html.escape(section))
    return "".join(f" · {part}" for part in parts)


def _pages(pages: Sequence[int | None]) -> str:
    return ", ".join(str(page) for page in pages if page is not None)


def _title(title: str, source: str, ocr: bool = False) -> str:
    # Quotes read by OCR may hold recognition errors: the reader must know.
    marker = " (OCR)" if ocr else ""
    return f"<i>{html.escape(title or source.rsplit('/', 1)[-1])}</i>{marker}"


def _link(url: str | None, language: Language) -> str | None:
    """Return an HTML link for web URLs only; anything else could be a local path or a trick."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    label = html.escape(parts.hostname or text("link", language))
    return f'<a href="{html.escape(url, quote=True)}">{label}</a>'


@dataclass(frozen=True)
class _Atom:
    """One indivisible piece of HTML: a tag, an entity or a single character."""

    raw: str
    width: int  # UTF-16 code units it adds to the visible text; Telegram counts in UTF-16
    opens: str | None = None  # tag name when this is an opening tag
    closes: bool = False


def split_html(markup: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split Telegram HTML into messages of at most ``limit`` visible characters.

    Cuts prefer a paragraph break, then a line break, then the end of a sentence, then any space;
    a cut never falls inside a tag or an entity. Tags open at a cut are closed at the end of one
    message and reopened at the start of the next, so every message is well formed on its own.
    """
    atoms = [_atom(match.group()) for match in _ATOM.finditer(markup)]
    messages: list[str] = []
    open_tags: list[_Atom] = []
    start = 0
    while start < len(atoms):
        while start < len(atoms) and atoms[start].raw.isspace():
            start += 1
        if start == len(atoms):
            break
        cut, cut_tags = _find_cut(atoms, start, open_tags, limit)
        body = atoms[start:cut]
        while body and body[-1].raw.isspace():
            body.pop()
        if any(atom.width and not atom.raw.isspace() for atom in body):
            messages.append(
                "".join(atom.raw for atom in open_tags)
                + "".join(atom.raw for atom in body)
                + "".join(f"</{atom.opens}>" for atom in reversed(cut_tags))
            )
        open_tags, start = cut_tags, cut
    return messages


def _find_cut(
    atoms: list[_Atom], start: int, open_tags: list[_Atom], limit: int
) -> tuple[int, list[_Atom]]:
    """Return where the message starting at ``start`` ends and the tags still open there.

    The best break in the second half of the message wins, so that a heading or a short first
    paragraph is not sent on its own; a break in the first half is used only when there is none.
    """
    tags = list(open_tags)
    best: dict[tuple[bool, int], tuple[int, list[_Atom]]] = {}
    width = 0
    visible = False
    index = start
    while index < len(atoms) and width + atoms[index].width <= limit:
        if visible:
            priority = _break_priority(atoms, index, start)
            if priority:
                best[(2 * width >= limit, priority)] = (index, list(tags))
        atom = atoms[index]
        if atom.opens:
            tags.append(atom)
        elif atom.closes and tags:
            tags.pop()
        width += atom.width
        visible = visible or (atom.width > 0 and not atom.raw.isspace())
        index += 1
    if index == len(atoms) or not best:
        return index, tags
    return best[max(best)]


def _break_priority(atoms: list[_Atom], index: int, start: int) -> int:
    """Rate a cut before ``atoms[index]``: 4 paragraph, 3 line, 2 sentence, 1 space, 0 none."""
    previous = atoms[index - 1].raw
    before = atoms[index - 2].raw if index - 2 >= start else ""
    if previous == "\n":
        return 4 if before == "\n" else 3
    if previous.isspace():
        return 2 if before in _SENTENCE_END else 1
    return 0


def _atom(raw: str) -> _Atom:
    if raw.startswith("<") and len(raw) > 1:
        name = _TAG_NAME.match(raw)
        tag = name.group(1).lower() if name else ""
        if raw.startswith("</"):
            return _Atom(raw, 0, closes=True)
        return _Atom(raw, 0, opens=tag)
    visible = html.unescape(raw) if raw.startswith("&") else raw
    return _Atom(raw, len(visible.encode("utf-16-le")) // 2)
