"""Text primitives shared by ingestion and retrieval: normalisation, folding, document numbers.

Vietnamese is written with precomposed (NFC) or decomposed (NFD) characters depending on the
keyboard and the source; everything entering the system is NFC-normalised, and matching works on a
folded form without diacritics because cadres often type without them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# đ and Đ are letters of their own, not d with a mark: NFD leaves them whole.
_STROKED = {ord("đ"): ord("d"), ord("Đ"): ord("D")}


class _FoldTable(dict[int, int | None]):
    """A ``str.translate`` table, filled in as characters appear, that drops combining marks."""

    def __missing__(self, code: int) -> int | None:
        folded = None if unicodedata.combining(chr(code)) else _STROKED.get(code, code)
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def one_line(message: object, limit: int = 200) -> str:
    """Return ``message`` (often an exception) as one line of at most ``limit`` characters."""
    text = " ".join(str(message).split()) or type(message).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC form."""
    return unicodedata.normalize("NFC", text)


def capitalised_runs(text: str, word: re.Pattern[str]) -> list[tuple[int, list[str]]]:
    """Return the runs of capitalised ``word`` matches in ``text``, each with where it starts.

    The words of one run are apart by spaces only ("Hoa Son", not "Hoa, Son").
    """
    runs: list[tuple[int, list[str]]] = []
    end = -1
    for match in word.finditer(text):
        found = match.group(0)
        if not found[0].isupper():
            continue
        if runs and text[end : match.start()].isspace():
            runs[-1][1].append(found)
        else:
            runs.append((match.start(), [found]))
        end = match.end()
    return runs


def fold(text: str) -> str:
    """Strip diacritics (``Nghị quyết`` -> ``Nghi quyet``, ``đ`` -> ``d``), keeping case and length.

    Every Vietnamese letter folds to exactly one ASCII letter, so offsets in the folded text match
    offsets in the NFC text for Vietnamese and English input.
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_FOLD))


# Vietnamese-only letters: any of them marks a text as Vietnamese.
_VI_LETTERS = set("ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
# Frequent Vietnamese syllables that survive folding, for text typed without diacritics.
_VI_FOLDED_WORDS = frozenset(
    {
        "cua", "va", "la", "cac", "nhung", "duoc", "trong", "cho", "voi", "nay", "khong", "co",
        "nguoi", "mot", "nhu", "ve", "theo", "tai", "den", "tu", "khi", "thi", "da", "se", "dang",
        "cong", "tac", "dan", "van", "nghi", "quyet", "dinh", "chi", "ban", "hanh", "ngay", "nao",
        "gi", "sao", "bao", "nhieu", "tinh", "huyen", "xa", "phong", "trao", "kheo", "nha", "nuoc",
        "chinh", "phu", "quy", "can", "bo", "dia", "phuong", "ai", "o", "dau", "lam", "viec", "hoi",
        "dong", "nam", "thang", "nhan", "trung", "uong", "thu", "tuong",
    }
)  # fmt: skip
_WORD = re.compile(r"\w+", re.UNICODE)
# A Vietnamese syllable without diacritics: optional onset, one to three vowels, optional coda.
_FOLDED_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|tr|th|kh|ph|gh|gi|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?"
)


def detect_language(text: str) -> str:
    """Guess ``"vi"`` or ``"en"`` for ``text``; Vietnamese typed without diacritics counts too.

    A word counts as Vietnamese when it has a Vietnamese letter or is a frequent Vietnamese
    syllable; the text is Vietnamese when such words make up at least half of it, so an English
    text that names “Dân vận khéo” or “Nghị quyết” stays English.
    """
    words = _WORD.findall(without_document_numbers(nfc(text)).lower())
    words = [word for word in words if not word.isdigit()]
    if not words:
        return "en"
    marked = sum(1 for word in words if not _VI_LETTERS.isdisjoint(word))
    folded = sum(1 for word in words if _VI_LETTERS.isdisjoint(word) and word in _VI_FOLDED_WORDS)
    if marked + folded >= 0.5 * len(words) and (marked or folded >= 2):
        return "vi"
    # Typed without diacritics: nearly every word is a well-formed Vietnamese syllable.
    if marked == 0 and folded and len(words) >= 3:
        syllables = sum(1 for word in words if _FOLDED_SYLLABLE.fullmatch(word))
        if syllables >= 0.8 * len(words):
            return "vi"
    return "en"


# --- Policy document numbers -------------------------------------------------------------------
#
# Vietnamese legal and Party documents are numbered ``<n>-<TYPE>/<ISSUER>`` (Party: 25-NQ/TW,
# 590-CT/ĐUQSTW) or ``<n>/<year>/<TYPE>-<ISSUER>`` (State: 06/2014/NĐ-CP) or ``<n>/<TYPE>-<ISSUER>``
# (16/CT-TTg), and laws ``<n>/<year>/QH<term>``. The canonical key is upper-case and folded
# (NĐ -> ND), so every spelling of one document meets at one key.

DOCUMENT_TYPES: dict[str, str] = {
    "NQ": "Resolution",
    "ND": "Decree",
    "QD": "Decision",
    "CT": "Directive",
    "KL": "Conclusion",
    "TT": "Circular",
    "TTLT": "Joint circular",
    "HD": "Guidance",
    "KH": "Plan",
    "TB": "Notice",
    "QC": "Regulation",
    "BC": "Report",
    "QH": "Law",
    "L": "Law",
    "CV": "Official letter",
}

# Words that name a document type in English and Vietnamese (folded, lower-case).
TYPE_WORDS: dict[str, str] = {
    "resolution": "NQ",
    "nghi quyet": "NQ",
    "decree": "ND",
    "nghi dinh": "ND",
    "decision": "QD",
    "quyet dinh": "QD",
    "regulation": "QD",
    "regulations": "QD",
    "quy dinh": "QD",
    "directive": "CT",
    "chi thi": "CT",
    "conclusion": "KL",
    "ket luan": "KL",
    "circular": "TT",
    "thong tu": "TT",
    "guidance": "HD",
    "huong dan": "HD",
    "plan": "KH",
    "ke hoach": "KH",
    "notice": "TB",
    "thong bao": "TB",
    "law": "QH",
    "luat": "QH",
}

_TYPE_ALT = "|".join(sorted((re.escape(t) for t in DOCUMENT_TYPES), key=len, reverse=True))
_ISSUER = r"[A-Za-zĐđ]{1,12}\d{0,2}"
# Matched on folded text (ASCII letters only), case-insensitively.
DOCUMENT_NUMBER_RE = re.compile(
    rf"""
    (?<![\w/-])
    (?:
        (?P<n1>\d{{1,5}})-(?P<t1>{_TYPE_ALT})/(?P<i1>{_ISSUER})                  # 25-NQ/TW
      | (?P<n2>\d{{1,5}})/(?P<y2>(?:19|20)\d\d)/(?P<t2>{_TYPE_ALT})-(?P<i2>{_ISSUER})  # 6/2014/ND
      | (?P<n3>\d{{1,5}})/(?P<t3>{_TYPE_ALT})-(?P<i3>{_ISSUER})                  # 16/CT-TTg
      | (?P<n4>\d{{1,5}})/(?P<y4>(?:19|20)\d\d)/(?P<i4>QH\d{{1,2}})              # 10/2022/QH15
    )
    (?![\w-])
    """,
    re.VERBOSE | re.IGNORECASE,
)

_TYPE_WORD_ALT = "|".join(sorted((re.escape(w) for w in TYPE_WORDS), key=len, reverse=True))
# "Resolution 25", "Resolution No. 25", "Decision No.290", "nghi quyet so 25" (folded text).
PARTIAL_REFERENCE_RE = re.compile(
    rf"\b(?P<word>{_TYPE_WORD_ALT})\s+(?:(?:no\.?|number|so)\s*)?(?P<number>\d{{1,5}})\b(?![-/]\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class DocumentNumber:
    """A canonical policy document number such as ``25-NQ/TW`` or ``06/2014/ND-CP``."""

    key: str
    number: str
    doc_type: str

    def __str__(self) -> str:
        return self.key

    @property
    def type_name(self) -> str:
        """English name of the document type, such as ``Resolution``."""
        return DOCUMENT_TYPES.get(self.doc_type, "Document")


def _issuer(folded: str) -> str:
    """Upper-case an issuer code; "TƯ" (Trung ương, folded to TU) is the same as "TW"."""
    issuer = folded.upper()
    return issuer[:-2] + "TW" if issuer.endswith("TU") else issuer


def number_from_match(match: re.Match[str]) -> DocumentNumber:
    """Build the canonical document number from a ``DOCUMENT_NUMBER_RE`` match on folded text."""
    groups = match.groupdict()
    if groups["n1"]:
        number, doc_type = groups["n1"], groups["t1"].upper()
        key = f"{number}-{doc_type}/{_issuer(groups['i1'])}"
    elif groups["n2"]:
        number, doc_type = groups["n2"], groups["t2"].upper()
        key = f"{number}/{groups['y2']}/{doc_type}-{_issuer(groups['i2'])}"
    elif groups["n3"]:
        number, doc_type = groups["n3"], groups["t3"].upper()
        key = f"{number}/{doc_type}-{_issuer(groups['i3'])}"
    else:
        number, doc_type = groups["n4"], "QH"
        key = f"{number}/{groups['y4']}/{groups['i4'].upper()}"
    return DocumentNumber(key=key, number=number.lstrip("0") or "0", doc_type=doc_type)


def without_document_numbers(text: str) -> str:
    """Blank the document numbers of NFC ``text`` (``NĐ-CP`` says nothing of the language)."""
    folded = fold(text)
    if len(folded) != len(text):
        return text
    chars = list(text)
    for match in DOCUMENT_NUMBER_RE.finditer(folded):
        chars[match.start() : match.end()] = " " * (match.end() - match.start())
    return "".join(chars)


def find_document_numbers(text: str) -> list[DocumentNumber]:
    """Return the distinct document numbers in ``text``, canonical, in order of first mention."""
    seen: dict[str, DocumentNumber] = {}
    for match in DOCUMENT_NUMBER_RE.finditer(fold(nfc(text))):
        found = number_from_match(match)
        seen.setdefault(found.key, found)
    return list(seen.values())


def canonical_document_number(text: str) -> str | None:
    """Return the canonical key of the first document number in ``text``, if any."""
    found = find_document_numbers(text)
    return found[0].key if found else None


@dataclass(frozen=True)
class PartialReference:
    """A reference by type and number only, such as "Resolution 25" (``NQ``, ``25``)."""

    doc_type: str
    number: str
    text: str


def find_partial_references(text: str) -> list[PartialReference]:
    """Return references such as "Resolution 25" or "nghị quyết số 25" that lack a full number."""
    folded = fold(nfc(text))
    found: list[PartialReference] = []
    for match in PARTIAL_REFERENCE_RE.finditer(folded):
        doc_type = TYPE_WORDS[match.group("word").lower()]
        number = match.group("number").lstrip("0") or "0"
        found.append(PartialReference(doc_type, number, match.group(0)))
    return found


# --- Sentences ---------------------------------------------------------------------------------
#
# A full stop ends a sentence unless it closes an abbreviation ("Maj. Gen.", "Mr.", "TP.", "e.g."),
# an initial, or a list number, or the next word starts in lower case. Newlines always end one,
# because blocks (headings, paragraphs) are joined with blank lines.

_SENTENCE_BREAK = re.compile(
    r"(?P<end>[.!?…]+[.!?…\"'”’»)\]]*)(?P<gap>[^\S\n]*\n\s*|\s+)|(?P<newline>[^\S\n]*\n\s*)"
)
_OPENERS = "\"'“‘«([{"
_CLOSERS = "\"'”’»)]}"
# Words that a full stop abbreviates and that a name or more of the sentence always follows.
_ABBREVIATIONS = frozenset(
    {
        "Mr", "Mrs", "Ms", "Mme", "Messrs", "Dr", "Prof", "Assoc", "Asst", "Maj", "Gen", "Lt",
        "Col", "Capt", "Cmdr", "Sgt", "Cpl", "Pvt", "Adm", "Brig", "Gov", "Sen", "Rep", "Rev",
        "Hon", "Pres", "Supt", "St", "Mt", "Jr", "Sr", "Inc", "Ltd", "Co", "Corp", "Bros", "Dept",
        "Univ", "Ave", "Blvd", "Rd", "vs", "cf", "approx", "incl", "ca", "viz", "al", "TP", "Tp",
        "TS", "ThS", "PGS", "GS", "BS", "KS",
    }
)  # fmt: skip
# Abbreviations that a number follows: "No. 25", "Art. 5", "Oct. 15".
_BEFORE_NUMBER = frozenset(
    {
        "No", "Nos", "no", "nos", "Art", "Fig", "Sec", "Vol", "Ch", "p", "pp", "Jan", "Feb", "Mar",
        "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    }
)  # fmt: skip
_ENUMERATOR = re.compile(r"(?:\d{1,3}|[IVXivx]{1,4}|[A-Za-z])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of ``text``, without outer whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        if match.group("newline") is None and not _ends_sentence(text, start, match):
            continue
        _add_span(text, start, match.start("gap") if match.group("end") else match.start(), spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


_MAX_QUOTED_SENTENCE = 600  # past this, a stray opening quote no longer holds a sentence open


def _inside_quotation(text: str, sentence_start: int, position: int) -> bool:
    """Return whether a curly quotation opened in this sentence is still open at ``position``."""
    if position - sentence_start > _MAX_QUOTED_SENTENCE:
        return False
    span = text[sentence_start:position]
    return span.count("“") > span.count("”")


def _ends_sentence(text: str, sentence_start: int, match: re.Match[str]) -> bool:
    """Decide whether the punctuation of ``match`` ends the sentence begun at ``sentence_start``."""
    if "\n" in match.group("gap"):
        return True
    # Bounded slices: a long text has many candidate stops, and copying its rest at each is slow.
    following = text[match.end() : match.end() + 8].lstrip(_OPENERS)
    if following[:1].islower():
        return False
    if _inside_quotation(text, sentence_start, match.end()):
        return False  # “Dân vận kém thì việc gì cũng kém. Dân vận khéo thì ...” is one sentence
    if match.group("end").rstrip(_CLOSERS) != ".":
        return True  # "!", "?", an ellipsis
    before = text[max(sentence_start, match.start() - 40) : match.start()]
    word = before.rsplit(None, 1)[-1].strip(_OPENERS + _CLOSERS) if before.strip() else ""
    opening = text[sentence_start : match.start()] if match.start() - sentence_start <= 6 else ""
    if not word or _ENUMERATOR.fullmatch(opening.strip()):
        return False  # nothing before the stop, or a list number: "1.", "IV.", "b."
    if word in _ABBREVIATIONS or (word in _BEFORE_NUMBER and following[:1].isdigit()):
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "Ho C. Minh"
    parts = word.split(".")
    return not (len(parts) > 1 and all(0 < len(part) <= 3 for part in parts))  # e.g, U.S, PGS.TS
