"""Verification of generated sentences against the passages they cite.

A generated sentence is shown only when it carries at least one marker naming a passage that was
given, when every number, date, percentage, money amount, document number and proper name in it
occurs in its cited passage(s) (compared across formats and languages: ``21/01/2014`` is
``January 21st, 2014`` is ``ngày 21 tháng 1 năm 2014``; ``1,6 tỷ`` is ``1.6 billion``; names
compared without diacritics), and when its meaning is close enough to a sentence of a cited
passage by the embedding model. That sentence becomes the citation's quote, verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.answering.glossary import gloss
from ingest.clean import find_dates
from vectorstore.embeddings import Embedder, Vectors, rescaled, similarity_range
from vectorstore.model import Passage
from vectorstore.text import (
    DOCUMENT_NUMBER_RE,
    detect_language,
    find_document_numbers,
    fold,
    nfc,
    split_sentences,
)
from vectorstore.tokenize import content_terms

# "[1]", "[2][3]", "[1, 2]"
_MARKER_RE = re.compile(r"\[\s*(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\s*\]")
_LEADING_MARKERS_RE = re.compile(r"^(?:\s*\[\s*\d{1,2}(?:\s*[,;]\s*\d{1,2})*\s*\])+[\s.,;:]*")
_NUMBER_RE = re.compile(
    r"(?<![\w.,])(?P<digits>\d+(?:[.,]\d+)*)(?P<percent>\s*%)?"
    r"(?:\s+(?P<scale>[^\W\d_]+))?",
)
_SCALES = {
    "thousand": 1e3, "nghin": 1e3, "ngan": 1e3, "million": 1e6, "millions": 1e6, "trieu": 1e6,
    "billion": 1e9, "billions": 1e9, "ty": 1e9, "ti": 1e9, "trillion": 1e12,
}  # fmt: skip
# Number words checked in a generated sentence; "one" is left out ("one of the tasks").
_SENTENCE_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100,
}  # fmt: skip
# Number words that count as support in a passage (English and folded Vietnamese).
_PASSAGE_NUMBER_WORDS = {
    **_SENTENCE_NUMBER_WORDS, "one": 1, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5,
    "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10, "tram": 100,
}  # fmt: skip
_PARTIAL_MARKER_RE = re.compile(r"\[[\d\s,;]*$")
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")
_NAME_JOINERS = frozenset({"of", "the", "for", "and", "on", "in", "to"})
# Titles before a name say nothing checkable ("Ông Nguyễn Văn An" is checked as "Nguyễn Văn An").
_HONORIFICS = frozenset(
    "mr mrs ms dr prof comrade ong ba anh chi dong chi general gen".split()
)


@dataclass(frozen=True)
class GeneratedSentence:
    """One sentence of a model's answer: its text without markers, and the markers it carried."""

    text: str
    markers: tuple[int, ...]


@dataclass(frozen=True)
class Support:
    """Why a cited passage supports a sentence: its best sentence, verbatim, and its similarity."""

    passage_index: int  # 1-based, as numbered in the prompt
    quote: str
    similarity: float


@dataclass
class Verdict:
    """The outcome of verifying one generated sentence."""

    sentence: GeneratedSentence
    ok: bool
    reason: str | None = None  # no_marker, invalid_marker, unsupported_fact, weak_support
    detail: str = ""
    supports: list[Support] = field(default_factory=list)
    similarity: float = 0.0


def parse_sentences(text: str) -> list[GeneratedSentence]:
    """Split a generated answer into sentences, each with the markers that follow or end it.

    A marker written after the full stop ("... in 2013. [1]") belongs to the sentence before it.
    """
    text = nfc(text)
    result: list[tuple[str, list[int]]] = []
    for start, end in split_sentences(text):
        piece = text[start:end]
        leading = _LEADING_MARKERS_RE.match(piece)
        if leading and result:
            result[-1][1].extend(_marker_numbers(leading.group(0)))
            piece = piece[leading.end() :]
        if not piece.strip():
            continue
        result.append((piece, _marker_numbers(piece)))
    return [
        GeneratedSentence(_without_markers(piece), tuple(dict.fromkeys(markers)))
        for piece, markers in result
        if _without_markers(piece)
    ]


def _marker_numbers(text: str) -> list[int]:
    return [int(n) for group in _MARKER_RE.findall(text) for n in re.split(r"[,;]", group)]


def _without_markers(text: str) -> str:
    text = _MARKER_RE.sub(" ", text)
    text = re.sub(r"\s+([.,;:!?…])", r"\1", text)
    return " ".join(text.split())


class SentenceStream:
    """Collects streamed text and hands out each sentence once it is complete."""

    def __init__(self) -> None:
        self.text = ""
        self._emitted = 0

    def feed(self, delta: str) -> list[GeneratedSentence]:
        """Add ``delta``; return the sentences completed by it (the last one may still grow)."""
        self.text += delta
        # A marker cut in two ("... 2014. [1") must not end up as a sentence of its own.
        sentences = parse_sentences(_PARTIAL_MARKER_RE.sub("", self.text))
        # The last sentence may still grow, or still receive the markers written after it.
        ready = sentences[self._emitted : max(len(sentences) - 1, self._emitted)]
        self._emitted += len(ready)
        return ready

    def finish(self) -> list[GeneratedSentence]:
        """Return the sentences not handed out yet, the stream being over."""
        sentences = parse_sentences(self.text)
        rest = sentences[self._emitted :]
        self._emitted = len(sentences)
        return rest


# --- facts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """The checkable facts of a text, in comparable forms."""

    dates: frozenset[str]  # ISO: YYYY-MM-DD, YYYY-MM
    numbers: tuple[frozenset[float], ...]  # each number's possible values (separators differ)
    document_numbers: frozenset[str]
    names: tuple[str, ...]


def sentence_facts(text: str) -> Facts:
    """Return the numbers, dates, document numbers and proper names a sentence states."""
    text = nfc(text)
    folded = fold(text)
    dates = find_dates(text)
    blanked = _blank(folded, [(s, e) for s, e, _ in dates])
    blanked = _blank(blanked, [m.span() for m in DOCUMENT_NUMBER_RE.finditer(blanked)])
    return Facts(
        dates=frozenset(iso for _, _, iso in dates),
        numbers=tuple(_numbers(blanked, _SENTENCE_NUMBER_WORDS)),
        document_numbers=frozenset(n.key for n in find_document_numbers(text)),
        names=tuple(_names(_blank(text, [m.span() for m in DOCUMENT_NUMBER_RE.finditer(folded)]))),
    )


@dataclass(frozen=True)
class PassageProfile:
    """What a passage can support: its dates, number values, document numbers and words."""

    dates: frozenset[str]
    values: frozenset[float]
    document_numbers: frozenset[str]
    words: frozenset[str]
    terms: frozenset[str]

    @classmethod
    def of(cls, texts: Sequence[str]) -> PassageProfile:
        """Build the profile of one or more passages' texts together."""
        text = nfc("\n".join(texts))
        folded = fold(text)
        dates = find_dates(text)
        numbers = find_document_numbers(text)
        values: set[float] = set()
        for candidates in _numbers(folded, _PASSAGE_NUMBER_WORDS):
            values |= candidates
        for _, _, iso in dates:
            values.update(float(part) for part in iso.split("-"))
        values.update(float(n.number) for n in numbers)
        return cls(
            dates=frozenset(iso for _, _, iso in dates),
            values=frozenset(values),
            document_numbers=frozenset(n.key for n in numbers),
            words=frozenset(w.lower() for w in _WORD_RE.findall(folded)),
            terms=frozenset(content_terms(text)),
        )


def unsupported_facts(facts: Facts, profile: PassageProfile) -> list[str]:
    """Return the facts of a sentence that its cited passages do not hold."""
    missing: list[str] = []
    for iso in sorted(facts.dates):
        if not any(known == iso or known.startswith(iso + "-") for known in profile.dates):
            missing.append(f"date {iso}")
    for candidates in facts.numbers:
        if not candidates & profile.values:
            missing.append(f"number {_show(candidates)}")
    for key in sorted(facts.document_numbers - profile.document_numbers):
        missing.append(f"document {key}")
    for name in facts.names:
        if not _name_supported(name, profile):
            missing.append(f"name {name}")
    return missing


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _numbers(folded: str, words: dict[str, int]) -> list[frozenset[float]]:
    """Return each number of ``folded`` text as the set of values its spelling allows."""
    found: list[frozenset[float]] = []
    for match in _NUMBER_RE.finditer(_MARKER_RE.sub(" ", folded)):
        scale = _SCALES.get((match.group("scale") or "").lower(), 1.0)
        found.append(frozenset(value * scale for value in _readings(match.group("digits"))))
    for match in _WORD_RE.finditer(folded):
        value = words.get(match.group(0).lower())
        if value is not None:
            following = folded[match.end() :].split()[:1]
            scale = _SCALES.get(following[0].lower(), 1.0) if following else 1.0
            found.append(frozenset({value * scale}))
    return found


def _readings(digits: str) -> set[float]:
    """Return the values ``digits`` can mean: ``2,852`` is 2852 (English) or 2.852 (Vietnamese)."""
    readings: set[float] = set()
    for thousands, decimal in ((",", "."), (".", ",")):
        head, _, tail = digits.partition(decimal)
        groups = head.split(thousands)
        if len(groups) > 1 and not all(len(g) == 3 for g in groups[1:]):
            continue
        if decimal in tail:
            continue
        number = "".join(groups) + ("." + tail if tail else "")
        try:
            readings.add(float(number))
        except ValueError:
            continue
    return readings or {float(re.sub(r"\D", "", digits) or 0)}


def _show(values: frozenset[float]) -> str:
    return "/".join(f"{v:g}" for v in sorted(values))


def _names(text: str) -> list[str]:
    """Return runs of capitalised words that do not open the sentence (proper names)."""
    names: list[str] = []
    run: list[str] = []
    for match in _WORD_RE.finditer(text):
        word = match.group(0)
        opens = not text[: match.start()].strip("“\"'(«: ")  # the sentence's first word
        capitalised = word[0].isupper() and not opens
        if capitalised or (run and word.lower() in _NAME_JOINERS):
            run.append(word)
        else:
            _close_run(run, names)
            run = []
    _close_run(run, names)
    return names


def _close_run(run: list[str], names: list[str]) -> None:
    while run and run[-1].lower() in _NAME_JOINERS:
        run.pop()
    if run:
        names.append(" ".join(run))


def _name_supported(name: str, profile: PassageProfile) -> bool:
    """Return whether a name occurs in the passages, without diacritics or through the glossary."""
    words = [
        fold(w).lower() for w in _WORD_RE.findall(name)
        if w.lower() not in _NAME_JOINERS and fold(w).lower() not in _HONORIFICS
    ]
    if all(w in profile.words for w in words):
        return True
    english = gloss(name)
    terms = content_terms(english) if english else []
    return bool(terms) and all(t in profile.terms for t in terms)


# --- the verifier --------------------------------------------------------------------------------


class Verifier:
    """Verifies the sentences of one answer against the passages given to the model."""

    def __init__(
        self,
        embedder: Embedder,
        passages: Sequence[Passage],
        threshold: float,
        cross_language_threshold: float,
    ) -> None:
        self.embedder = embedder
        self.passages = list(passages)
        self.threshold = threshold
        self.cross_language_threshold = cross_language_threshold
        self._profiles = [PassageProfile.of([p.text]) for p in self.passages]
        self._scale = similarity_range(embedder)  # thresholds are on the model's own scale
        self._sentences: list[list[str]] | None = None
        self._vectors: list[Vectors] = []

    def verify(self, sentence: GeneratedSentence) -> Verdict:
        """Check one sentence: markers, facts, then meaning; find each citation's quote."""
        if not sentence.markers:
            return Verdict(sentence, ok=False, reason="no_marker")
        invalid = [n for n in sentence.markers if not 1 <= n <= len(self.passages)]
        if invalid:
            return Verdict(sentence, ok=False, reason="invalid_marker",
                           detail=", ".join(f"[{n}]" for n in invalid))
        cited = [n - 1 for n in sentence.markers]
        facts = sentence_facts(sentence.text)
        profile = PassageProfile.of([self.passages[i].text for i in cited])
        missing = unsupported_facts(facts, profile)
        if missing:
            return Verdict(sentence, ok=False, reason="unsupported_fact", detail="; ".join(missing))
        vector = self.embedder.embed([embedding_text(sentence.text, self.embedder)])[0]
        supports = [self._best_sentence(i, vector, facts) for i in cited]
        best = max(s.similarity for s in supports)
        language = detect_language(sentence.text)
        if not any(
            rescaled(support.similarity, self._scale)
            >= self._threshold(language, self.passages[index])
            for support, index in zip(supports, cited, strict=True)
        ):
            return Verdict(sentence, ok=False, reason="weak_support", detail=f"{best:.3f}",
                           similarity=best)
        return Verdict(sentence, ok=True, supports=supports, similarity=best)

    def _threshold(self, language: str, passage: Passage) -> float:
        same = language == passage.language
        return self.threshold if same else self.cross_language_threshold

    def _best_sentence(self, index: int, vector: Vectors, facts: Facts) -> Support:
        sentences, vectors = self._passage_sentences(index)
        passage = self.passages[index]
        if not sentences:
            return Support(index + 1, passage.text.strip(), 0.0)
        similarities = vectors @ vector
        # Among close candidates, prefer the sentence holding the facts the generated one states.
        scores = [
            float(similarity) + (0.05 if facts_in(facts, candidate) else 0.0)
            for similarity, candidate in zip(similarities, sentences, strict=True)
        ]
        best = int(np.argmax(scores))
        quote = sentences[best]
        assert quote in passage.text  # a quote is always verbatim text of its passage
        return Support(index + 1, quote, float(similarities[best]))

    def _passage_sentences(self, index: int) -> tuple[list[str], Vectors]:
        if self._sentences is None:
            # Every passage's sentences embedded in one call, the first time one is needed.
            self._sentences = [
                [p.text[s:e] for s, e in split_sentences(p.text) if len(p.text[s:e]) >= 3]
                for p in self.passages
            ]
            flat = [s for group in self._sentences for s in group]
            embedded = self.embedder.embed(flat) if flat else np.zeros((0, 1), np.float32)
            position = 0
            for group in self._sentences:
                self._vectors.append(embedded[position : position + len(group)])
                position += len(group)
        return self._sentences[index], self._vectors[index]


def embedding_text(text: str, embedder: Embedder) -> str:
    """Return the text to embed for a generated sentence.

    An English-only model reads a Vietnamese sentence with its English gloss (the passages are
    often English); a multilingual one reads the sentence as it is.
    """
    if embedder.multilingual or detect_language(text) != "vi":
        return text
    english = gloss(text)
    return f"{text} ({english})" if english else text


def facts_in(facts: Facts, text: str) -> bool:
    """Return whether ``text`` holds every fact of ``facts`` (and there is at least one)."""
    has_facts = facts.dates or facts.numbers or facts.document_numbers or facts.names
    return bool(has_facts) and not unsupported_facts(facts, PassageProfile.of([text]))
