"""A question's key terms, and the terms a sentence is searched for them in.

A key term is one content word (or glossary phrase, document number, reference) of the
question, weighted by its rarity in the indexed collection, with every form that counts as
finding it: its synonyms, its toned spelling, its gloss in the other language, a name's word as
the other language writes it. The extractive answerer judges evidence by the key terms found.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.constraints import names_in
from bot.answering.glossary import ENGLISH_SYNONYMS, glossary_matches
from vectorstore.lexical import DerivedIndexes
from vectorstore.model import Passage
from vectorstore.text import (
    capitalised_runs,
    find_document_numbers,
    find_partial_references,
    fold,
    nfc,
)
from vectorstore.tokenize import (
    VIETNAMESE_STOPWORDS,
    accented_terms,
    content_terms,
    reference_tokens,
    spellings,
    stem,
    toned,
    words,
)

CONTEXT_WEIGHT = 0.3  # weight of key terms borrowed from an earlier turn

# Words that say what kind of answer is wanted rather than what it is about; they are not
# expected to appear in the evidence ("who wrote ..." is answered by an "Author:" line).
_INTENT_WORDS = frozenset(
    stem(word)
    for word in """
    wrote write written writer author authors authored publish published publication source
    url link say says said state states stated mention mentions mentioned describe describes
    according article document documents text note report exact exactly main mainly briefly
    explain summary summarise summarize tell give list name named kind type purpose
    viet tac gia dang bai noi neu nhac lau
    """.split()
)
# Policy phrasing that varies between a question and the text that answers it.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "effect": ("forc", "effect"),
    "forc": ("effect", "forc"),
    "issu": ("adopt", "approv", "promulg", "sign", "issu"),
    "adopt": ("issu", "approv", "adopt"),
    "approv": ("issu", "adopt", "approv"),
    "replac": ("supersed", "replac"),
    "found": ("establish", "found"),
    "establish": ("found", "establish"),
    "today": ("current", "now", "nowaday", "present", "today"),
    "now": ("current", "today", "nowaday", "present", "now"),
}
# Words of reports that a question says another way: one group, one meaning (stems).
_ALIKE = (
    "resolve settle handle", "complaint grievance petition", "allowance stipend subsidy",
    "house home dwelling", "repair fix renovate", "build construct erect",
    "poor needy disadvantaged", "family household", "donate contribute",
    "resident citizen inhabitant", "elder prestigious", "dialogue talks", "dispute row conflict",
    "relocate resettle", "goal target aim", "training course", "fine penalty",
    "increase rise raise grow", "reduce cut decrease", "lodge submit",
    "attend join participate", "honour commend praise",
)
_SYNONYMS.update({
    term: group for group in map(tuple, map(content_terms, _ALIKE)) for term in group
    if term not in _SYNONYMS
})


@dataclass(frozen=True)
class KeyTerm:
    """One key term of a question, with the forms that count as finding it and its weight.

    It is found when any of ``any_of`` occurs, or when every one of ``all_of`` does (a
    Vietnamese phrase written out, where ``any_of`` holds its English gloss).
    """

    label: str
    any_of: frozenset[str]
    all_of: frozenset[str]
    weight: float
    absent: bool  # occurs nowhere in the indexed collection

    def found_in(self, terms: frozenset[str] | set[str]) -> bool:
        """Return whether this key term occurs in ``terms``."""
        return bool(self.any_of & terms) or bool(self.all_of and self.all_of <= terms)


def key_terms(
    query: str,
    english_gloss: str,
    indexes: DerivedIndexes,
    *,
    context: str = "",
    glossed_back: Sequence[tuple[tuple[str, ...], str]] = (),
) -> list[KeyTerm]:
    """Return the key terms of ``query`` weighted by rarity (IDF) in the indexed collection.

    ``context`` is the part of ``query`` borrowed from an earlier turn: its terms help find the
    passage but weigh less than the terms of the question itself. ``glossed_back`` pairs English
    stems of the question with the Vietnamese phrase they gloss: a term is also found when all
    the words of its Vietnamese phrase are (an English question over a Vietnamese report).
    """
    lexical = indexes.lexical
    total = max(len(lexical.chunk_ids), 1)
    own_terms = set(content_terms(query[len(context):])) if context else None

    def idf(frequency: int) -> float:
        return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))

    units: list[KeyTerm] = []
    covered: set[str] = set()
    if english_gloss:
        folded = fold(nfc(query)).lower()
        for phrase, english in glossary_matches(folded):
            vietnamese = frozenset(t for t in content_terms(phrase) if t not in _INTENT_WORDS)
            translated = frozenset(t for t in content_terms(english) if t not in _INTENT_WORDS)
            if not vietnamese:
                continue
            covered |= vietnamese
            frequencies = [lexical.document_frequency(t) for t in translated | vietnamese]
            frequency = max(frequencies, default=0)
            units.append(KeyTerm(phrase, translated, vietnamese, idf(frequency), frequency == 0))
    for reference in find_partial_references(query):
        token = f"ref:{reference.doc_type.lower()}:{reference.number}"
        covered.add(reference.number)  # the number is judged with its document type
        frequency = lexical.document_frequency(token)
        units.append(KeyTerm(reference.text, frozenset({token}), frozenset(), idf(frequency),
                             frequency == 0))
    translations = {
        stem: frozenset(content_terms(phrase)) for stems, phrase in glossed_back for stem in stems
    }
    # A word written with diacritics is found only with the same tones: folded, "từ bỏ" (give
    # up) would meet "chi bộ" (Party cell) and "số" meet "sở". A word typed without them stands
    # for any of its toned forms.
    written: dict[str, set[str | None]] = {}
    for term, word in accented_terms(query):
        written.setdefault(term, set()).add(word)
    # An English text writes a Vietnamese name without its diacritics: "Đắk Trâm" is "Dak Tram".
    named = {fold(word) for name in names_in(query) for word in words(name) if fold(word) != word}
    # And a Vietnamese text writes the words of a name an English question spells plainly with
    # their tones, even one that is a function word elsewhere ("Dong Moi" is "Đồng Mới").
    plain = {stem(word): word for name in names_in(query) for word in words(name) if word.isascii()}
    for term, as_written in written.items():
        if term in _INTENT_WORDS or term in covered:
            continue
        if None in as_written:
            forms = frozenset((
                term, *_SYNONYMS.get(term, ()), *ENGLISH_SYNONYMS.get(term, ()),
                *_agent_nouns(term),
            ))
            frequency = max(lexical.document_frequency(form) for form in forms)
            if not frequency and term in _FOLDED_FUNCTION_WORDS:
                continue  # "va", "vao" typed for "và", "vào": words no document is indexed by
            if term in plain:
                forms |= {f"{_NAME_WORD}{plain[term]}"}
        else:
            accented = {word for word in as_written if word is not None}
            forms = frozenset(toned(word) for word in accented)
            frequency = max(
                lexical.document_frequency(spelled) for w in accented for spelled in spellings(w)
            )
            if term in named:
                forms |= {f"{_UNMARKED}{term}"}
                frequency = max(frequency, lexical.document_frequency(term))
        translation = translations.get(term, frozenset())
        absent = frequency == 0 and not (
            translation and all(lexical.document_frequency(t) for t in translation)
        )
        units.append(KeyTerm(term, forms, translation, idf(frequency), absent))
    for number in find_document_numbers(query):
        token = number.key.lower()
        frequency = lexical.document_frequency(token)
        units.append(KeyTerm(number.key, frozenset({f"@{token}"}), frozenset(), idf(frequency),
                             frequency == 0))
    if own_terms is None:
        return units
    return [
        unit if unit.label in own_terms or unit.any_of & own_terms or unit.all_of & own_terms
        else KeyTerm(unit.label, unit.any_of, unit.all_of, unit.weight * CONTEXT_WEIGHT,
                     unit.absent)
        for unit in units
    ]


_FOLDED_FUNCTION_WORDS = frozenset(fold(word) for word in VIETNAMESE_STOPWORDS)


def _agent_nouns(term: str) -> tuple[str, ...]:
    """Return the agent nouns of a short English verb stem ("own" -> "owner").

    The stemmer leaves the "-er" of a short word in place, so "who owns" would not meet "owner".
    """
    if term.isascii() and term.isalpha() and 3 <= len(term) <= 4:
        return (f"{term}er", f"{term}or")
    return ()


_UNMARKED = "^"  # a name's word as an English text writes it, without diacritics
_NAME_WORD = "="  # a word of a name in a Vietnamese text, folded
_NAME_WORD_RE = re.compile(r"\w+")
MARKERS = (_UNMARKED, _NAME_WORD)  # forms of words counted already


@functools.lru_cache(maxsize=32768)
def sentence_terms(text: str, language: str) -> frozenset[str]:
    """Return the terms a key term is looked for in ``text``, written in ``language``.

    Cached: passages come back question after question, each read whole and sentence by sentence.
    """
    terms = set(content_set(text))
    written = words(text)
    terms.update(toned(word) for word in written if fold(word) != word)
    if language == "en":
        terms.update(f"{_UNMARKED}{word}" for word in written if word.isascii())
    else:
        terms.update(
            f"{_NAME_WORD}{fold(word).lower()}"
            for _, run in capitalised_runs(text, _NAME_WORD_RE) if len(run) > 1 for word in run
        )
    terms.update(f"@{n.key.lower()}" for n in find_document_numbers(text))
    terms.update(t for t in reference_tokens(text) if t.startswith("ref:"))
    return frozenset(terms)


@functools.lru_cache(maxsize=32768)
def content_set(text: str) -> frozenset[str]:
    """Return the content terms of ``text`` as a set (cached)."""
    return frozenset(content_terms(text))


def passage_terms(passages: Sequence[Passage]) -> set[str]:
    """Return the terms of all ``passages`` together."""
    terms: set[str] = set()
    for passage in passages:
        terms |= sentence_terms(passage.text, passage.language)
    return terms



def display_terms(query: str) -> list[str]:
    """Return the words of ``query`` a refusal says it searched for."""
    shown = [w for w in re.findall(r"[\w/-]+", query) if content_terms(w)]
    return list(dict.fromkeys(shown))
