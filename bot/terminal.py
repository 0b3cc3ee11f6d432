"""Plain-text rendering of answers for the terminal."""

from __future__ import annotations

import textwrap

from bot.answering import messages
from bot.answering.types import Answer
from vectorstore.legalref import cited_name


def render_answer(answer: Answer, width: int = 100) -> str:
    """Return ``answer`` as readable text: the answer, then its sources and quotes."""
    lines = [textwrap.fill(answer.text, width=width)]
    if answer.refused or not answer.citations:
        return "\n".join(lines)
    lines += ["", f"{messages.text(answer.language, 'sources')}:"]
    for group in answer.sources():
        markers = "".join(f"[{n}]" for n in group.numbers)
        details = [d for d in (group.date, group.url or group.source) if d]
        # A law or decree is cited by article and clause: "Luật ..., Điều 32, khoản 2".
        legal_name = cited_name(group.title, group.sections)
        name = legal_name or group.title
        if group.pages:
            details.append("p. " + ", ".join(str(p) for p in group.pages))
        elif group.sections and not legal_name:
            details.append("§ " + "; ".join(group.sections))
        mark = messages.citation_mark(answer.language, group.status)
        title = f"{name} (OCR)" if group.ocr else name
        lines.append(f"{markers} {title}{mark}" + (f" ({', '.join(details)})" if details else ""))
    lines.append("")
    for citation in answer.citations:
        quote = textwrap.fill(
            f"“{citation.quote}”", width=width, initial_indent="    ", subsequent_indent="    "
        )
        lines.append(f"[{citation.n}]{' (OCR)' if citation.ocr else ''}\n{quote}")
    return "\n".join(lines)
