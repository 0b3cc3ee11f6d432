"""Who holds a role: "who is the chairman of …", "Bí thư Huyện ủy … là ai".

A question that asks for the holder of a role is answered only by a sentence that names a person
*as* that role: "Pham Thu Trang, Secretary of the ward Party Committee, together with the
chairman of the ward People's Committee" names the secretary, not the chairman. A person is bound
to a role when the role follows the name as its title ("Ông Trần Văn Lực, Trưởng thôn Đồng
Mới"; "Le Quoc Hung, member of the Party Central Committee, Deputy Minister of Public
Security") or precedes it ("Chủ tịch UBND xã Nguyễn Văn An"), with nothing between them that
starts another clause or another person ("together with", "và", a full stop). Roles are read in
both languages: a Vietnamese question about a "Thứ trưởng" is answered by an English "Deputy
Minister".
"""

from __future__ import annotations

import re

from vectorstore.text import fold, nfc

# Each role with its folded, lower-case forms in both languages. A deputy is a role of its own.
_ROLES: dict[str, tuple[str, ...]] = {
    "deputy chairman": ("deputy chairman", "deputy chairwoman", "vice chairman",
                        "vice chairwoman", "vice president", "pho chu tich"),
    "chairman": ("chairman", "chairwoman", "chairperson", "chair", "president", "chu tich"),
    "deputy secretary": ("deputy secretary", "pho bi thu"),
    "secretary": ("secretary", "bi thu"),
    "deputy head": ("deputy head", "pho truong ban", "pho ban"),
    "village head": ("village head", "head of the village", "head of village", "truong thon",
                     "truong ap"),
    "head": ("head", "truong ban", "truong phong", "chu nhiem"),
    "deputy director": ("deputy director", "pho giam doc"),
    "director": ("director", "giam doc"),
    "deputy minister": ("deputy minister", "vice minister", "thu truong"),
    "minister": ("minister", "bo truong"),
}  # fmt: skip
_FORMS = sorted({form for forms in _ROLES.values() for form in forms}, key=len, reverse=True)
_ROLE = "|".join(map(re.escape, _FORMS))  # longest first: "deputy head" before "head"
_ANY_ROLE = re.compile(rf"\b({_ROLE})\b")
_QUALIFIERS = ("deputy", "vice", "pho")
# "Nào" after a word of time or manner asks when or how ("ngày nào", "như thế nào"), not which.
_NOT_WHICH = "".join(
    rf"(?<!\b{word}\s)" for word in "ngay khi nam thang luc hom tuan quy the cach dau".split()
)
# How a question asks for a role's holder, on folded lower-case text.
_ASKED = (
    re.compile(rf"\bwho\s+(?:is|was|are|were)\s+(?:the\s+)?(?P<role>{_ROLE})\b"),
    re.compile(rf"\bname\s+of\s+the\s+(?P<role>{_ROLE})\b"),
    re.compile(rf"\bwhich\s+(?P<role>{_ROLE})\b"),
    re.compile(rf"\bai\s+(?:la|lam|giu\s+chuc)\s+(?:nguoi\s+)?(?P<role>{_ROLE})\b"),
    re.compile(rf"\b(?P<role>{_ROLE})\b(?:\s+[\w/-]+){{0,20}}?\s+"
               rf"(?:la\s+ai|ten\s+(?:la\s+)?(?:gi|j)|{_NOT_WHICH}nao)\b"),
)
# What starts another clause or another person between a name and a role.
_BREAK = re.compile(r"[.;:!?]|\b(?:and|with|together|while|but|va|cung|voi|con)\b")
# Capitalised words that are not a person's name: titles, ranks, bodies and places. (Not "trần"
# of "Mặt trận" nor "thị" of "thị trấn": Trần is a family name, Thị a middle name.)
_NOT_PERSON = frozenset(
    "ong ba anh chi dong chi comrade mr mrs ms dr senior lieutenant major colonel general "
    "the a of party committee commission board front union association ministry department "
    "council people's people’s central provincial district commune ward village city province "
    "uy ban dang bo so hoi mat to quoc xa huyen tinh thon phuong nhan dan "
    "national assembly government state".split()
)
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_MAX_BETWEEN = 15  # words of titles a name and its role may have between them


# Asking for whoever leads a body: "who leads the committee?", "ai đứng đầu Ban?". Its head,
# chairman, secretary or director answers.
LEADER = "leader"
_LEADING_ROLES = frozenset({"head", "chairman", "secretary", "director"})
_LEADS = re.compile(
    r"\bwho\s+(?:leads|led|heads|headed|runs|ran|is\s+in\s+charge\s+of)\b"
    r"|\bai\s+(?:la\s+nguoi\s+)?(?:dung\s+dau|phu\s+trach|lanh\s+dao)\b"
)


def role_asked(question: str) -> str | None:
    """Return the role whose holder ``question`` asks for ("chairman", "deputy head"), or None."""
    folded = fold(nfc(question)).lower()
    match = _asking(folded)
    if match:
        return _role_of(match.group("role"), folded[: match.start("role")])
    return LEADER if _LEADS.search(folded) else None


def _asking(folded: str) -> re.Match[str] | None:
    """Return where folded lower-case ``folded`` asks for a role's holder, or None."""
    return next((m for m in (pattern.search(folded) for pattern in _ASKED) if m), None)


# The bodies a role is held in, with their folded lower-case forms in both languages: the
# chairman of the People's Committee is not the chairman of the Fatherland Front.
_BODIES: dict[str, tuple[str, ...]] = {
    "people's committee": ("ubnd", "uy ban nhan dan", "people's committee", "people’s committee",
                           "peoples committee"),
    "people's council": ("hdnd", "hoi dong nhan dan", "people's council", "people’s council"),
    "fatherland front": ("mttq", "mat tran to quoc", "mat tran", "fatherland front"),
    "party committee": ("dang uy", "huyen uy", "tinh uy", "thanh uy", "party committee",
                        "chi bo", "party cell"),
    "farmers' association": ("hoi nong dan", "farmers' association", "farmers’ association",
                             "farmers' union"),
    "women's union": ("hoi lien hiep phu nu", "hoi phu nu", "women's union", "women’s union"),
    "youth union": ("doan thanh nien", "youth union"),
    "veterans' association": ("hoi cuu chien binh", "veterans' association",
                              "veterans’ association"),
}  # fmt: skip
_BODY = re.compile(r"\b(" + "|".join(
    re.escape(form) for form in sorted(
        {form for forms in _BODIES.values() for form in forms}, key=len, reverse=True)
) + r")\b")
_BODY_AFTER = 5  # words after a role that may name its body ("chairman of the ward People's …")
_BODY_BEFORE = 10  # words before it, as a signature writes it ("Ủy ban MTTQ xã …, Chủ tịch …")


def body_asked(question: str) -> str | None:
    """Return the body whose role's holder ``question`` asks for ("Chủ tịch UBND xã …"), or None."""
    folded = fold(nfc(question)).lower()
    match = _asking(folded)
    return _body_after(folded, match.end("role")) if match else None


def _body_after(lower: str, end: int) -> str | None:
    following = " ".join(lower[end:].split()[:_BODY_AFTER])
    found = _BODY.search(following)
    return _body_of(found.group(1)) if found else None


def _body_before(lower: str, start: int) -> str | None:
    preceding = " ".join(re.split(r"[.;:!?]", lower[:start])[-1].split()[-_BODY_BEFORE:])
    found = list(_BODY.finditer(preceding))
    return _body_of(found[-1].group(1)) if found else None


def _body_of(form: str) -> str:
    return next(body for body, forms in _BODIES.items() if form in forms)


def names_holder(sentence: str, role: str, body: str | None = None) -> bool:
    """Return whether ``sentence`` names a person as ``role`` (see the module docstring).

    With ``body``, a role the sentence ties to another body ("Ủy ban MTTQ …, Chủ tịch Hoàng Thị
    Nguyệt" for the chairman of the People's Committee) is not that role.
    """
    folded = fold(nfc(sentence))
    lower = folded.lower()
    people = _people(folded)
    wanted = _LEADING_ROLES if role == LEADER else {role}
    for match in _ANY_ROLE.finditer(lower):
        if _role_of(match.group(1), lower[: match.start()]) not in wanted:
            continue
        if body is not None:
            held_in = _body_after(lower, match.end()) or _body_before(lower, match.start())
            if held_in is not None and held_in != body:
                continue
        for start, end in people:
            if end <= match.start():
                between = lower[end : match.start()]
            elif start >= match.end():
                between = lower[match.end() : start]
            else:
                continue
            if not _BREAK.search(between) and len(between.split()) <= _MAX_BETWEEN:
                return True
    return False


def _role_of(form: str, before: str) -> str:
    """Return the role a form names, a deputy's when a qualifier comes just before it."""
    words = before.split()
    roles = [role for role, forms in _ROLES.items() if form in forms]
    if words and words[-1] in _QUALIFIERS:
        deputy = [role for role in roles if role.startswith("deputy")]
        if deputy:
            return deputy[0]
        return f"deputy {roles[0]}" if f"deputy {roles[0]}" in _ROLES else roles[0]
    return roles[0]


def _people(folded: str) -> list[tuple[int, int]]:
    """Return the spans of the runs of two to five capitalised words that name a person."""
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for match in _WORD.finditer(folded):
        word = match.group(0)
        if not word[0].isupper() or word.lower() in _NOT_PERSON:
            _flush(run, spans)
            run = []
            continue
        if run and folded[run[-1][1] : match.start()] != " ":
            _flush(run, spans)
            run = []
        run.append((match.start(), match.end()))
    _flush(run, spans)
    return spans


def _flush(run: list[tuple[int, int]], spans: list[tuple[int, int]]) -> None:
    if 2 <= len(run) <= 5:
        spans.append((run[0][0], run[-1][1]))
