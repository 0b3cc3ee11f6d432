"""A question read once, at the door: what it is, what it asks for and what it takes for granted.

The answerers work from this reading rather than re-deriving it rule by rule: the language, the
query to search (phone shorthand written out: "dc" is "được", "bn" is "bao nhiêu"), the kind of
answer wanted (a date, a number, a money amount, a province, a person, a list, a document's
author), and the constraints of the question (the years and the communes, districts, wards,
villages and provinces it names) that the evidence must meet before it is quoted.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.answering.constraints import Constraints
from bot.answering.glossary import glossary_matches, vietnamese_matches
from bot.answering.roles import body_asked, role_asked
from vectorstore.text import detect_language, fold, nfc
from vectorstore.tokenize import content_terms

# Instructions aimed at the bot rather than questions about the documents. Each pattern needs an
# object that belongs to the bot ("your rules", "previous instructions", "system prompt"), so a
# policy question about a decree that "overrides previous regulations" is not caught.
_INJECTION_RE = re.compile(
    r"""
    \b(ignore|disregard|forget|override|bypass)\b.{0,30}
        \b(your|all|any|previous|prior|above|earlier|these|those|the)\s+
        (instructions?|rules|prompts?|guidelines|directions|constraints)\b
    | \b(system|hidden|initial|developer)\s+(prompt|message|instructions?)\b
    | \b(reveal|show|print|repeat|tell\s+me|give\s+me)\b.{0,20}\byour\s+(\w+\s+){0,3}
        (instructions|rules|prompt|guidelines|configuration|token|api\s+key|password)\b
    | \b(from|using|with)\s+your\s+own\s+knowledge\b
    | \b(you\s+are\s+now|pretend\s+(to\s+be|you\s+are)|jailbreak|developer\s+mode)\b
    | \b(pretend|imagine|act\s+as\s+if)\b.{0,20}\byou\s+(have|had)\s+no\s+
        (rules|instructions|restrictions|limits|guidelines)\b
    | \b(gia\s+vo|gia\s+su|coi\s+nhu)\b.{0,20}\b(khong\s+co|khong\s+con)\s+
        (quy\s+tac|gioi\s+han|huong\s+dan)\b
    | \b(write|compose)\s+(me\s+)?(a\s+)?(poem|song|story|joke|essay)\b
    | \b(bo\s+qua|quen|phot\s+lo)\b.{0,30}\b(huong\s+dan|quy\s+tac|chi\s+dan|lenh)\s+
        (cua\s+ban|truoc\s+do|tren|he\s+thong)\b
    | \b(tiet\s+lo|cho\s+(toi\s+)?xem|chep\s+lai|in\s+ra|nhac\s+lai)\b.{0,30}
        \b(prompt|cau\s+lenh|huong\s+dan\s+he\s+thong|quy\s+tac\s+cua\s+ban)\b
    | \b(lam|viet)\s+(mot\s+)?(bai\s+)?tho\b
    | [\[<]\s*(system|he\s+thong|admin|quan\s+tri(\s+vien)?|operator)\s*:
    | \bfrom\s+now\s+on\s+you\s+(are|will)\b
    | \b(tu\s+gio|tu\s+nay|ke\s+tu\s+bay\s+gio)\s+(tro\s+di\s+)?ban\s+(la|se)\b
    """,
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
# "When" asks for a date as the question's own word ("when was", "when will", "... when?", a
# question opening with it), not as a conjunction ("where did the dump move when the old one was
# shut down?", "when a commune holds a dialogue, who attends?").
_WHEN_RE = re.compile(
    r"^\W*when\b(?!\s+(?:a|an|the|this|that|these|those|its|their|it|they|we|you|i|he|she)\b)"
    r"|\b(when(?=\s+(?:did|does|do|was|were|is|are|will|would|can|could|has|have|had|should|"
    r"must|shall)\b|\s*\?|\s*$)|what\s+date|which\s+date|what\s+day|what\s+year|"
    r"which\s+year|since\s+when|"
    r"ngay\s+nao|khi\s+nao|nam\s+nao|bao\s+gio|thoi\s+(?:gian|diem|han)\s+nao|luc\s+nao|"
    r"ngay\s+bao\s+nhieu)\b",
    re.IGNORECASE,
)
# A deadline asked for, and a sentence that sets one ("trước ngày 28/02/2026", "by June 30").
_DEADLINE_ASK_RE = re.compile(
    r"\b(han\s+chot|han\s+cuoi|thoi\s+han|cham\s+nhat|truoc\s+(?:ngay|thoi\s+diem)\s+nao|"
    r"deadline|by\s+(?:when|what\s+date|which\s+date)|no\s+later\s+than)\b",
    re.IGNORECASE,
)
# A name asked for: "mô hình đầu tiên tên là gì", "what is the new model called".
_TITLE_ASK_RE = re.compile(
    r"\b((?:mang\s+)?ten\s+(?:goi\s+)?(?:la\s+)?gi|ten\s+(?:cua\s+)?(?:no|mo\s+hinh)\s+la\s+gi|"
    r"what\s+(?:is|was|are|were)\s+(?:it|they|(?:the|its|their)\s+[\w\s]{1,40}?)\s+called|"
    r"what\s+(?:is|was)\s+(?:the|its)\s+name|(?:named|called)\s+what)\b",
    re.IGNORECASE,
)
DEADLINE_RE = re.compile(
    r"\b(truoc\s+ngay|truoc\s+thoi\s+diem|truoc\s+thang|cham\s+nhat|han\s+chot|thoi\s+han|"
    r"trong\s+(?:vong|thoi\s+han)|before|by|no\s+later\s+than|deadline|within|until)\b",
    re.IGNORECASE,
)
_HOW_MANY_RE = re.compile(
    r"\b(how\s+many|how\s+much|what\s+number\s+of|what\s+(?:percentage|share|proportion)\s+of|"
    r"bao\s+nhieu|so\s+luong)\b\s*(?P<focus>[^?.,;]*)",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(
    r"\b(phan\s+tram|percent|percentage|share|proportion|ty\s+le)\b", re.IGNORECASE
)
_RATE_ASKED = re.compile(
    r"\b(?:ty|ti)\s+le\b[^?]*\bbao\s+nhieu\b|\bwhat\b[^?]{0,60}\b(?:rate|percentage|share|proportion)\b",
    re.IGNORECASE,
)
PERCENT = "%"  # the focus of "bao nhiêu phần trăm", "what percentage": a share, not a count
DURATION = "duration"  # the focus of "bao lâu", "how long": a length of time (or of a road)
_DURATION_RE = re.compile(
    r"\b(bao\s+lau|how\s+long|how\s+often|how\s+frequently|tan\s+suat"
    r"|how\s+(?:wide|far|high|tall|deep))\b",  # a length too: "rộng 7 m", "11,3 km"
    re.IGNORECASE,
)
_WHO_RE = re.compile(r"\b(who|whom|whose|ai|tac\s+gia|nguoi\s+nao)\b", re.IGNORECASE)
_LIST_RE = re.compile(
    r"\b(what\s+(are|were)\s+the|which|list|name\s+the|what\s+measures|what\s+tasks|"
    r"what\s+solutions|what\s+movements|what\s+models|steps|nhung\s+gi|gom\s+nhung|cac\s+bien\s+phap|"
    r"nhung\s+(bien\s+phap|nhiem\s+vu|giai\s+phap|phong\s+trao|mo\s+hinh|buoc)|liet\s+ke)\b",
    re.IGNORECASE,
)
_VERBS_AFTER_FOCUS = re.compile(
    r"\b(do|does|did|are|were|is|was|have|has|had|will|can|could|in|of|at|for|co|duoc|la|da)\b",
    re.IGNORECASE,
)
_AUTHOR_RE = re.compile(
    r"\b(who\s+(wrote|authored|is\s+the\s+author|penned)|author|written\s+by|byline|"
    r"tac\s+gia|ai\s+viet|nguoi\s+viet)\b",
    re.IGNORECASE,
)
_PUBLISHED_RE = re.compile(
    r"\b(published|publication\s+date|date\s+of\s+publication|posted|ngay\s+dang|dang\s+ngay|"
    r"xuat\s+ban)\b",
    re.IGNORECASE,
)
# A money amount asked for: "bao nhiêu tiền", "mức phạt", "how much is the fee".
_MONEY_ASK_RE = re.compile(
    r"\b(bao\s+nhieu|may)\s+(tien|dong|trieu|ty)\b"
    r"|\b(muc|so\s+tien|tien)\s+(phat|phi|le\s+phi|thue|luong|phu\s+cap|tro\s+cap|dong|ho\s+tro)\b"
    r"|\b(le\s+phi|kinh\s+phi|chi\s+phi|tien\s+phat|von\s+dau\s+tu|tong\s+muc\s+dau\s+tu)\b"
    r"|\bhow\s+much\b[^?;]{0,80}\b(cost|costs|fee|fees|fine|fined|tax|taxes|allowance|salary|price|"
    r"worth|budget|money|compensation)\b"
    r"|\b(what|how\s+much)\s+(is|was|are|were)\s+the\s+([\w-]+\s+){0,2}(fines?|fees?|tax|"
    r"allowances?|prices?|costs?|salary|budget|capital|investment|funding)\b"
    r"|\bwhat\s+(will|would|does|did|do)\s+[^?,;]{0,60}\bcost\b",
    re.IGNORECASE,
)
# Kinds of money a question names just before "bao nhiêu", with their tones ("thuê", rent, is no
# "thuế"); a contribution or an insurance counts only with a money word ("bao nhiêu tiền").
_TONED_KINDS = re.compile(r"\b(thuế|phí|lệ phí|phụ cấp|trợ cấp|lương|giá|phạt)\b")
_PLAIN_KINDS = re.compile(r"\b(le phi|phu cap|tro cap|muc luong|tien luong|muc phat)\b")
# What follows "bao nhiêu" in an ask for an amount: nothing, or a period or unit ("mỗi quý",
# "một tháng", "một mét vuông").
_PER_PERIOD = re.compile(r"^\W*((moi|mot|hang)\s+\w+(\s+\w+)?)?\W*$")


def _asks_amount(question: str, folded: str, how_many: re.Match[str] | None) -> bool:
    """Return whether "… bao nhiêu" asks for an amount of a kind of money named before it.

    "Thuế thu nhập … là bao nhiêu?", "được phụ cấp bao nhiêu mỗi quý?"; not "tỷ lệ … là bao
    nhiêu" (a share) nor "bao nhiêu ngày công" (a count).
    """
    if how_many is None or not how_many.group(1).lower().startswith("bao"):
        return False
    if not _PER_PERIOD.match(folded[how_many.end(1):]) or re.search(r"\bty\s+le\b", folded):
        return False
    before = nfc(question)[: how_many.start()].lower()
    if fold(before) == before:
        return bool(_PLAIN_KINDS.search(before))
    return bool(_TONED_KINDS.search(before))
# A money amount stated, on folded text: "1,6 tỷ đồng", "VND 1.6 billion", "200.000 đồng".
MONEY_RE = re.compile(
    r"\b\d[\d.,]*\s*(dong|vnd|usd|trieu|ty|nghin|ngan|million|billion|thousand)\b"
    r"|\b(vnd|usd)\s*\d|\$\s*\d",
    re.IGNORECASE,
)
# Kinds of money a question can ask for, with the folded words that name each. A sentence gives
# such an amount only when it names the same kind: a project's cost is not a tax.
MONEY_KINDS: dict[str, tuple[str, ...]] = {
    "tax": ("tax", "taxes", "thue"),
    "fine": ("fine", "fines", "fined", "penalty", "muc phat", "tien phat", "xu phat", "phat tien"),
    "fee": ("fee", "fees", "le phi"),
    "allowance": ("allowance", "allowances", "stipend", "phu cap", "tro cap"),
    "salary": ("salary", "salaries", "wage", "wages", "muc luong", "tien luong"),
    "insurance": ("insurance", "premium", "premiums", "bao hiem"),
    "price": ("price", "prices", "muc gia", "don gia", "gia dat", "gia dien", "gia nuoc"),
    "contribution": ("contribution", "contributions", "contribute", "contributed", "dong gop",
                     "chip in", "chipped in"),
    "reward": ("reward", "rewards", "rewarded", "bonus", "bonuses", "prize", "prizes",
               "tien thuong", "muc thuong", "duoc thuong", "khen thuong"),
}
_MONEY_KIND_RE = {
    kind: re.compile(r"\b(" + "|".join(words) + r")\b", re.IGNORECASE)
    for kind, words in MONEY_KINDS.items()
}


def money_kinds(text: str) -> frozenset[str]:
    """Return the kinds of money (tax, fine, fee, allowance, ...) ``text`` names."""
    folded = fold(nfc(text))
    return frozenset(kind for kind, pattern in _MONEY_KIND_RE.items() if pattern.search(folded))


# A province or district asked for: "thuộc tỉnh nào", "which district". (Which village or
# commune did something is answered by a name, often without the unit's word beside it.)
_PLACE_ASK_RE = re.compile(
    r"\b(?P<vi>tinh|huyen)\s+nao\b|\bthuoc\s+(?P<of>tinh|huyen)\b"
    r"|\b(which|what)\s+(?P<en>province|district)\b",
    re.IGNORECASE,
)
_SOURCE_RE = re.compile(r"\b(source|url|link|website|web\s+address|nguon|duong\s+dan)\b",
                        re.IGNORECASE)


# A message that is no question about the documents: a greeting, thanks, or asking what the bot
# is. Matched whole (punctuation and emoji aside), so "cảm ơn" inside a question is not one.
_POLITE = r"(\s+(a|nhe|nha|nhieu|lam|ban|bot|anh|chi|em|very\s+much|a\s+lot|so\s+much|again))*"
_SMALL_TALK = {
    "greeting": re.compile(
        rf"^((xin\s+)?chao|alo|hello|hi|hey|good\s+(morning|afternoon|evening)){_POLITE}$"
    ),
    "thanks": re.compile(
        rf"^((xin\s+)?cam\s+on|thanks?(\s+you)?|thank\s+you|tks|thx|ok|oke|okay|vang|"
        rf"duoc\s+roi|got\s+it){_POLITE}$"
    ),
    "about": re.compile(
        r"^((ban|bot|may)\s+(la\s+ai|la\s+gi|lam\s+(duoc\s+)?gi|co\s+the\s+lam\s+gi|giup\s+"
        r"(duoc\s+)?gi)|who\s+are\s+you|what\s+(are|can)\s+you(\s+do)?|what\s+do\s+you\s+do|"
        r"help|tro\s+giup|huong\s+dan)(\s+(vay|the|a|nhi))*$"
    ),
}


def small_talk(text: str) -> str | None:
    """Return "greeting", "thanks" or "about" for a message that is one of those, else None."""
    words = " ".join(re.findall(r"[a-z0-9]+", fold(nfc(text)).lower()))
    return next((kind for kind, pattern in _SMALL_TALK.items() if pattern.match(words)), None)


@functools.lru_cache(maxsize=8192)  # every passage retrieved is checked, question after question
def aimed_at_bot(text: str) -> bool:
    """Return whether ``text`` holds an instruction aimed at the bot ("ignore your rules ...")."""
    return bool(_INJECTION_RE.search(fold(nfc(text))))


@dataclass(frozen=True)
class QuestionIntent:
    """What kind of answer a question expects."""

    wants_date: bool
    wants_number: bool
    number_focus: str | None
    wants_person: bool
    wants_list: bool
    wants_author: bool = False
    wants_published: bool = False
    wants_source: bool = False
    wants_money: bool = False
    money_kinds: frozenset[str] = frozenset()  # what the amount is: tax, fine, fee, ...
    wants_unit: str | None = None  # the kind of administrative unit asked for: "province", ...
    wants_role: str | None = None  # the role whose holder is asked for: "chairman", ...
    role_body: str | None = None  # the body it is held in: "people's committee", ...
    # The counted thing's terms in the other language: "villages" is counted as "thôn" too.
    focus_translations: frozenset[str] = frozenset()
    wants_deadline: bool = False  # a date something must be done by ("hạn chót", "by what date")
    count_verb: str | None = None  # what the counted did: "donat" in "how many households donated"
    wants_title: bool = False  # a name: "tên là gì", "what is it called"

    @property
    def wants_metadata(self) -> bool:
        """Whether the answer is a document's author, publication date or source."""
        return self.wants_author or self.wants_published or self.wants_source

    @property
    def wants_checkable(self) -> bool:
        """Whether the answer is of a kind a sentence is checked for holding.

        A date, a number, an amount, a role's holder, a unit or a name: no wording passes it.
        """
        return bool(
            self.wants_date or self.wants_published or self.wants_number or self.wants_money
            or self.wants_deadline or self.wants_unit or self.wants_role or self.wants_title
        )


# Counted things that any kind of person answers, as content terms (stems).
_ANY_PEOPLE = frozenset(content_terms("người people person persons"))
# Things a report counts, each under the names a question may give it (stems; a Vietnamese
# compound by the syllable that carries it: "gia đình" by "đình", "ngày công" by "ngày").
_COUNTED_ALIKE = tuple(
    frozenset(group.split())
    for group in (
        "household famili ho dinh",
        "hous home dwell nha",
        "villag hamlet thon lang xom",
        "complaint petit grievanc don",
        "case vu",
        "boat vessel ship tau thuyen",
        "pupil student sinh",
        "day workday ngay",
    )
)
PEOPLE = "people"  # the focus of "bao nhiêu người", "how many people": a count of persons
# The words a count of persons counts ("240 cán bộ", "37 residents", "96 hộ"), as content terms;
# a Vietnamese word by the syllable that tells it apart ("cán" bộ, đảng "viên", cử "tri").
PERSON_TERMS = frozenset(content_terms(
    "people person persons resident cadre official officer member household elder delegate "
    "voter citizen worker farmer youth women woman men student teacher soldier leader "
    "volunteer participant representative individual staff attendee secretary chairman "
    "người cán hộ viên tri biểu sĩ nữ niên"
))


# "Mấy ngày", "mấy hộ" ask how many, as "bao nhiêu" does, where no "bao nhiêu" asks it ("mấy
# đợt, tổng cộng bao nhiêu người" counts the people); "mấy giờ" asks the time and "thứ mấy" an
# ordinal. Read toned only: folded, "may" is also "máy" (a machine) and "mây".
_HOW_MANY_COLLOQUIAL = re.compile(r"(?<!thứ )\bmấy\b(?!\s+giờ)", re.IGNORECASE)


def read_intent(question: str) -> QuestionIntent:
    """Classify ``question`` by the kind of answer it asks for."""
    question = nfc(question)
    folded = fold(question)
    how_many = _HOW_MANY_RE.search(folded)
    if how_many is None:
        question = _HOW_MANY_COLLOQUIAL.sub("bao nhiêu", question)
        folded = fold(question)
        how_many = _HOW_MANY_RE.search(folded)
    wants_money = bool(_MONEY_ASK_RE.search(folded)) or _asks_amount(question, folded, how_many)
    focus = None
    count_verb = None
    translations: frozenset[str] = frozenset()
    if how_many and not wants_money:  # an amount of money is counted in đồng, not in "tiền"
        words = _VERBS_AFTER_FOCUS.split(_noun_phrase(question, folded, how_many))[0].split()
        # A past tense after the counted noun ends its phrase: "how many households donated land"
        # counts households (before it, "-ed" is an adjective: "registered models").
        verb = next((i for i, w in enumerate(words) if i and len(w) > 4 and w.endswith("ed")), None)
        if verb is not None:
            done = content_terms(words[verb])
            count_verb = done[0] if done else None
        words = words[:verb]
        focus_terms = content_terms(" ".join(words))
        # An English noun ends its phrase ("how many skilful mass mobilisation models"); a
        # Vietnamese one begins it ("bao nhiêu hộ hiến đất vườn", "bao nhiêu người đi lao động"),
        # a compound by either of its syllables ("gia đình", "mô hình").
        vietnamese = how_many.group(1).lower().startswith(("bao", "so"))
        heads = focus_terms[:2] if vietnamese else focus_terms[-1:]
        focus = heads[0] if heads else None
        if focus is not None:
            translations = frozenset(heads[1:]) | _translations(" ".join(words).lower(), focus)
            for head in heads:
                translations |= next(
                    (group - {focus} for group in _COUNTED_ALIKE if head in group), frozenset()
                )
        if focus in _ANY_PEOPLE:  # "bao nhiêu người" is answered by "240 cán bộ", "37 residents"
            focus = PEOPLE
        if _PERCENT_RE.search(f"{how_many.group(1)} {' '.join(words)}"):
            focus = PERCENT
    lasting = not how_many and bool(_DURATION_RE.search(folded))
    if lasting:
        focus = DURATION
    # "Tỷ lệ hộ nghèo là bao nhiêu?", "What coverage rate …?": a share, with nothing counted.
    rate = not wants_money and focus is None and bool(_RATE_ASKED.search(folded))
    if rate:
        focus = PERCENT
    return QuestionIntent(
        wants_date=bool(_WHEN_RE.search(folded)),
        wants_number=bool(how_many) or lasting or rate,
        number_focus=focus,
        wants_person=bool(_WHO_RE.search(folded)),
        wants_list=bool(_LIST_RE.search(folded)),
        wants_author=bool(_AUTHOR_RE.search(folded)),
        wants_published=bool(_PUBLISHED_RE.search(folded)),
        wants_source=bool(_SOURCE_RE.search(folded)),
        wants_money=wants_money,
        money_kinds=money_kinds(folded) if wants_money else frozenset(),
        wants_unit=_unit_asked(folded),
        wants_role=role_asked(folded),
        role_body=body_asked(folded),
        focus_translations=translations,
        wants_deadline=bool(_DEADLINE_ASK_RE.search(folded)),
        count_verb=count_verb,
        wants_title=bool(_TITLE_ASK_RE.search(folded)),
    )


# Words that end a Vietnamese counted noun phrase: "bao nhiêu đất để làm đường" counts đất.
_PHRASE_ENDS = frozenset("để của ở tại trong từ khi mà nhằm vào với cho theo mỗi".split())
_PLAIN_PHRASE_ENDS = frozenset("de cua tai trong khi nham vao voi theo moi".split())  # unambiguous


def _noun_phrase(question: str, folded: str, how_many: re.Match[str]) -> str:
    """Return the folded words after "bao nhiêu" / "how many" up to a word ending the phrase."""
    written = nfc(question)
    start, end = how_many.span("focus")
    if len(written) != len(folded):
        return how_many.group("focus")
    kept = []
    for word, plain in zip(written[start:end].split(), folded[start:end].split(), strict=True):
        if word.lower() in _PHRASE_ENDS or (word == plain and plain.lower() in _PLAIN_PHRASE_ENDS):
            break
        kept.append(plain)
    return " ".join(kept)


def _translations(phrase: str, focus: str) -> frozenset[str]:
    """Return the terms of the glossary's translations of the word ``focus`` of folded ``phrase``.

    An English count ("13 villages") is the answer to "bao nhiêu thôn", and a Vietnamese one
    ("9/12 thôn") to "how many villages"; a Vietnamese phrase is met by its first word, the noun.
    """
    terms: set[str] = set()
    glossed = glossary_matches(phrase)
    # A modifier after the noun ("cuộc đối thoại trực tiếp") that the glossary does not know
    # leaves the phrase's glossed noun to count it.
    holding = [pair for pair in glossed if focus in content_terms(pair[0])] or glossed
    for _, english in holding:
        terms.update(content_terms(english))
    for stems, vietnamese in vietnamese_matches(phrase):
        if focus in stems:
            terms.update(content_terms(vietnamese)[:1])
    return frozenset(terms)


def _unit_asked(folded: str) -> str | None:
    match = _PLACE_ASK_RE.search(folded)
    if match is None:
        return None
    word = (match.group("vi") or match.group("of") or match.group("en")).lower()
    return {"tinh": "province", "huyen": "district"}.get(word, word)


# Phone shorthand of Vietnamese, written out before anything else reads the question.
_SHORTHAND = {
    "dc": "được", "đc": "được", "ko": "không", "k": "không", "kh": "không", "khg": "không",
    "hok": "không", "hk": "không", "bn": "bao nhiêu", "bnh": "bao nhiêu", "j": "gì",
    "ntn": "như thế nào", "vs": "với", "ng": "người", "bh": "bao giờ", "trc": "trước",
    "cx": "cũng", "cg": "cũng",
}  # fmt: skip
_PLAIN_SHORTHAND = {short: fold(full) for short, full in _SHORTHAND.items()}
_PLAN_SHORT_RE = re.compile(r"(?<![\w/.-])kh(?=\s+(?:số\s+|so\s+)?\d)", re.IGNORECASE)
# A particle ending a question says nothing of what is asked ("… ngày nào ạ", "… vậy"); "a"
# after "điểm" or a number is a legal point, and a plain "vay" after "được", "cho" or "khoản" a
# loan ("hộ nghèo được vay").
_FINAL_PARTICLE_RE = re.compile(
    r"(?<=\w)(?<!\d)(?<!\bdiem)(?<!\bđiểm)\s+(?:ạ|à|nhỉ|nhé|nha|vậy|thế|đấy|hả|a|nhi|nhe|the)"
    r"\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_PLAIN_VAY_RE = re.compile(
    r"(?<=\w)(?<!\bduoc)(?<!\bdc)(?<!\bcho)(?<!\bkhoan)(?<!\bmuon)\s+vay\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_SHORTHAND_RE = re.compile(
    r"(?<![\w/.-])(" + "|".join(sorted(_SHORTHAND, key=len, reverse=True)) + r")(?![\w/-])",
    re.IGNORECASE,
)


def write_out_shorthand(text: str) -> str:
    """Return ``text`` with phone shorthand ("dc", "ko", "bn", "ntn") written out in full.

    A text typed without diacritics gets the words without diacritics too ("dc" is "duoc").
    """
    plain = fold(text) == text
    shorthand = _PLAIN_SHORTHAND if plain else _SHORTHAND
    # "kh" before a number is a plan ("kh 47" is Kế hoạch 47), not "không".
    text = _PLAN_SHORT_RE.sub("ke hoach" if plain else "kế hoạch", text)
    return _SHORTHAND_RE.sub(lambda m: shorthand[m.group(1).lower()], text)


def without_final_particle(text: str) -> str:
    """Return a Vietnamese question without the particle it ends on ("… ngày nào ạ", "… vậy")."""
    text = _FINAL_PARTICLE_RE.sub("", text)
    if fold(text) == text:
        text = _PLAIN_VAY_RE.sub("", text)
    return text.rstrip()


@dataclass(frozen=True)
class Question:
    """A question as the answerers read it."""

    text: str  # as asked: NFC, stripped
    query: str  # what is searched: shorthand written out
    language: str  # "vi" or "en"
    intent: QuestionIntent
    constraints: Constraints


def read_question(text: str) -> Question:
    """Read ``text`` once: its language, search query, wanted answer and constraints."""
    text = nfc(text).strip()
    # Shorthand hides a Vietnamese question from the language check: written out, it shows.
    written_out = write_out_shorthand(text)
    language = detect_language(written_out) if text else "en"
    query = without_final_particle(written_out) if language == "vi" else text
    return Question(text, query, language, read_intent(query), Constraints.of(query))
