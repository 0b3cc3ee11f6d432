"""Follow-up questions: what an earlier turn lends a question that points back at it.

"Mô hình của xã đó tên là gì?" after a question on xã Tân Phong asks about xã Tân Phong; "and when
was it issued?" after an answer about Resolution 25-NQ/TW asks about that resolution.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answering.constraints import scopes_in, unit_name, years_named
from bot.answering.types import Turn
from vectorstore.text import (
    DOCUMENT_TYPES,
    find_document_numbers,
    find_partial_references,
    fold,
    nfc,
)
from vectorstore.tokenize import content_terms

_FOLLOW_UP_RE = re.compile(
    r"^\s*(and|also|what\s+about|how\s+about|then|so|con|the\s+con|vay|va)\b"
    r"|\b(it|its|this|that|these|those|they|them|the\s+same|do|no|nay|ay|tren|van\s+ban\s+do)\b",
    re.IGNORECASE,
)

_REFERRED = (
    r"xa|huyen|tinh|phuong|thon|ban|lang|van\s+ban|nghi\s+dinh|nghi\s+quyet|chi\s+thi|"
    r"quyet\s+dinh|ket\s+luan|luat|ke\s+hoach|bao\s+cao|mo\s+hinh|hoi\s+nghi|chuong\s+trinh|"
    r"phong\s+trao|du\s+an|cong\s+trinh"
)
_REFERRED_EN = (
    r"commune|district|province|ward|village|hamlet|document|decree|resolution|directive|"
    r"decision|conclusion|law|plan|report|model|conference|programme|program|movement|project"
)
_POINTING_BACK_RE = re.compile(
    rf"\b(?P<vi>{_REFERRED})\s+(?:do|nay|ay|tren)\b"
    rf"|\b(?:that|this|the\s+same|the\s+said|said)\s+(?P<en>{_REFERRED_EN})\b",
    re.IGNORECASE,
)
_AFTER_NOUN_RE = re.compile(r"\s+of\s+|\s+", re.IGNORECASE)


def resolve_follow_up(question: str, history: Sequence[Turn]) -> tuple[str, str | None]:
    """Return the query to search for and the subject of the conversation.

    A question pointing back at a place or document named in the latest earlier turn ("xã đó",
    "that decree") is read with that name in its place: "Mô hình của xã đó tên là gì?" after a
    question on xã Tân Phong asks about xã Tân Phong. A short question with a pronoun or a leading
    "and"/"còn" borrows the subject of the latest earlier turn ("and when was it issued?" after an
    answer about Resolution 25-NQ/TW).
    """
    own_subject = subject_of(question)
    if not history:
        return question, own_subject
    previous = history[-1]
    previous_subject = previous.answer.subject or subject_of(previous.question)
    names_document = bool(find_document_numbers(question) or find_partial_references(question))
    if not names_document:
        for earlier in (previous.question, previous_subject or ""):
            pointed = _point_back(question, earlier)
            if pointed is not None:
                return pointed, subject_of(pointed)
    short = len(content_terms(question)) <= 5
    if short and not names_document and _FOLLOW_UP_RE.search(fold(question)):
        swapped = _swapped(question, previous.question)
        if swapped is not None:
            return swapped, subject_of(swapped)
        if previous_subject:
            return f"{previous_subject} {question}", previous_subject
    return question, own_subject


# The words of "còn xã … thì sao?", "what about … commune?", "and in …?" besides the name.
_ONLY_POINTING = frozenset(content_terms(
    "xã huyện tỉnh thôn phường năm commune district province village ward year con xa thi"
))


def _swapped(question: str, earlier: str) -> str | None:
    """Return ``earlier`` asked of the place or year ``question`` names instead, or None.

    "Còn xã Yên Trạch thì sao?" after "Năm 2025 xã Hương Tuyền có bao nhiêu hộ hiến đất?" asks
    how many households of Yên Trạch did; "And in 2024?" asks the same of 2024.
    """
    question, earlier = nfc(question), nfc(earlier)
    folded, folded_earlier = fold(question).lower(), fold(earlier).lower()
    if len(folded) != len(question) or len(folded_earlier) != len(earlier):
        return None
    swaps: list[tuple[str, str]] = []  # (folded text in earlier, text as the question writes it)
    # A name typed in lower case has no known end ("xa yen trach thi sao"): it is not swapped.
    places = [s for s in scopes_in(earlier) if not s.loose]
    for scope in (s for s in scopes_in(question) if not s.loose):
        old = next((s for s in places if s.kind == scope.kind and s.name != scope.name), None)
        at = folded.find(scope.name)
        if old is not None and at >= 0:
            swaps.append((old.name, question[at : at + len(scope.name)]))
    new_years, old_years = sorted(years_named(question)), sorted(years_named(earlier))
    if len(new_years) == 1 and len(old_years) == 1 and new_years != old_years:
        swaps.append((old_years[0], new_years[0]))
    if not swaps:
        return None
    # Only a question asking nothing else is the earlier one asked again: "Còn xã B có bao
    # nhiêu thôn?" asks something new of B.
    rest = folded
    for _, named in swaps:
        rest = rest.replace(fold(named).lower(), " ")
    if not set(content_terms(rest)) <= _ONLY_POINTING:
        return None
    for old_name, new_name in swaps:
        at = folded_earlier.find(old_name)
        if at < 0:
            return None
        earlier = earlier[:at] + new_name + earlier[at + len(old_name) :]
        folded_earlier = folded_earlier[:at] + fold(new_name).lower() + folded_earlier[
            at + len(old_name) :
        ]
    return earlier


def _point_back(question: str, earlier: str) -> str | None:
    """Return ``question`` with its "xã đó" / "that commune" replaced by ``earlier``'s, or None."""
    folded, folded_earlier = fold(nfc(question)), fold(nfc(earlier))
    question, earlier = nfc(question), nfc(earlier)
    if len(folded) != len(question) or len(folded_earlier) != len(earlier):
        return None
    match = _POINTING_BACK_RE.search(folded)
    if match is None:
        return None
    noun = match.group("vi") or match.group("en")
    english = bool(match.group("en"))
    # Vietnamese names what it means after the noun ("xã Tân Phong", "Nghị định 06/2014/NĐ-CP");
    # English before it ("Tan Phong commune"), after "of" ("the commune of Tan Hoa"), or, for a
    # document, by its number after it ("Decree 06/2014/ND-CP"; "commune Party Committee" is no
    # commune's name).
    for found in re.finditer(rf"\b{re.escape(noun)}\b", folded_earlier, re.IGNORECASE):
        name = _name_at(earlier[: found.start()], backwards=True) if english else ""
        if name:
            named = f"{name} {earlier[found.start() : found.end()]}"
            return question[: match.start()] + named + question[match.end() :]
        after = _AFTER_NOUN_RE.match(folded_earlier, found.end())
        if after is None:
            continue
        name = _name_at(earlier[after.end() :], numbers_only=english and "of" not in after[0])
        if name:
            named = earlier[found.start() : after.end()] + name
            return question[: match.start()] + named + question[match.end() :]
    # Typed all in lower case, a name has no capitals to find it by: the unit's words after it.
    loose = None if english or earlier != earlier.lower() else unit_name(earlier, noun.lower())
    if loose:
        return f"{question[: match.start()]}{noun} {loose}{question[match.end() :]}"
    return None


def _name_at(text: str, *, backwards: bool = False, numbers_only: bool = False) -> str:
    """Return the name at the start (or end) of ``text``: capitalised words, or one number."""
    tokens = text.split()
    if backwards:
        tokens.reverse()
    taken: list[str] = []
    for token in tokens:
        word = token.strip(".,;:?!()“”\"'")
        if not word:
            break
        if any(ch.isdigit() for ch in word) and not taken:
            return word  # a document's number
        if numbers_only or not word[0].isupper():
            break
        taken.append(word)
        if word != token.rstrip():
            break  # punctuation ends the name
    return " ".join(reversed(taken) if backwards else taken)


def subject_of(text: str) -> str | None:
    """Return what ``text`` is about: the documents it names, else the text itself."""
    numbers = find_document_numbers(text)
    if numbers:
        return " ".join(f"{n.type_name} {n.key}" for n in numbers[:2])
    partial = find_partial_references(text)
    if partial:
        return " ".join(f"{DOCUMENT_TYPES[p.doc_type]} {p.number}" for p in partial[:2])
    return text.strip() or None
