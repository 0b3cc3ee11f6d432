"""Counts in a sentence: whether it holds a number counting the thing a question counts.

"2,852 skillful mass mobilization models" counts models; "three reference points that cadres
meet" does not count cadres; "9/12 thôn" answers "how many villages".
"""

from __future__ import annotations

import functools
import re

from bot.answering.question import DURATION, PEOPLE, PERCENT, PERSON_TERMS
from vectorstore.text import find_document_numbers, fold, nfc
from vectorstore.tokenize import content_terms

_YEAR_RE = re.compile(r"(19|20)\d\d")
_NUMBER_RE = re.compile(
    r"\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozens?",
    re.IGNORECASE,
)
# Vietnamese number words count only as written: folded, "trăm" is the "Tram" of "Dak Tram" and
# "năm" (five) the "năm" of a year. "Một" is most often an article ("một mô hình" is a model,
# not a count of one).
_VIETNAMESE_NUMBERS = frozenset(
    "hai ba bốn năm sáu bảy tám chín mười mươi trăm nghìn ngàn triệu tỷ tỉ".split()
)
# A length of time, or of a road ("how long"): a number and its unit, not a date's day or month
# ("ngày 15 tháng 3"); or how often ("bao lâu một lần" is answered by "mỗi quý một lần", "twice
# a year", "annually").
_TIME_UNIT = (
    r"(ngay|thang|nam|tuan|gio|phut|quy|days?|weeks?|months?|years?|hours?|minutes?|quarters?)"
)
_LASTING = re.compile(
    r"(?<!ngay )(?<!thang )(?<!quy )(?<!nam )"
    r"\b(\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:(?:consecutive|straight|full|whole|more|long)\s+)?"
    rf"({_TIME_UNIT[1:-1]}|km|m|kilomet(?:re|er)s?|met(?:re|er)s?)\b(?!\s*\d)"
    rf"|\b(moi|hang|every|each|once\s+a|twice\s+a|per)\s+{_TIME_UNIT}\b"
    r"|\b(dinh\s+ky|annually|yearly|quarterly|monthly|weekly|daily)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAKS = frozenset("that which who whom where when and but or while because ma va".split())
# A unit of measure counts under any of its names, an abbreviation only right after the number:
# "how many kilometres of road" is answered by "11,3 km", "bao nhiêu héc-ta" by "52 ha".
_MEASURES = tuple(
    (frozenset(content_terms(names)), frozenset(short.split()))
    for names, short in (
        ("kilometres kilometers kilômét", "km"),
        ("metres meters mét", "m"),
        # Land is given by its area: "hiến bao nhiêu đất" is answered by "1,200 square metres".
        ("square metres mét vuông area diện tích land đất", "m2 m² ha"),
        ("hectares hecta land đất", "ha"),
        ("tonnes tons tấn", "t"),
        ("litres liters lít", "l"),
    )
)


def has_focused_number(
    sentence: str, focus: str | None, translations: frozenset[str] = frozenset()
) -> bool:
    """Return whether ``sentence`` holds a number, followed closely by the counted thing if known.

    "2,852 skillful mass mobilization models" counts models; "three reference points that cadres
    meet" does not count cadres.
    """
    if focus == PERCENT:
        return bool(re.search(r"\d\s*%|\bpercent\b|\bphan\s+tram\b", fold(sentence), re.IGNORECASE))
    if focus == DURATION:
        return bool(_LASTING.search(fold(sentence)))
    return counted_number(sentence, focus, translations) is not None


@functools.lru_cache(maxsize=8192)  # asked for each candidate, then again to bind its count
def counted_number(
    sentence: str, focus: str | None, translations: frozenset[str] = frozenset()
) -> int | None:
    """Return where in ``sentence`` the first number counting ``focus`` (any, if None) stands.

    ``translations`` are the focus's terms in the other language, which count it too.
    """
    text = fold(sentence)
    written = nfc(sentence).lower()
    if len(written) != len(text):
        written = text  # a rare case-folding that changes length: words are read folded
    for number in find_document_numbers(sentence):
        text = text.replace(number.key, " " * len(number.key))
    words = list(re.finditer(r"[\w.,]+", text.lower()))
    # "mét vuông" is an area and "mét" a length: the measure naming most of the phrase.
    measured = max(
        (m for m in _MEASURES if focus in m[0]),
        key=lambda m: len(m[0] & {focus, *translations}), default=None,
    )
    for index, match in enumerate(words):
        word = match.group(0).strip(".,")
        if _YEAR_RE.fullmatch(word):
            continue  # a year dates what is counted; it is not the count
        as_written = written[match.start() : match.end()].strip(".,")
        if not (_NUMBER_RE.fullmatch(word) or as_written in _VIETNAMESE_NUMBERS):
            continue
        if focus is None:
            return match.start()
        if measured and index + 1 < len(words) and words[index + 1].group(0) in measured[1]:
            return match.start()
        for following in words[index + 1 : index + 6]:
            if following.group(0) in _CLAUSE_BREAKS:
                break
            counted = set(content_terms(written[following.start() : following.end()]))
            if focus in counted or counted & translations or (
                measured is not None and counted & measured[0]
            ) or (
                focus == PEOPLE and counted & PERSON_TERMS
            ):
                return match.start()
    return None
