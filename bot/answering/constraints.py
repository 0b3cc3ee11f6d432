"""What the question takes for granted, checked against the evidence chosen to answer it.

A question that names a year asks about that year: evidence about the same commune in another
year does not answer it. A question that names a commune, a ward or a person the retrieved
passages know asks about that one: evidence about its neighbour does not answer it. A question
that asks why or when something was repealed, cancelled or shut down assumes that it was:
evidence that never mentions such an event does not answer it, whatever else it shares with the
question. All are checked on the cited passages as a whole (header included, so a report's title
year counts), after the sentences are chosen and before anything is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering import messages
from vectorstore.text import TYPE_WORDS, fold, without_document_numbers

_DOCUMENT_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, TYPE_WORDS), key=len, reverse=True))
    + r"|no|so|law|luat|article|dieu|chapter|chuong)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_YEAR = re.compile(r"(?<![\d/.,-])(19[5-9]\d|20\d\d)(?![\d/.,-]?\d)")

# Events whose occurrence a question can presume, with their other forms, on folded text.
_EVENT = re.compile(
    r"\b(repeal\w*|abolish\w*|annul\w*|revok\w*|rescind\w*|cancel\w*|withdr[ae]w\w*|"
    r"shut\s+down|shutting\s+down|closed|closing|closure|dissolv\w*|disband\w*|suspend\w*|"
    r"terminat\w*|scrap(?:ped|ping)?|"
    r"bai\s+bo|huy\s+bo|bi\s+huy|xoa\s+bo|thu\s+hoi|dinh\s+chi|giai\s+the|"
    r"dung\s+hoat\s+dong|dong\s+cua|het\s+hieu\s+luc|bi\s+dep)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unmet:
    """A presumption of the question that the evidence does not support."""

    reason: str  # machine-readable: other_year, other_entity, unsupported_premise
    text: str  # the refusal shown to the user


def years_named(text: str) -> set[str]:
    """Return the years a text names, leaving out those inside document numbers (06/2014/NĐ-CP)."""
    return set(_YEAR.findall(without_document_numbers(text)))


def names_in(text: str) -> list[str]:
    """Return the proper names of ``text``: runs of two or more capitalised words, not first.

    Names of documents ("Resolution No.25-NQ/TW", "Nghị định 06/2014") are not names here:
    document numbers have checks of their own.
    """
    return [name for name in _capitalised_runs(text) if not _DOCUMENT_WORDS.search(fold(name))]


def _capitalised_runs(text: str) -> list[str]:
    names: list[str] = []
    run: list[str] = []
    previous_end = -1
    for match in _WORD.finditer(text):
        word = match.group(0)
        joined = run and text[previous_end : match.start()].isspace()
        if word[0].isupper() and match.start() > 0 and (joined or not run):
            run.append(word)
        else:
            if len(run) >= 2:
                names.append(" ".join(run))
            run = [word] if word[0].isupper() and match.start() > 0 else []
        previous_end = match.end()
    if len(run) >= 2:
        names.append(" ".join(run))
    return names


def _squeeze(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text).lower()))


def unmet_presumption(
    question: str, evidence: str, language: str, retrieved: str = ""
) -> Unmet | None:
    """Return what ``question`` presumes and ``evidence`` does not state, or None.

    ``retrieved`` is the text of every passage retrieved: a name counts only when the documents
    spell it as the question does, so a name written in the other language is never held
    against the evidence.
    """
    folded_evidence = _squeeze(evidence)
    known = _squeeze(retrieved)
    for name in names_in(question):
        squeezed = _squeeze(name)
        if f" {squeezed} " in f" {known} " and f" {squeezed} " not in f" {folded_evidence} ":
            return Unmet("other_entity", messages.text(language, "other_entity", name=name))
    wanted = years_named(question)
    covered = years_named(evidence)
    missing = sorted(year for year in wanted if year not in covered)
    if missing:
        return Unmet(
            "other_year",
            messages.text(
                language,
                "other_year" if covered else "other_year_none",
                wanted=", ".join(missing),
                found=", ".join(sorted(covered)[-3:]),
            ),
        )
    event = _EVENT.search(fold(question).lower())
    if event and not _EVENT.search(fold(evidence).lower()):
        return Unmet(
            "unsupported_premise",
            messages.text(language, "unsupported_premise", event=event.group(0)),
        )
    return None
