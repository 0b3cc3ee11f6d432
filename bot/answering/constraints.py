"""What the question takes for granted, checked against the evidence chosen to answer it.

A question that names a year asks about that year: evidence about the same commune in another
year does not answer it. A question that names a commune, a ward or a person the retrieved
passages know asks about that one: evidence about its neighbour does not answer it. A question
that asks why or when something was repealed, cancelled or shut down assumes that it was:
evidence that never mentions such an event does not answer it, whatever else it shares with the
question. A question that names a number ("provincial road 312", "mô hình 5 không 3 sạch") asks
about what bears it: evidence that never states that number, in digits or in words, is about
something else. A question that names a document ("Quyết định 215/QĐ-UBND") is answered from
that document or a text naming it, and one that names a place with its unit ("tỉnh Thanh Hóa")
that no passage found mentions asks about a place the documents do not cover. Names written with
diacritics are told apart by their tones ("Đồng Chưa" is not "Đồng Chùa"). All are checked on
the cited passages as a whole (header included, so a report's title year counts), after the
sentences are chosen and before anything is shown.

Before that, each candidate sentence is checked on its own: a sentence that opens with its own
year ("In 2023, 5 villages ...", "Năm 2025, xã phấn đấu ...") and never names the question's, or
that names its own commune (district, ward, village, province) and not the question's, is about
something else and is never quoted for it. A year further into a sentence is often a reference
to the past ("the dispute pending since 2023" in a 2024 report) and is left to the check of the
whole evidence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answering import messages
from bot.answering.glossary import opens_glossary_phrase
from vectorstore.text import (
    TYPE_WORDS,
    capitalised_runs,
    detect_language,
    find_document_numbers,
    find_partial_references,
    fold,
    nfc,
    without_document_numbers,
)
from vectorstore.tokenize import content_terms, toned

_DOCUMENT_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, TYPE_WORDS), key=len, reverse=True))
    + r"|no|so|law|luat|article|dieu|chapter|chuong)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_POSSESSIVE = re.compile(r"['’]s$")
_YEAR = re.compile(r"(?<![\d/.,-])(19[5-9]\d|20\d\d)(?![\d/.,-]?\d)")
# The date after a document's number, blanked first: the document's issue, not the facts' year.
_ISSUED = re.compile(
    r"(?<=   )\s*(?:ngày|dated|of)\s+\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d\b", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[,;:]|\b(?:and|but|while|và|nhưng|còn)\b", re.IGNORECASE)
# A year, or a date's year ("27/12/2024", "12/2024"): the year is group 1 or group 2.
_DATED = re.compile(rf"{_YEAR.pattern}|\b\d{{1,2}}/(?:\d{{1,2}}/)?((?:19|20)\d\d)\b")

# Events whose occurrence a question can presume, by kind, with their other forms: folded, and
# read with their tones where folding would make them common words ("không ngừng" is
# "constantly", "cán bộ đó" no "bỏ dở"). An English "why … stop" is a halt; a bare "stop" is as
# often a goal ("to stop littering"). The evidence must state an event of the kind presumed: a
# land recovery ("thu hồi đất") is no repeal.
_EVENTS = tuple(
    (re.compile(rf"\b({folded})\b", re.IGNORECASE), re.compile(marked) if marked else None)
    for folded, marked in (
        (r"repeal\w*|abolish\w*|annul\w*|revok\w*|rescind\w*|cancel\w*|scrap(?:ped|ping)?|"
         r"invalidat\w*|overturn\w*|struck\s+down|bai\s+bo|huy\s+bo|bi\s+huy|xoa\s+bo|"
         r"het\s+hieu\s+luc", ""),
        (r"withdr[ae]w\w*|thu\s+hoi", ""),
        (r"shut\s+down|shutting\s+down|closed|closing|closure|dissolv\w*|disband\w*|"
         r"giai\s+the|giai\s+tan|dung\s+hoat\s+dong|dong\s+cua|cham\s+dut", ""),
        (r"suspend\w*|terminat\w*|postpon\w*|stopped|halted|abandoned|discontinu\w*|"
         r"dinh\s+chi|tri\s+hoan",
         r"(?<!không )\bngừng\b|\bngưng\b|\bdừng lại\b|\btạm dừng\b|\bbỏ dở\b|\bhoãn\b"
         r"|(?<=\bwhy\b)(?:[^?.]{0,60}?)\b(stop|halt|abandon)\b"),
        (r"merg(?:ed|er|ing)|sap\s+nhap|hop\s+nhat", ""),
        (r"disciplin\w*|dismiss\w*|expell?\w*|resign\w*|ky\s+luat|cach\s+chuc|mien\s+nhiem|"
         r"bai\s+nhiem|khai\s+tru", r"\btừ chức\b"),
        (r"banned|prohibited|bi\s+dep", ""),
        (r"demolish\w*|pha\s+bo|thao\s+do", ""),
        (r"arrest\w*|prosecut\w*|indict\w*|bat\s+giu", r"\bkhởi tố\b|\btruy tố\b"),
    )
)


def _events(text: str) -> dict[int, str]:
    """Return the kinds of event ``text`` states or presumes, each with the words saying so."""
    folded, written = fold(text).lower(), nfc(text).lower()
    found = {}
    for kind, (plain, marked) in enumerate(_EVENTS):
        match = plain.search(folded) or (marked.search(written) if marked else None)
        if match:
            found[kind] = match.group(match.lastindex or 0).strip()
    return found


# A "why" question presumes what it asks the reason for: a failure ("vì sao … không hoàn
# thành", "why hasn't …") or a change in one direction ("why did … cut the allowance"). The
# quoted answer must state it: a failure by a negation, a change by a word of its direction.
_WHY = re.compile(r"\b(why|vi sao|tai sao|ly do|nguyen nhan)\b")
_NEGATION = re.compile(
    r"\b(?:không|chưa|chẳng|chả|not|never|no longer|fail\w*|unable|yet)\b|n't\b"
)
_DIRECTIONS = (
    re.compile(r"\b(?:cut|cuts|cutting|reduc\w*|lower\w*|decreas\w*|dropp?\w*|fell|fall\w*|"
               r"declin\w*|slash\w*|cắt|giảm|hạ(?! tầng))\b"),
    re.compile(r"\b(?:rais\w*|increas\w*|rose|rises?|rising|grew|grow\w*|boost\w*|tăng|nâng)\b"),
)


def _why_premise(question: str, quoted: str) -> str | None:
    """Return the failure or change a "why" question presumes and ``quoted`` does not state."""
    if not _WHY.search(fold(question).lower()):
        return None
    asked, said = nfc(question).lower(), nfc(quoted).lower()
    presumed = [_NEGATION, *_DIRECTIONS]
    for pattern in presumed:
        match = pattern.search(asked)
        if match and not pattern.search(said):
            return " ".join(asked[match.start() :].split()[:4]).rstrip("?.!")
    return None


# Words naming an administrative unit, folded, with the kind they name. A Vietnamese unit word
# comes before the name ("xã Tân Hòa"), an English one after it ("Tan Hoa commune") or before
# "of" ("the commune of Tan Hoa").
_VIETNAMESE_UNITS = {
    "xa": "commune", "huyen": "district", "phuong": "ward", "thon": "village", "lang": "village",
    "tinh": "province", "thi tran": "town", "thanh pho": "city",
}  # fmt: skip
_ENGLISH_UNITS = {
    "commune": "commune", "district": "district", "ward": "ward", "village": "village",
    "hamlet": "village", "province": "province", "town": "town", "city": "city",
}  # fmt: skip
_UNIT_WORD = re.compile(
    r"(" + "|".join(sorted(map(re.escape, {**_VIETNAMESE_UNITS, **_ENGLISH_UNITS}), key=len,
                           reverse=True)) + r")\b",
)
# Capitalised words that start an English sentence or clause without being part of a name.
_NOT_NAME = frozenset(
    "in the at on for of by from to and a an this that its their while when why how what which "
    "who whom did does do has have is was were are will under after before since during".split()
)
_NAME_WORDS = 3  # at most this many words of a unit's name are read
_OPENING_WORDS = 8  # a sentence's own time is stated within its first words or clause
_CLAUSE_BREAK = re.compile(r"[,;:](?!\d)|\s[–—-]\s")  # not the comma of "3,2%"
# Question words after a unit word ("thôn nào", "xã gì"): the unit is asked for, not named.
_ASKING = frozenset({"nao", "gi", "nay", "do", "ay"})


@dataclass(frozen=True)
class Scope:
    """An administrative unit a text names: its kind and its folded, lower-case name.

    ``loose`` marks a name read from a question typed in lower case ("xa tan hoa nam 2024"),
    where the name's end is unknown: it matches any name its words start with.
    """

    kind: str
    name: str
    loose: bool = False
    # Each syllable of the name by its tones ("" for one typed without diacritics); two mentions
    # of one place compare equal whatever their spelling, and ``matches`` tells tones apart.
    toned: tuple[str, ...] = field(default=(), compare=False)
    # The name may be an office holder's: "Chủ tịch UBND xã Đinh Công Tráng" (the chairman), or
    # a ward named after a person ("phường Trần Hưng Đạo"). No conflict is read from it.
    holder: bool = field(default=False, compare=False)

    def matches(self, other: Scope) -> bool:
        """Return whether ``other`` (a unit named by a document) is this unit.

        Syllables both written with diacritics are told apart by their tones: thôn "Đồng Chưa" is
        not thôn "Đồng Chùa"; a syllable typed without them (English, a phone) matches by letters.
        """
        if self.kind != other.kind:
            return False
        if self.loose:
            return f"{self.name} ".startswith(f"{other.name} ")
        return self.name == other.name and _same_tones(self.toned, other.toned)


def _same_tones(one: Sequence[str], other: Sequence[str]) -> bool:
    """Return whether two names' syllables agree wherever both are written with their tones."""
    return all(a == b or not a or not b for a, b in zip(one, other, strict=False))


def _syllable_tones(written: Sequence[str]) -> tuple[str, ...]:
    return tuple(_spelled_word(w.lower())[1] for w in written)


@functools.lru_cache(maxsize=65536)  # the same few thousand words, in every passage read
def _spelled_word(word: str) -> tuple[str, str]:
    """Return a lower-case word folded, and by its tone ("" when written without diacritics)."""
    folded = fold(word)
    return folded, (toned(word) if folded != word else "")


def scopes_in(text: str) -> list[Scope]:
    """Return the administrative units ``text`` names: "xã Tân Hòa", "Hoa Son district".

    Vietnamese puts the unit's word first, English after the name (or "the commune of X"). A
    name is a run of capitalised words; in a text typed in lower case, the words after the unit
    word are taken as a loose name.
    """
    return [scope for scope, _ in _scopes_at(text)]


def unit_name(text: str, unit: str) -> str | None:
    """Return the name ``text`` gives the first unit of the kind the folded word ``unit`` names.

    "xa" after "ai la bi thu xa tan phong" is "tan phong"; None if ``text`` names no such unit.
    """
    kind = _VIETNAMESE_UNITS.get(unit) or _ENGLISH_UNITS.get(unit)
    return next((scope.name for scope in scopes_in(text) if scope.kind == kind), None)


def _scopes_at(text: str) -> list[tuple[Scope, int]]:
    """Return :func:`scopes_in`'s units, each with where its name starts in ``text``."""
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    folded_words = [fold(w).lower() for w, _, _ in words]
    lower_case = not any(ch.isupper() for ch in text)
    scopes: list[tuple[Scope, int]] = []
    index = 0
    while index < len(words):
        match = _UNIT_WORD.match(" ".join(folded_words[index : index + 2]))
        if match is None or not words[index][0][: len(match.group(1))].isalpha():
            index += 1
            continue
        unit = match.group(1)
        width = len(unit.split())
        after = index + width
        if unit in _VIETNAMESE_UNITS and after < len(words) and folded_words[after] == "uy":
            after += 1  # "Huyện ủy Hòa Sơn", "Tỉnh ủy Hà Tĩnh": the unit's Party committee
        run: list[int] = []
        holder = False
        if unit in _VIETNAMESE_UNITS:
            kind = _VIETNAMESE_UNITS[unit]
            run = _name_run(text, words, after, 1, _NAME_WORDS + 3)
            if kind != "village" and _after_office(folded_words, index):
                # "Chủ tịch UBND xã Phú Lộc Đinh Công Tráng": the office holder follows the name.
                held = next((k for k, i in enumerate(run)
                             if k and folded_words[i] in _SURNAMES and len(run) - k >= 2), None)
                if held is not None:
                    run = run[:held]
                else:
                    holder = bool(run) and folded_words[run[0]] in _SURNAMES and len(run) >= 3
            run = run[:_NAME_WORDS]
        else:
            kind = _ENGLISH_UNITS[unit]
            if after < len(words) and folded_words[after] == "of":
                run = _name_run(text, words, after + 1, 1)
            else:
                run = sorted(_name_run(text, words, index - 1, -1))
        if run:
            name = " ".join(folded_words[i] for i in run)
            tones = _syllable_tones([words[i][0] for i in run])
            scopes.append((Scope(kind, name, toned=tones, holder=holder), words[run[0]][1]))
        elif lower_case and unit in _VIETNAMESE_UNITS:
            loose = [w for w in folded_words[after : after + _NAME_WORDS] if w.isalpha()]
            if loose and loose[0] not in _ASKING:
                scopes.append((Scope(kind, " ".join(loose), loose=True), words[index][1]))
        index += width
    return scopes


# Vietnamese family names: a run of three or more capitalised words opening with one, after an
# office and its unit ("Chủ tịch UBND xã Đinh Công Tráng"), is the office holder.
_SURNAMES = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh doan trinh "
    "truong lam mai cao luong luu ta chu kieu quach thai tong la lo vi ha".split()
)
_OFFICES = re.compile(
    r"\b(chu tich|pho chu tich|bi thu|pho bi thu|truong ban|pho truong ban|truong cong an|"
    r"chi huy truong|uy ban nhan dan|ubnd|hdnd|dang uy|mat tran to quoc|mttq|ubmttq)\s*$"
)


def _after_office(folded: list[str], unit: int) -> bool:
    """Return whether the unit word at ``unit`` names an office's unit ("Chủ tịch UBND xã")."""
    return bool(_OFFICES.search(" ".join(folded[max(0, unit - 5) : unit])))


def _name_run(
    text: str, words: list[tuple[str, int, int]], start: int, step: int, most: int = _NAME_WORDS
) -> list[int]:
    """Return the indexes of the capitalised words running from ``start`` in direction ``step``."""
    run: list[int] = []
    index = start
    while 0 <= index < len(words) and len(run) < most:
        word, begin, end = words[index]
        if not word[0].isupper() or word.lower() in _NOT_NAME:
            break
        if run:  # the words of one name are separated by spaces only, on one line
            left, right = (words[run[-1]][2], begin) if step > 0 else (end, words[run[-1]][1])
            if not text[left:right].isspace() or "\n" in text[left:right]:
                break
        run.append(index)
        index += step
    return run


# The level a figure is given for, on folded lower-case text: "cấp huyện", "toàn tỉnh",
# "district-level", "nationwide". A figure for one level does not answer a question about another.
_LEVELS = {
    "national": r"ca nuoc|toan quoc|cap trung uong|nationwide|nation-wide|countrywide|"
                r"country-wide|across the country|whole country|national levels?",
    "province": r"cap tinh|toan tinh|(?:provincial|province)[- ]levels?|province-wide",
    "district": r"cap huyen|toan huyen|district[- ]levels?|district-wide",
    "commune": r"cap xa|toan xa|(?:commune|communal)[- ]levels?|commune-wide",
    "village": r"cap thon|(?:village|hamlet)[- ]levels?",
}  # fmt: skip
_LEVEL_RE = {level: re.compile(rf"\b(?:{words})\b") for level, words in _LEVELS.items()}
# A unit named, with its tones ("địa phương", "tình hình", "tinh thần" name none); a text typed
# without diacritics is read by its letters.
_UNIT_NAMED = re.compile(
    r"\b(?:xã|huyện|tỉnh|thôn|phường|commune|district|province|village|ward)\b"
)
_PLAIN_UNIT_NAMED = re.compile(
    r"\b(?:xa|huyen|tinh|thon|phuong|commune|district|province|village|ward)\b"
)


# The period a rate is given for, on folded lower-case text: "mỗi quý", "per month", "annually".
# A rate per quarter does not answer a question about a rate per month.
_PERIODS = {
    "day": r"(?:moi|hang|per|a|each|every)\s+(?:ngay|day)|daily",
    "week": r"(?:moi|hang|per|a|each|every)\s+(?:tuan|week)|weekly",
    "month": r"(?:moi|hang|per|a|each|every)\s+(?:thang|month)|monthly",
    "quarter": r"(?:moi|hang|per|a|each|every)\s+(?:quy|quarter)|quarterly",
    "year": r"(?:moi|hang|per|a|each|every)\s+(?:nam|year)|annually|yearly",
}  # fmt: skip
_PERIOD_RE = {kind: re.compile(rf"\b(?:{words})\b") for kind, words in _PERIODS.items()}


# A count asked as something done ("đã … bao nhiêu", "how many … has it created"), not as a
# target; and a sentence stating a target or a plan ("phấn đấu", "dự kiến", "is expected to",
# "will"), not counting "vượt chỉ tiêu" (beat the target), which reports what was done.
_COUNT_ASKED = re.compile(r"\b(?:bao nhieu|how many|how much)\b")
_DONE_ASKED = re.compile(
    r"\bđã\b|\bthực tế\b|\b(?:did|has|have|had|was|were)\b|\bso far\b"
    r"|\bhow many\s+(?:\w+\s+){1,3}\w{3,}ed\b"  # "how many households donated land"
)
_TARGET = re.compile(
    r"(?<!vượt )(?<!đạt )(?<!hoàn thành )\b(?:phấn đấu|mục tiêu|dự kiến|kế hoạch|chỉ tiêu|sẽ)\b"
    r"|\b(?:aims?|aiming|aimed|plans?|planned|planning|targets?|targeted|expected|will|intends?)"
    r"\b(?:\s+to)?"
)


def asks_done(question: str) -> bool:
    """Return whether ``question`` counts something done rather than a target or plan."""
    written = nfc(question).lower()
    return (
        bool(_COUNT_ASKED.search(fold(written)) and _DONE_ASKED.search(written))
        and not _TARGET.search(written)
    )


def states_target(sentence: str) -> bool:
    """Return whether ``sentence`` gives a target or a plan ("phấn đấu", "is expected to")."""
    return bool(_TARGET.search(nfc(sentence).lower()))


def periods_named(text: str) -> set[str]:
    """Return the periods ``text`` gives rates for ("month" for "mỗi tháng", "per month")."""
    return _kinds_named(text, _PERIOD_RE)


def levels_named(text: str) -> set[str]:
    """Return the levels ``text`` gives figures for ("national", "province", "district", ...)."""
    return _kinds_named(text, _LEVEL_RE)


def _kinds_named(text: str, patterns: dict[str, re.Pattern[str]]) -> set[str]:
    folded = fold(nfc(text)).lower()
    return {kind for kind, pattern in patterns.items() if pattern.search(folded)}


@dataclass(frozen=True)
class Constraints:
    """What a question fixes: the years, the administrative units and the level it names."""

    years: frozenset[str]
    scopes: tuple[Scope, ...]
    levels: frozenset[str] = frozenset()
    periods: frozenset[str] = frozenset()
    done: bool = False  # what was done is asked for: a target does not answer

    @classmethod
    def of(cls, question: str) -> Constraints:
        """Read the constraints of ``question``."""
        return cls(frozenset(years_named(question)), tuple(scopes_in(question)),
                   frozenset(levels_named(question)), frozenset(periods_named(question)),
                   asks_done(question))

    def other_level(self, sentence: str) -> bool:
        """Return whether ``sentence`` gives its figure for another level than the question's.

        A sentence naming a level names its own; one about a commune, district or province
        ("the district now has 397 models") is not about the whole country.
        """
        if not self.levels:
            return False
        stated = levels_named(sentence)
        if stated:
            return not stated & self.levels
        if "national" not in self.levels:
            return False
        written = nfc(sentence).lower()
        plain = fold(written) == written
        return bool((_PLAIN_UNIT_NAMED if plain else _UNIT_NAMED).search(written))

    def conflict(self, sentence: str, dated: str | None = None) -> str | None:
        """Return what ``sentence`` states instead of the question's year or unit, or None.

        A sentence that names no year, or no unit of the question's kind, does not conflict:
        its passage's other sentences and header are checked afterwards. A sentence naming only
        other years is about them, unless its document is dated the year asked (``dated``, ISO):
        "now counts 2,150, up from 1,980 in 2021" in a 2023 report.
        """
        if self.years:
            named = years_named(sentence)
            if named and not named & self.years and (
                years_named(opening(sentence)) or (dated or "")[:4] not in self.years
            ):
                return "year"
        if self.other_level(sentence):
            return "level"
        if self.done and states_target(sentence):
            return "target"
        if self.periods:
            stated = periods_named(sentence)
            if stated and not stated & self.periods:
                return "period"  # a rate for another period: "per quarter" for "mỗi tháng"
        if self.scopes:
            spelled = Spelled.of(sentence)
            units = scopes_in(sentence)
            for wanted in self.scopes:
                if wanted.loose or not spelled.names(wanted.name, wanted.toned):
                    same_kind = [u for u in units if u.kind == wanted.kind and not u.holder]
                    if same_kind and not any(wanted.matches(unit) for unit in same_kind):
                        return "entity"
        return None

    def binds(self, sentence: str, at: int | None, *, dated: bool = True) -> bool:
        """Return whether the figure at ``at`` in ``sentence`` belongs to the question's unit.

        In a sentence naming the question's unit and another of its kind, the figure is the
        nearest one's. A sentence naming one unit, or none, or no figure, binds. With ``dated``
        (the figure counts the question's thing), the year named last before the figure in its
        clause dates it: "…, năm 2024 xã có 36 hộ thoát nghèo" counts 2024's ("in 2012 reached
        20.6 million, and … 24 million in 2015" does not date the second).
        """
        if at is None:
            return True
        if self.years and dated:
            before = without_document_numbers(sentence)[:at]
            years = list(_DATED.finditer(before))
            if years and not _CLAUSE_END.search(before[years[-1].end() :]) and (
                years[-1].group(1) or years[-1].group(2)
            ) not in self.years:
                return False
        if not self.scopes:
            return True
        units = _scopes_at(sentence)
        for wanted in self.scopes:
            named = [(u, start) for u, start in units if u.kind == wanted.kind and not u.holder]
            if len({unit.name for unit, _ in named}) < 2:
                continue
            if not any(wanted.matches(unit) for unit, _ in named):
                continue
            nearest = min(named, key=lambda item: abs(item[1] - at))[0]
            if not wanted.matches(nearest):
                return False
        return True


def opening(sentence: str) -> str:
    """Return the opening of ``sentence``: its first clause, at most its first few words."""
    head = _CLAUSE_BREAK.split(sentence, maxsplit=1)[0]
    return " ".join(head.split()[:_OPENING_WORDS])


@dataclass(frozen=True)
class Unmet:
    """A presumption of the question that the evidence does not support."""

    reason: str  # machine-readable: other_year, other_number, other_entity, unsupported_premise
    text: str  # the refusal shown to the user


def years_named(text: str) -> set[str]:
    """Return the years a text names, leaving out those inside document numbers (06/2014/NĐ-CP)."""
    return set(_years_named(text))


@functools.lru_cache(maxsize=8192)  # asked of each candidate by several checks
def _years_named(text: str) -> frozenset[str]:
    return frozenset(_YEAR.findall(without_document_numbers(text)))


def names_in(text: str, opening: bool = False) -> list[str]:
    """Return the proper names of ``text``: runs of two or more capitalised words, not first.

    Names of documents ("Resolution No.25-NQ/TW", "Nghị định 06/2014") are not names here:
    document numbers have checks of their own. With ``opening``, two capitalised words that
    open the text are also given as a name when the first is no function word: "Hà Giang có
    bao nhiêu …" opens with a name, "How Many …" does not (whoever asks must then see whether
    the documents spell it).
    """
    return [
        _POSSESSIVE.sub("", name) for name in _capitalised_runs(text, opening)
        if not _DOCUMENT_WORDS.search(fold(name))
    ]


def _capitalised_runs(text: str, opening: bool = False) -> list[str]:
    """Return the runs of two or more capitalised words, leaving out the text's first word.

    A run that opens a glossary phrase with the lower-case word after it is a body's name, not a
    proper name ("Bộ Chính trị" is the Politburo, "Hội Nông dân" the Farmers' Association): other
    languages translate it rather than write it alike.
    """
    names = []
    for start, run in capitalised_runs(text, _WORD):
        end = text.find(run[-1], start) + len(run[-1])
        after = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
        readings = [run[1:] if start == 0 else run]
        if opening and start == 0 and len(run) == 2 and content_terms(run[0]):
            readings.append(run)
        for named in readings:
            if after and opens_glossary_phrase(f"{' '.join(named)} {after.group(0)}"):
                break  # a body's name, and so is the run it ends ("Trưởng Ban Dân vận")
            if len(named) >= 2:
                names.append(" ".join(named))
    return names


_QUOTED = re.compile(r"[“\"«]([^”\"»]{3,120})[”\"»]")


def gives_new_name(sentence: str, asked: Spelled) -> bool:
    """Return whether ``sentence`` gives a name (a quoted title, a proper name) not ``asked``.

    "Mô hình đầu tiên tên là gì?" is answered by a sentence naming the model, not by one
    repeating the “Dân vận khéo” of the question.
    """
    return any(
        not asked.names(_squeeze(name))
        for name in [*_QUOTED.findall(sentence), *names_in(sentence)]
    )


def _squeeze(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text).lower()))


@dataclass(frozen=True)
class Spelled:
    """A text's syllables two ways: folded (lower case), and by their tones."""

    folded: tuple[str, ...]
    tones: tuple[str, ...]  # "" for a syllable written without diacritics

    @classmethod
    def of(cls, text: str) -> Spelled:
        """Read ``text``'s syllables (the passages of one answer are read once, not per check)."""
        return _read_spelled(text)

    def names(self, folded: str, tones: Sequence[str] = ()) -> bool:
        """Return whether this text names ``folded`` (a name's folded words), in any spelling.

        Written apart or as one word ("Hà Nội" is the "Hanoi" of an English text). Where both
        write a syllable with diacritics, the tones must agree: thôn "Đồng Chưa" is not thôn
        "Đồng Chùa", while a syllable typed without them ("Tân Hoa") meets any tone.
        """
        parts = tuple(folded.split())
        width = len(parts)
        joined = "".join(parts)
        for at in range(len(self.folded)):
            if self.folded[at] == joined and width > 1:
                return True
            if self.folded[at : at + width] == parts and _same_tones(
                tones, self.tones[at : at + width]
            ):
                return True
        return False


@functools.lru_cache(maxsize=1024)
def _read_spelled(text: str) -> Spelled:
    spelled = [_spelled_word(w) for w in re.findall(r"\w+", nfc(text).lower())]
    return Spelled(tuple(f for f, _ in spelled), tuple(t for _, t in spelled))


def _toned_name(name: str) -> tuple[str, ...]:
    return _syllable_tones(re.findall(r"\w+", nfc(name).lower()))


def unnamed(question: str, cited: Spelled, known: Spelled, retrieved: str = "") -> str | None:
    """Return a name of ``question`` that the documents spell (``known``) and ``cited`` does not.

    A name written in the other language, which no retrieved passage spells as the question does,
    is never held against the evidence. The names of the ``retrieved`` text count in a question
    typed in lower case too.
    """
    for name in [*names_in(question, opening=True), *typed_names(question, retrieved)]:
        folded, marked = _squeeze(name), _toned_name(name)
        if known.names(folded, marked) and not cited.names(folded, marked) and not any(
            cited.names(alias) for alias in _ALIASES.get(folded, ())
        ):
            return name
    return None


def typed_names(question: str, text: str) -> list[str]:
    """Return the names of ``text`` that ``question`` types in lower case, as it types them.

    On a phone a name loses its capitals and diacritics: "già làng lo van pheng" names Lò Văn
    Phềnh as surely as the capitalised name would. Only a Vietnamese question is read so (an
    English one capitalises its names, and its lower-case words are the language's own).
    """
    if not text or detect_language(question) != "vi":
        return []
    words = re.findall(r"\w+", nfc(question))
    known = _names_of(text)
    found: list[str] = []
    at = 0
    while at < len(words):
        for width in (4, 3, 2):
            run = words[at : at + width]
            if len(run) == width and all(w.islower() for w in run) and " ".join(
                fold(w) for w in run
            ) in known:
                found.append(" ".join(run))
                at += width
                break
        else:
            at += 1
    return found


@functools.lru_cache(maxsize=256)
def _names_of(text: str) -> frozenset[str]:
    return frozenset(_squeeze(name) for name in names_in(text) if len(name.split()) <= 4)


# One person under the names the texts give him: "Uncle Ho" is "Bác Hồ" and Ho Chi Minh.
_HO_CHI_MINH = ("ho chi minh", "uncle ho", "bac ho", "president ho", "chu tich ho")
_ALIASES = {name: tuple(other for other in _HO_CHI_MINH if other != name) for name in _HO_CHI_MINH}


def unmet_presumption(
    question: str, evidence: str, language: str, retrieved: str = "", quoted: str = ""
) -> Unmet | None:
    """Return what ``question`` presumes and ``evidence`` does not state, or None.

    ``retrieved`` is the text of every passage retrieved: a name counts only when the documents
    spell it as the question does, so a name written in the other language is never held
    against the evidence. ``quoted`` is the answer's quotes, which must state what a "why"
    question presumes.
    """
    cited, known = Spelled.of(evidence), Spelled.of(retrieved)
    name = unnamed(question, cited, known, retrieved)
    if name is not None:
        return Unmet("other_entity", messages.text(language, "other_entity", name=name))
    # A place named with its unit ("tỉnh Thanh Hóa", "Phu Loc commune") that no passage found
    # names in any spelling is a place the documents say nothing about; one they name, typed
    # in lower case too ("duong thon dong chua"), the evidence must name.
    places = [s for s in scopes_in(question) if not s.holder] if retrieved else []
    cited_places = scopes_in(evidence) if places else []
    named: list[Scope] | None = None  # the retrieved passages' places, read only when needed
    for scope in places:
        unknown = not scope.loose and not known.names(scope.name, scope.toned)
        elsewhere = False
        if not unknown and not any(scope.matches(u) for u in cited_places):
            named = scopes_in(retrieved) if named is None else named
            elsewhere = any(scope.matches(u) for u in named)
        if unknown or elsewhere:
            at = fold(question).lower().find(scope.name)
            shown = question[at : at + len(scope.name)] if at >= 0 else scope.name
            return Unmet("other_entity", messages.text(language, "other_entity", name=shown))
    wanted = years_named(question)
    stated = _evidence_numbers(evidence)
    # A full date states its year too: "ngày 20/12/2024" covers 2024 (stated as "12/2024"), but
    # not the date a cited document was issued ("Chỉ thị số 18-CT/TU ngày 12/11/2025").
    undated = _ISSUED.sub(" ", without_document_numbers(evidence))
    covered = years_named(undated) | {
        n.split("/")[1] for n in _evidence_numbers(undated) if "/" in n
    }
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
    # A number naming a thing ("Ring Road 3", "ngõ 35") is met only beside the same word, where
    # the evidence has that word: "Ring Road 4 … three months ahead" does not name Ring Road 3.
    squeezed = f" {_squeeze(evidence)} "
    absent = [
        (number, phrase) for number, phrase in numbers_named(question)
        if number not in wanted and (
            number not in stated or (
                _names_a_thing(phrase) and f" {_squeeze(phrase.split()[0])} " in squeezed
                and not _thing_named(phrase, squeezed)
            )
        )
    ]
    if absent:
        return Unmet(
            "other_number",
            messages.text(language, "other_number", number=absent[0][1]),
        )
    presumed_events = _events(question)
    if presumed_events:
        happened = _events(evidence)
        kind = next((k for k in presumed_events if k not in happened), None)
        if kind is not None:
            return Unmet(
                "unsupported_premise",
                messages.text(language, "unsupported_premise", event=presumed_events[kind]),
            )
    presumed = _why_premise(question, quoted or evidence)
    if presumed:
        return Unmet("unsupported_premise",
                     messages.text(language, "unsupported_premise", event=presumed))
    # A question about a document is answered from it, or from a text that names it.
    # A full number is met by the same number, or a reference by type and number ("Quyết định
    # 215"); a reference in the question by any document of that type and number.
    full = find_document_numbers(question)
    documents = [(n.doc_type, n.number, n.key) for n in full] + [
        (p.doc_type, p.number, p.text) for p in find_partial_references(question)
    ]
    if documents:
        cited_numbers = find_document_numbers(evidence)
        partial = {(p.doc_type, p.number) for p in find_partial_references(evidence)}
        keys = {n.key for n in cited_numbers}
        types = {(n.doc_type, n.number) for n in cited_numbers} | partial
        if not any(n.key in keys or (n.doc_type, n.number) in partial for n in full) and not any(
            (kind, number) in types for kind, number, _ in documents[len(full):]
        ):
            asked = documents[0][2]
            at = fold(nfc(question)).find(asked)
            shown = nfc(question)[at : at + len(asked)] if at >= 0 else asked
            text = messages.text(language, "other_document", document=shown)
            return Unmet("other_document", text)
    return None


def numbers_named(text: str) -> list[tuple[str, str]]:
    """Return the numbers ``text`` names as identifiers or figures, each with its phrase.

    A number is read digits only ("15,000" and "15.000" are one); each comes with the word
    before it, for the refusal to quote ("road 312"). Numbers of documents, articles and
    clauses are left out: references have checks of their own.
    """
    text = without_document_numbers(text)
    found = []
    for match in _NUMBER.finditer(text):
        before = text[: match.start()].split()
        word = before[-1] if before else ""
        if _REFERENCE_BEFORE.search(fold(" ".join(before[-3:])).lower()):
            continue
        phrase = f"{word} {match.group(0)}" if word.isalpha() else match.group(0)
        found.append((_digits(match.group(0)), phrase))
    # A month spelt out next to a day or a year ("December 2024") is named as surely as a number,
    # and a month with its year is one date: December 2023 does not give December 2024.
    for match in _MONTH_DATE.finditer(text):
        if match.group("day") or match.group("after") or match.group("year"):
            found.append((_NUMBER_WORDS[match.group("month").lower()], match.group(0).strip()))
    found.extend(_months_of_years(text).items())
    return found


# Words after which a number is the name of a thing rather than a figure.
_THING_WORDS = frozenset(
    "road route highway street lane alley zone block area group team hamlet "
    "duong ngo hem khu xom ap thon".split()
)


def _names_a_thing(phrase: str) -> bool:
    """Return whether ``phrase`` ("Road 3", "ngõ 35") is a number naming a thing."""
    words = phrase.split()
    return len(words) == 2 and words[-1].isdigit() and fold(words[0]).lower() in _THING_WORDS


def _thing_named(phrase: str, squeezed: str) -> bool:
    """Return whether folded ``squeezed`` text names the thing of ``phrase``: "ngõ (số) 35"."""
    word, number = _squeeze(phrase).split()
    return bool(re.search(rf" {word} (?:(?:so|no|number) )?{number} ", squeezed))


def _months_of_years(text: str) -> dict[str, str]:
    """Return the months ``text`` dates with their year ("12/2024"), each with its phrase.

    Read in every form a document or a question writes them: "December 2024", "15 December
    2024", "tháng 12/2024", "tháng 12 năm 2024", "15/12/2024".
    """
    found: dict[str, str] = {}
    for match in _MONTH_DATE.finditer(text):
        if match.group("year"):
            month = _NUMBER_WORDS[match.group("month").lower()]
            found.setdefault(f"{month}/{match.group('year')}", match.group(0).strip())
    folded = fold(text)
    for pattern in (_NUMERIC_MONTH, _VIETNAMESE_MONTH):
        for match in pattern.finditer(folded):
            month, year = match.group("month").lstrip("0"), match.group("year")
            found.setdefault(f"{month}/{year}", text[match.start() : match.end()])
    return found


def _evidence_numbers(text: str) -> set[str]:
    """Return the numbers ``text`` states: in digits, and the small ones and months in words.

    A month dated with its year is stated as "12/2024" too (no other number holds a "/").
    """
    numbers = {_digits(number) for number in _NUMBER.findall(text)}
    numbers.update(_digits(month) for month in _DATE_MONTH.findall(text))
    numbers.update(_months_of_years(text))
    numbers.update(
        _NUMBER_WORDS[word] for word in re.findall(r"\w+", text.lower()) if word in _NUMBER_WORDS
    )
    return numbers


def _digits(number: str) -> str:
    """Return ``number``'s digits: "15.000" and "15,000" are one, and "01" is "1"."""
    return re.sub(r"[.,]", "", number).lstrip("0") or "0"


_NUMBER = re.compile(r"(?<![\w.,/-])\d+(?:[.,]\d+)*")
_DATE_MONTH = re.compile(r"\b\d{1,2}/(\d{1,2})\b")  # 15/10, 15/10/2024: the month
_NUMERIC_MONTH = re.compile(r"\b(?:\d{1,2}/)?(?P<month>\d{1,2})/(?P<year>(?:19|20)\d\d)\b")
_VIETNAMESE_MONTH = re.compile(
    r"\bthang\s+(?P<month>\d{1,2})(?:\s*[/,-]\s*|\s+nam\s+|\s+)(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_MONTHS = "january february march april may june july august september october november december"
_MONTH_DATE = re.compile(
    r"(?:\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+)?\b(?P<month>" + "|".join(_MONTHS.split())
    + r")\b(?:\s+(?P<after>\d{1,2})\b)?(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
# The words that make the number after them a reference: "Decree 06", "nghị quyết số 25".
_REFERENCE_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, (fold(w).lower() for w in TYPE_WORDS)), key=len,
                               reverse=True))
    + r"|law|luat|article|dieu|chapter|chuong|clause|khoan|point|diem|section|muc)"
    r"(?:\W+(?:so|no))?\W*$"
)
# Numbers a document writes in words, with the months an English date spells out. Vietnamese
# words keep their diacritics (folded, "sau" and "bay" would read "after" and "fly" as numbers);
# "ba" and "năm" are left out, being as often "ngã ba" (a crossroads) and "năm" (a year).
_NUMBER_WORDS = {
    word: str(value)
    for words in (
        "one two three four five six seven eight nine ten eleven twelve",
        _MONTHS,
        "một hai - bốn - sáu bảy tám chín mười",
    )
    for value, word in enumerate(words.split(), start=1)
    if word != "-"
}
