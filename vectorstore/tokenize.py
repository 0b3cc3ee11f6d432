"""Tokenisation for lexical search and term matching, shared by indexing and questions.

Lower-cased and Unicode-aware. Vietnamese words are indexed both with diacritics and folded
(``quyết`` and ``quyet``) so questions typed without diacritics still match; Vietnamese text also
gets syllable bigrams (``dan_van``) because its words are written as separate syllables. Policy
document numbers stay whole (``25-nq/tw``), and every reference to a document, full or partial
("Resolution 25"), also yields a ``ref:<type>:<number>`` token so the two forms meet.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer

from vectorstore.text import (
    DOCUMENT_NUMBER_RE,
    PARTIAL_REFERENCE_RE,
    TYPE_WORDS,
    capitalised_runs,
    detect_language,
    fold,
    nfc,
    number_from_match,
)

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

ENGLISH_STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves also etc its it's
    tell me please say said says does did according whose given
    """.split()
)
# Vietnamese function and question words, written with diacritics: folded, many of them collide
# with content words (``vẫn``/``vận``, ``bạn``/``ban hành``, ``đang``/``Đảng``), so only the
# unambiguous ones are also recognised without diacritics.
VIETNAMESE_STOPWORDS = frozenset(
    """
    là và của các những một có không được cho với này đó thì mà ở tại trong ra vào như thế nào gì
    sao bao nhiêu ai đâu khi hay hoặc cũng đã đang sẽ vẫn còn rồi nhé về theo từ đến trên dưới sau
    trước giữa bởi vì nếu chỉ mới rất quá làm hơn nhất tôi bạn xin biết hỏi vậy nhỉ đây kia ấy hãy
    """.split()
)
VIETNAMESE_FOLDED_STOPWORDS = frozenset(
    "cua cac nhung mot khong duoc voi nay nao gi sao bao nhieu ai dau khi hoac cung ve tai la tren"
    .split()
)

_english_stemmer = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Conflate English inflections (``issued`` -> ``issu``); non-ASCII words stay as they are.

    British spellings meet American ones first (``mobilisation`` is ``mobilization``, ``skilful``
    is ``skillful``): Vietnamese sources translate into either.
    """
    if len(word) <= 3 or not word.isascii() or word.isdigit():
        return word
    return str(_english_stemmer.stemWord(american(word)))


# British spellings, as (pattern, American replacement), applied to whole lower-case words.
_BRITISH = [
    (re.compile(r"is(e|ed|es|ing|er|ers|ation|ations)$"), r"iz\1"),
    (re.compile(r"^(hon|lab|col|fav|behavi|neighb|harb|rum|vig|endeav)our"), r"\1or"),
    (re.compile(r"^skilful"), "skillful"),
    (re.compile(r"^fulfil(?!l)"), "fulfill"),
    (re.compile(r"^enrol(?!l)"), "enroll"),
    (re.compile(r"^programme"), "program"),
    (re.compile(r"(cent|metr|theat|fib)re(s?)$"), r"\1er\2"),
    (re.compile(r"^(defen|licen|offen)ce"), r"\1se"),
]


def american(word: str) -> str:
    """Return the American spelling of a lower-case English ``word`` ("honour" -> "honor")."""
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


def is_stopword(word: str) -> bool:
    """Return whether the lower-cased NFC ``word`` carries no meaning for search."""
    if word in ENGLISH_STOPWORDS or word in VIETNAMESE_STOPWORDS:
        return True
    return word.isascii() and word in VIETNAMESE_FOLDED_STOPWORDS


def _split_references(text: str) -> tuple[list[str], str]:
    """Return the reference tokens of ``text`` and the NFC text with document numbers blanked."""
    text = nfc(text)
    folded = fold(text)
    tokens: list[str] = []
    blanked = list(text) if len(folded) == len(text) else None
    for match in DOCUMENT_NUMBER_RE.finditer(folded):
        number = number_from_match(match)
        tokens.append(number.key.lower())
        tokens.append(f"ref:{number.doc_type.lower()}:{number.number}")
        if blanked is not None:
            blanked[match.start() : match.end()] = " " * (match.end() - match.start())
    for match in PARTIAL_REFERENCE_RE.finditer(folded):
        doc_type = TYPE_WORDS[match.group("word").lower()]
        tokens.append(f"ref:{doc_type.lower()}:{match.group('number').lstrip('0') or '0'}")
    return tokens, "".join(blanked) if blanked is not None else text


def reference_tokens(text: str) -> list[str]:
    """Return tokens for the document numbers and partial references in ``text``."""
    return _split_references(text)[0]


# Abbreviations of Vietnamese bodies and programmes, as officials write and type them. They are
# read as their words, in documents and questions alike, so "Chủ tịch UBND xã" meets "Chủ tịch
# Ủy ban nhân dân xã" and "hdnd" meets "Hội đồng nhân dân".
ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "hdnd": "hội đồng nhân dân",
    "mttq": "mặt trận tổ quốc", "ubmttq": "ủy ban mặt trận tổ quốc",
    "ubmttqvn": "ủy ban mặt trận tổ quốc việt nam", "bch": "ban chấp hành",
    "btv": "ban thường vụ", "bdv": "ban dân vận", "gpmb": "giải phóng mặt bằng",
    "ntm": "nông thôn mới", "cand": "công an nhân dân", "qđnd": "quân đội nhân dân",
    "qdnd": "quân đội nhân dân", "thcs": "trung học cơ sở", "thpt": "trung học phổ thông",
}  # fmt: skip
_EXPANDED = {short: full.split() for short, full in ABBREVIATIONS.items()}


def words(text: str) -> list[str]:
    """Return the lower-cased NFC words of ``text`` (no stopword removal, no folding).

    An abbreviation of :data:`ABBREVIATIONS` stands as the words it abbreviates.
    """
    lowered = nfc(text).lower()
    found = _WORD_RE.findall(lowered)
    if not any(word in _EXPANDED for word in found):
        return found
    expanded: list[str] = []
    for match in _WORD_RE.finditer(lowered):
        word = match.group(0)
        # Inside a document number ("215/QĐ-UBND") the letters are no abbreviation.
        inside = lowered[match.start() - 1 : match.start()] in ("/", "-") or lowered[
            match.end() : match.end() + 1] in ("/", "-")
        expanded.extend(_EXPANDED[word] if word in _EXPANDED and not inside else (word,))
    return expanded


def content_terms(text: str) -> list[str]:
    """Return the folded, stemmed, non-stopword words of ``text``, in order (with repeats)."""
    terms = []
    for word in words(_split_references(text)[1]):
        if is_stopword(word) or (len(word) < 2 and not word.isdigit()):
            continue
        terms.append(stem(fold(word)))
    return terms


# The five tone marks of Vietnamese, decomposed.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}


@functools.lru_cache(maxsize=65536)
def toned(word: str) -> str:
    """Return a Vietnamese syllable's key with its tone, wherever the tone is written.

    Folded, "bộ" (ministry), "bỏ" (give up) and "bố" (father) are all "bo"; with their tones
    they stay apart, and "hoà" and "hòa" (two ways of writing one syllable) meet.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = "".join(_TONES[ch] for ch in decomposed if ch in _TONES)
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return f"~{base}{tones}"


def spellings(word: str) -> list[str]:
    """Return the ways of writing the lower-case ``word`` with its tone: "hòa" and "hoà".

    In "oa", "oe" and "uy" the tone mark is written on either vowel, both in use.
    """
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) != 1:
        return [word]
    base = "".join(ch for ch in decomposed if ch not in _TONES)
    found = [word]
    for pair in ("oa", "oe", "uy"):
        at = base.find(pair)
        if at >= 0:
            for vowel in (at, at + 1):
                spelled = base[: vowel + 1] + tones[0] + base[vowel + 1 :]
                found.append(unicodedata.normalize("NFC", spelled))
    return list(dict.fromkeys(found))


def accented_terms(text: str) -> list[tuple[str, str | None]]:
    """Return ``content_terms(text)`` each with its word if that is written with diacritics.

    The word is None for one written without them: typed on a phone, it may stand for any of
    its toned forms.
    """
    terms: list[tuple[str, str | None]] = []
    for word in words(_split_references(text)[1]):
        if is_stopword(word) or (len(word) < 2 and not word.isdigit()):
            continue
        folded = fold(word)
        terms.append((stem(folded), word if folded != word else None))
    return terms


def tokenize(text: str, language: str | None = None) -> list[str]:
    """Return the lexical-index tokens of ``text``."""
    language = language or detect_language(text)
    tokens, rest = _split_references(text)
    previous: str | None = None
    for word in words(rest):
        folded = fold(word)
        if is_stopword(word):
            previous = None
            continue
        stemmed = stem(folded)
        tokens.append(stemmed)
        if folded != word:
            tokens.append(word)
        if language == "vi":
            if previous is not None:
                tokens.append(f"{previous}_{folded}")
            previous = folded
    return tokens


def shared_tokens(text: str, language: str | None = None) -> list[str]:
    """Return the tokens of ``text`` that every language writes alike.

    These are its document numbers and references, its numbers and the words of its proper names
    (capitalised): "Hoa Son" in an English question is "Hòa Sơn" in a Vietnamese report, folded,
    while the question's other words meet a text in another language only by accident. Typed
    all in lower case, a name cannot be told from a word, so every word may be one.
    """
    text = nfc(text)
    language = language or detect_language(text)
    if not any(ch.isupper() for ch in text):
        return tokenize(text, language)
    tokens = [token for token in tokenize(text, language) if any(ch.isdigit() for ch in token)]
    # A name's syllables are also paired as in a Vietnamese text: "Dong Chua" meets "Đồng Chưa"
    # as one name ("dong_chua"), not only as the common words "đồng" (money), "chưa" (not yet).
    for name in _names(_split_references(text)[1]):
        tokens += tokenize(name, "vi")
    return list(dict.fromkeys(tokens))


def _names(text: str) -> list[str]:
    """Return the runs of capitalised words of ``text``."""
    return [" ".join(run) for _, run in capitalised_runs(text, _WORD_RE)]
