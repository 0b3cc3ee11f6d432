"""A Vietnamese-English glossary of mass mobilization vocabulary, for cross-language questions.

Much of the reference material is published in English and much in Vietnamese, so a Vietnamese
question ("nghị quyết 25 về công tác dân vận ban hành ngày nào") is glossed into English terms,
and an English question ("how many villages built skilful mass mobilisation models") into
Vietnamese ones, for the lexical search and the key terms of the other language. Keys are folded
(no diacritics) so questions typed with or without diacritics meet the same entry; a value's
alternatives are separated by "/" ("village/hamlet"), its phrases by spaces.
"""

from __future__ import annotations

import re

from vectorstore.text import fold, nfc
from vectorstore.tokenize import content_terms

GLOSSARY: dict[str, str] = {
    "cong tac dan van": "mass mobilization work",
    "dan van kheo": "skillful mass mobilization",
    "dan van": "mass mobilization",
    "van dong quan chung": "mobilizing the masses",
    "quan chung": "masses",
    "nhan dan": "people",
    "nguoi dan": "people",
    "nghi quyet": "resolution",
    "nghi dinh": "decree",
    "quyet dinh": "decision",
    "quy dinh": "regulation",
    "quy che": "regulations",
    "chi thi": "directive",
    "ket luan": "conclusion",
    "thong tu": "circular",
    "luat": "law",
    "ban hanh": "issued",
    "thong qua": "approved/adopted",
    "hieu luc": "effect/effective",
    "ngay nao": "when/date",
    "khi nao": "when",
    "nam nao": "what year",
    "bao nhieu": "how many",
    "ai": "who",
    "tac gia": "author/wrote",
    "viet": "wrote",
    "phong trao": "movement",
    "thi dua": "emulation",
    "mo hinh": "models",
    "kheo": "skillful",
    "dang": "Party",
    "trung uong": "Central Committee",
    "ban chap hanh trung uong": "Party Central Committee",
    "bo chinh tri": "Politburo",
    "ban bi thu": "Secretariat",
    "hoi nghi": "conference/plenum",
    "khoa": "tenure/term",
    "dai hoi": "Congress",
    "nha nuoc": "State",
    "chinh phu": "Government",
    "thu tuong": "Prime Minister",
    "quoc hoi": "National Assembly",
    "chinh quyen": "authorities/administration",
    "mat tran to quoc": "Fatherland Front",
    "mat tran": "Front",
    "doan the": "mass organizations",
    "he thong chinh tri": "political system",
    "co so": "grassroots",
    "dan chu co so": "grassroots democracy",
    "dan chu": "democracy",
    "quan doi": "military/army",
    "quan doi nhan dan": "People's Army",
    "bo doi": "troops/soldiers",
    "cong an": "public security/police",
    "an ninh": "security",
    "an ninh quoc gia": "national security",
    "trat tu an toan xa hoi": "social order and safety",
    "quoc phong": "national defense",
    "bao ve to quoc": "defending the Fatherland",
    "to quoc": "Fatherland",
    "can bo": "cadres/officials",
    "dang vien": "Party members",
    "dan toc thieu so": "ethnic minorities",
    "dan toc": "ethnic",
    "ton giao": "religion/religious",
    "bien gioi": "border",
    "bien dao": "sea/islands",
    "nong thon moi": "new rural areas",
    "xoa doi giam ngheo": "hunger eradication/poverty reduction",
    "giam ngheo": "poverty reduction",
    "doan ket": "unity/solidarity",
    "khoi dai doan ket": "great unity bloc",
    "the tran long dan": "people's hearts and minds posture",
    "long dan": "people's hearts and minds",
    "tuyen truyen": "propaganda/communication",
    "van dong": "mobilize/mobilization",
    "kiem tra": "inspect/inspection",
    "giam sat": "supervise/supervision",
    "thu huong": "benefit",
    "dan biet": "people know",
    "dan ban": "people discuss",
    "dan lam": "people do",
    "dan kiem tra": "people inspect",
    "doi moi": "renewing/innovating/reform",
    "tang cuong": "strengthening/enhancing",
    "lanh dao": "leadership",
    "tinh hinh moi": "new situation",
    "ho chi minh": "Ho Chi Minh",
    "bac ho": "Ho Chi Minh",
    "chu tich": "President",
    "bai bao": "article",
    "bao su that": "Su That newspaper",
    "ngay truyen thong": "traditional day",
    "nhiem vu": "tasks",
    "giai phap": "solutions/measures",
    "bien phap": "measures",
    "muc tieu": "goals/objectives",
    "han che": "limitations/shortcomings",
    "khieu nai": "complaints",
    "to cao": "denunciations",
    "doi thoai": "dialogue",
    "tiep dan": "reception of citizens",
    "toi pham": "crime/criminals",
    "ma tuy": "drugs",
    "thien tai": "natural disasters",
    "vung sau vung xa": "remote areas",
    "xa hoi": "social/society",
    "chu tri": "chaired/chair",
    "tong ket": "summarize/review",
    "so ket": "preliminary review",
    "chuong trinh": "program/programme",
    "phoi hop": "coordination/coordinate/cooperation",
    "thay the": "replaced/replace",
    "thanh lap": "founded/established/founding",
    "co quan": "agency/body",
    "van ban": "document",
    "buoc": "steps",
    "bon": "four",
    "ba": "three",
    "nam": "five/year",
    "so hieu": "number",
    "thuc hien": "implementation/implement",
    "nhiem ky": "tenure/term",
    "uy vien": "member",
    "truong ban": "Head",
    "pho truong ban": "Deputy Head",
    "bo quoc phong": "Ministry of National Defence",
    "bo cong an": "Ministry of Public Security",
    "tong cuc chinh tri": "General Department of Politics",
    "quan uy trung uong": "Central Military Commission",
    "hieu qua": "effectiveness/efficiency",
    "chat luong": "quality",
    "nang cao": "improving/raising",
    "vai tro": "role",
    "trach nhiem": "responsibility",
    "bao ve": "protect/protecting",
    "xay dung": "building/build",
    "phat trien": "development/develop",
    "kinh te": "economic/economy",
    "noi": "said/say",
    "phat dong": "launched",
    "nguoi dung dau": "heads/leaders",
    "viet nam": "Vietnam",
    "xa": "commune",
    "huyen": "district",
    "tinh": "province",
    "thon": "village/hamlet",
    "lang": "village",
    # People, bodies and roles of the grassroots.
    "nguoi co uy tin": "prestigious people/village elders",
    "gia lang": "village elders",
    "truong thon": "village head",
    "bi thu": "Secretary",
    "chi bo": "Party cell",
    "dang uy": "Party Committee",
    "huyen uy": "district Party Committee",
    "tinh uy": "provincial Party Committee",
    "ban dan van": "Mass Mobilization Commission/Mass Mobilisation Board",
    "ban thuong vu": "Standing Board/Standing Committee",
    "uy ban nhan dan": "People's Committee",
    "hoi dong nhan dan": "People's Council",
    "hoi phu nu": "Women's Union/women's association",
    "phu nu": "women",
    "hoi nong dan": "Farmers' Association",
    "doan thanh nien": "Youth Union",
    "cuu chien binh": "veterans",
    "hoi vien": "members",
    "ho dan": "households",
    "ho gia dinh": "households/families",
    "ho ngheo": "poor households",
    "bo truong": "Minister",
    "thu truong": "Deputy Minister",
    "quan su": "military",
    "luc luong vu trang": "armed forces",
    "bien phong": "border guards",
    "to dan pho": "residential groups",
    # What mass mobilization work does and gives.
    "chinh sach": "policy/policies",
    "che do": "benefits/entitlements/allowance",
    "phu cap": "allowance",
    "ho tro": "support/assistance",
    "hien dat": "donated land/donate land",
    "giai phong mat bang": "land clearance",
    "boi thuong": "compensation",
    "dat dai": "land",
    "duong giao thong": "roads",
    "be tong": "concrete",
    "nha van hoa": "cultural house/community house",
    "nha dai doan ket": "great solidarity houses",
    "tap huan": "training",
    "boi duong": "training/fostering",
    "khen thuong": "commend/reward",
    "bieu duong": "commended/honoured",
    "ton vinh": "honoured/honour",
    "hoa giai": "mediation/mediate",
    "tranh chap": "disputes",
    "hu tuc": "backward customs",
    "me tin di doan": "superstition",
    "tu bo": "abandon/gave up",
    "ky niem": "anniversary",
    "ban chi dao": "steering committee",
    "dang ky": "registered/register",
    "cong khai": "publicly/public/transparency",
    "minh bach": "transparent/transparency",
    "dong gop": "contribute/contributions",
    "ngay cong": "workdays/labour",
    "moi truong": "environment",
    "rac thai": "waste/rubbish",
    "bai rac": "landfill/dump",
    "thu nhap": "income",
    "binh quan dau nguoi": "per capita",
    "y kien": "opinions/comments",
    "kien nghi": "petitions/recommendations",
    "phap lenh": "ordinance",
    "du thao": "draft",
    "gop y": "comments/feedback",
    # Services and works of a commune or ward that residents ask about.
    "truong hoc": "school",
    "mam non": "kindergarten/preschool",
    "tram y te": "health station",
    "nuoc sach": "clean water",
    "thoat nuoc": "drainage/drain",
    "nao vet": "dredge/dredging",
    "ngap ung": "flooding/waterlogging",
    "ve sinh moi truong": "environmental sanitation",
    "chieu sang": "lighting",
    "via he": "pavement/sidewalk",
    "do xe": "parking",
    "giao thong": "traffic/transport",
    "tai dinh cu": "resettlement",
    "vanh dai": "ring road/beltway",
    "ban giao": "hand over/handover",
    "an ninh trat tu": "security and order",
    "trom cap": "theft",
    "cu tri": "voters",
    "tiep xuc cu tri": "meeting voters",
    "hop dan": "residents' meeting",
    "cho vay": "lend/loans",
    "mua chiu": "buy on credit",
    "thu hoach": "harvest",
    "chan nuoi": "livestock/animal husbandry",
    "du lich": "tourism",
    "hien nay": "currently/now",
}

_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(GLOSSARY, key=len, reverse=True)) + r")\b"
)


def glossary_matches(folded: str) -> list[tuple[str, str]]:
    """Return (Vietnamese phrase, English gloss) for each glossary phrase in folded ``text``."""
    return [
        (match.group(1), GLOSSARY[match.group(1)].replace("/", " "))
        for match in _PATTERN.finditer(folded)
    ]


# Every glossary phrase's first words ("bo", "bo chinh", "bo chinh tri").
_OPENINGS = frozenset(
    " ".join(words[:width]) for words in map(str.split, GLOSSARY)
    for width in range(1, len(words) + 1)
)


def opens_glossary_phrase(text: str) -> bool:
    """Return whether ``text`` (any case, diacritics or not) is, or opens, a glossary phrase."""
    return " ".join(fold(nfc(text)).lower().split()) in _OPENINGS


def gloss(text: str) -> str:
    """Return English glosses of the Vietnamese terms in ``text`` (empty when there are none)."""
    return " ".join(english for _, english in glossary_matches(fold(nfc(text)).lower()))


# Question words and numbers say what is asked, not what it is about: not glossed back.
_NOT_REVERSED = frozenset(
    {"ngay nao", "khi nao", "nam nao", "bao nhieu", "ai", "tac gia", "viet", "noi", "bon", "ba",
     "nam", "so hieu", "bai bao", "van ban"}
)


def _reverse_glossary() -> dict[tuple[str, ...], str]:
    """Map each English alternative, as its stems, to the first Vietnamese phrase it glosses."""
    reverse: dict[tuple[str, ...], str] = {}
    for vietnamese, english in GLOSSARY.items():
        if vietnamese in _NOT_REVERSED:
            continue
        for alternative in english.split("/"):
            stems = tuple(content_terms(alternative))
            if stems:
                reverse.setdefault(stems, vietnamese)
    return reverse


# Entries whose English words name two things ("sea/islands", "public/transparency"), or whose
# stem means something else too ("authorities" is "author", "effectiveness" is "effect").
_NOT_SYNONYMS = frozenset({"bien dao", "cong khai", "ngay cong", "chinh quyen", "hieu qua"})


def _english_synonyms() -> dict[str, frozenset[str]]:
    """Map each one-word English gloss, as its stem, to the other one-word glosses of its entry.

    Two English words glossing one Vietnamese word name one thing: a "dump" is a "landfill".
    """
    synonyms: dict[str, set[str]] = {}
    for vietnamese, english in GLOSSARY.items():
        if vietnamese in _NOT_REVERSED or vietnamese in _NOT_SYNONYMS:
            continue
        stems = {
            content_terms(word)[0] for word in english.split("/")
            if len(word.split()) == 1 and content_terms(word)
        }
        for stem in stems:
            synonyms.setdefault(stem, set()).update(stems - {stem})
    return {stem: frozenset(others) for stem, others in synonyms.items() if others}


ENGLISH_SYNONYMS = _english_synonyms()
_REVERSE = _reverse_glossary()
_LONGEST = max(len(stems) for stems in _REVERSE)


def vietnamese_matches(text: str) -> list[tuple[tuple[str, ...], str]]:
    """Return (English stems, Vietnamese phrase) for the glossary's English terms in ``text``.

    The longest phrase wins ("mass mobilization work" over "mass mobilization"); phrases do not
    overlap.
    """
    stems = content_terms(text)
    found: list[tuple[tuple[str, ...], str]] = []
    index = 0
    while index < len(stems):
        for width in range(min(_LONGEST, len(stems) - index), 0, -1):
            key = tuple(stems[index : index + width])
            if key in _REVERSE:
                found.append((key, _REVERSE[key]))
                index += width
                break
        else:
            index += 1
    return found


def vietnamese_gloss(text: str) -> str:
    """Return the Vietnamese (folded) terms for the English glossary terms of ``text``."""
    return " ".join(vietnamese for _, vietnamese in vietnamese_matches(text))
