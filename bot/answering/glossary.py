"""A Vietnamese-English glossary of mass mobilization vocabulary, for cross-language questions.

The bundled embedding model is English-only and much of the reference material is published in
English, so a Vietnamese question ("nghị quyết 25 về công tác dân vận ban hành ngày nào") is
glossed into English terms that both the dense and the lexical search can use. Keys are folded
(no diacritics) so questions typed with or without diacritics meet the same entry.
"""

from __future__ import annotations

import re

from vectorstore.text import fold, nfc

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
    "thong qua": "approved adopted",
    "hieu luc": "effect effective",
    "ngay nao": "when date",
    "khi nao": "when",
    "nam nao": "what year",
    "bao nhieu": "how many",
    "ai": "who",
    "tac gia": "author wrote",
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
    "hoi nghi": "conference plenum",
    "khoa": "tenure term",
    "dai hoi": "Congress",
    "nha nuoc": "State",
    "chinh phu": "Government",
    "thu tuong": "Prime Minister",
    "quoc hoi": "National Assembly",
    "chinh quyen": "authorities administration",
    "mat tran to quoc": "Fatherland Front",
    "mat tran": "Front",
    "doan the": "mass organizations",
    "he thong chinh tri": "political system",
    "co so": "grassroots",
    "dan chu co so": "grassroots democracy",
    "dan chu": "democracy",
    "quan doi": "military army",
    "quan doi nhan dan": "People's Army",
    "bo doi": "troops soldiers",
    "cong an": "public security police",
    "an ninh": "security",
    "an ninh quoc gia": "national security",
    "trat tu an toan xa hoi": "social order and safety",
    "quoc phong": "national defense",
    "bao ve to quoc": "defending the Fatherland",
    "to quoc": "Fatherland",
    "can bo": "cadres officials",
    "dang vien": "Party members",
    "dan toc thieu so": "ethnic minorities",
    "dan toc": "ethnic",
    "ton giao": "religion religious",
    "bien gioi": "border",
    "bien dao": "sea islands",
    "nong thon moi": "new rural areas",
    "xoa doi giam ngheo": "hunger eradication poverty reduction",
    "giam ngheo": "poverty reduction",
    "doan ket": "unity solidarity",
    "khoi dai doan ket": "great unity bloc",
    "the tran long dan": "people's hearts and minds posture",
    "long dan": "people's hearts and minds",
    "tuyen truyen": "propaganda communication",
    "van dong": "mobilize mobilization",
    "kiem tra": "inspect inspection",
    "giam sat": "supervise supervision",
    "thu huong": "benefit",
    "dan biet": "people know",
    "dan ban": "people discuss",
    "dan lam": "people do",
    "dan kiem tra": "people inspect",
    "doi moi": "renewing innovating reform",
    "tang cuong": "strengthening enhancing",
    "lanh dao": "leadership",
    "tinh hinh moi": "new situation",
    "ho chi minh": "Ho Chi Minh",
    "bac ho": "Ho Chi Minh",
    "chu tich": "President",
    "bai bao": "article",
    "bao su that": "Su That newspaper",
    "ngay truyen thong": "traditional day",
    "nhiem vu": "tasks",
    "giai phap": "solutions measures",
    "bien phap": "measures",
    "muc tieu": "goals objectives",
    "han che": "limitations shortcomings",
    "khieu nai": "complaints",
    "to cao": "denunciations",
    "doi thoai": "dialogue",
    "tiep dan": "reception of citizens",
    "toi pham": "crime criminals",
    "ma tuy": "drugs",
    "thien tai": "natural disasters",
    "vung sau vung xa": "remote areas",
    "xa hoi": "social society",
    "viet nam": "Vietnam",
    "xa": "commune",
    "huyen": "district",
    "tinh": "province",
    "thon": "village hamlet",
    "lang": "village",
}

_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(GLOSSARY, key=len, reverse=True)) + r")\b"
)


def glossary_matches(folded: str) -> list[tuple[str, str]]:
    """Return (Vietnamese phrase, English gloss) for each glossary phrase in folded ``text``."""
    return [(match.group(1), GLOSSARY[match.group(1)]) for match in _PATTERN.finditer(folded)]


def gloss(text: str) -> str:
    """Return English glosses of the Vietnamese terms in ``text`` (empty when there are none)."""
    return " ".join(english for _, english in glossary_matches(fold(nfc(text)).lower()))
