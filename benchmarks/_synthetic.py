"""Shared helpers of the benchmarks: a synthetic policy corpus, chunk records, timing and memory.

The corpus recombines the sentences of the reference articles (``../shared/corpus``) and of the
example corpus, varies the counts they state, and adds to every paragraph one generated fact
(a province, commune, person, plan number, date or count), so every chunk is distinct and some
facts can be asked about. A document is drawn from two seeded random streams: its *shape* (which
sentences and templates, in which order) depends only on its index, its *values* (names, numbers,
dates) on its index and a variant number. Variants of one document therefore say the same thing
about different places and figures, which is what lets ``bench_ask.py`` give a variant the
embedding of the original plus a small perturbation.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.clean import clean_document, read_sidecar
from ingest.loaders import load_document
from ingest.model import Block, LoadedDocument
from ingest.pipeline import ChunkRecord, build_chunk_records
from ingest.settings import SUPPORTED_SUFFIXES, ChunkingSettings
from vectorstore.text import detect_language, fold, split_sentences

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLE_CORPUS = ROOT / "examples" / "corpus"

# Bump when the generated text changes, so cached stores built from older text are rebuilt.
GENERATOR_VERSION = 1
VIETNAMESE_SHARE = 0.2
_SENTENCE_CHARS = (40, 400)
_SOURCE_NOTE = re.compile(r"^(?:sources?|nguồn)\s*:", re.IGNORECASE)
_ENGLISH_WORDS = re.compile(r"\b(?:the|of|and|to|is|are|was|for|with|in|on)\b", re.IGNORECASE)

# --- the sentence pool ----------------------------------------------------------------------


@dataclass(frozen=True)
class SentencePool:
    """Body sentences of the real corpora, per language."""

    english: tuple[str, ...]
    vietnamese: tuple[str, ...]

    @classmethod
    def from_corpora(
        cls, folders: Sequence[Path] = (SHARED_CORPUS, EXAMPLE_CORPUS)
    ) -> SentencePool:
        """Read every document of ``folders`` through the project's loaders and cleaner."""
        found: dict[str, dict[str, None]] = {"en": {}, "vi": {}}
        for folder in folders:
            if not folder.is_dir():
                raise SystemExit(f"corpus folder not found: {folder}")
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                document = clean_document(load_document(path), read_sidecar(path))
                for block in document.blocks:
                    if block.kind != "paragraph":
                        continue
                    for start, end in split_sentences(block.text):
                        sentence = block.text[start:end].strip()
                        if _SOURCE_NOTE.match(sentence):
                            continue
                        if _SENTENCE_CHARS[0] <= len(sentence) <= _SENTENCE_CHARS[1]:
                            found[_language(sentence)][sentence] = None
        return cls(tuple(found["en"]), tuple(found["vi"]))

    def of(self, language: str) -> tuple[str, ...]:
        """Return the sentences in ``language``."""
        return self.vietnamese if language == "vi" else self.english


def _language(sentence: str) -> str:
    # Per sentence, not per document: the example notes mix English prose with Vietnamese quotes,
    # and an English sentence quoting "Dân vận" is still English.
    if len(_ENGLISH_WORDS.findall(sentence)) >= 2:
        return "en"
    return detect_language(sentence)


# --- names and figures ----------------------------------------------------------------------

_PROVINCES = (
    "Nghệ An", "Thanh Hóa", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam",
    "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Đắk Lắk", "Gia Lai", "Kon Tum",
    "Lâm Đồng", "Bình Phước", "Tây Ninh", "Đồng Nai", "Long An", "Tiền Giang", "Bến Tre",
    "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang", "Cà Mau", "Sóc Trăng",
    "Hà Giang", "Cao Bằng", "Lạng Sơn", "Lào Cai", "Yên Bái", "Sơn La", "Điện Biên", "Lai Châu",
    "Thái Nguyên", "Bắc Giang", "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Nam Định",
    "Ninh Bình", "Hòa Bình", "Phú Thọ", "Tuyên Quang", "Vĩnh Phúc",
)  # fmt: skip
_SYLLABLES = (
    "Tân", "Phú", "Hòa", "Bình", "An", "Thạnh", "Lộc", "Hưng", "Đông", "Tây", "Nam", "Bắc",
    "Sơn", "Thủy", "Lâm", "Trung", "Xuân", "Cẩm", "Châu", "Long", "Thịnh", "Phước", "Quang",
    "Minh", "Hải", "Vĩnh", "Yên", "Mỹ", "Kim", "Ngọc", "Thượng", "Hạ", "Đức", "Nghĩa", "Tiến",
)  # fmt: skip
_FAMILY_NAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Phan", "Võ", "Trương", "Đinh", "Lò", "Hà", "Vi",
)  # fmt: skip
_MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Công")
_GIVEN_NAMES = (
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Hương", "Khánh", "Lan", "Long",
    "Mai", "Nam", "Phong", "Quang", "Sơn", "Tâm", "Thảo", "Tuấn", "Vinh", "Yến", "Thuyên", "Lợi",
)  # fmt: skip
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

# A count in running text ("30 villages", "1,200 households"): not a year, date or document number.
_COUNT = re.compile(r"(?<![\w./,-])\d{1,3}(?:[.,]\d{3})*(?= [^\W\d_])")


@dataclass(frozen=True)
class _Values:
    """The names and figures one document (variant) speaks of."""

    language: str
    province: str
    commune: str
    village: str
    person: str
    official: str
    year: int
    day: int
    month: int
    count: int
    communes: int
    cadres: int
    plan: int
    directive: int
    land: int
    workdays: int
    km: int
    dialogues: int
    complaints: int
    hour: int
    minute: int

    @classmethod
    def draw(cls, rng: random.Random, language: str) -> _Values:
        """Draw a fresh set of values; names are spelt without diacritics in English."""

        def name(parts: Sequence[str]) -> str:
            text = " ".join(parts)
            return text if language == "vi" else fold(text)

        def person() -> str:
            return name(
                (rng.choice(_FAMILY_NAMES), rng.choice(_MIDDLE_NAMES), rng.choice(_GIVEN_NAMES))
            )

        return cls(
            language=language,
            province=name((rng.choice(_PROVINCES),)),
            commune=name(rng.sample(_SYLLABLES, 2)),
            village=name(rng.sample(_SYLLABLES, 2)),
            person=person(),
            official=person(),
            year=rng.randint(2014, 2025),
            day=rng.randint(1, 28),
            month=rng.randint(1, 12),
            count=rng.randint(12, 480),
            communes=rng.randint(5, 60),
            cadres=rng.randint(40, 900),
            plan=rng.randint(10, 999),
            directive=rng.randint(10, 99),
            land=rng.randint(2, 90) * 100,
            workdays=rng.randint(150, 4800),
            km=rng.randint(2, 45),
            dialogues=rng.randint(3, 40),
            complaints=rng.randint(8, 300),
            hour=rng.randint(6, 21),
            minute=rng.choice((0, 5, 15, 20, 30, 40, 45, 50)),
        )

    def fields(self) -> dict[str, object]:
        """Return the values by name for the templates, with the date as the language writes it."""
        if self.language == "vi":
            date_text = f"ngày {self.day}/{self.month}/{self.year}"
        else:
            date_text = f"{self.day} {_MONTH_NAMES[self.month - 1]} {self.year}"
        return vars(self) | {"date_text": date_text}


@dataclass(frozen=True)
class Fact:
    """Something a generated document states, with a question about it and its answer."""

    question: str
    answer: str
    language: str


@dataclass(frozen=True)
class _Template:
    text: str
    question: str
    answer: str


_FACTS = {
    "en": (
        _Template(
            "In {year}, the Mass Mobilization Commission of the {province} Provincial Party "
            "Committee recognised {count} “Skillful mass mobilization” models in {communes} "
            "communes, said {person}, Deputy Head of the Commission.",
            "How many skillful mass mobilization models did {province} recognise in {year}?",
            "{count}",
        ),
        _Template(
            "Under Plan No.{plan}-KH/TU issued on {date_text}, the {province} Provincial Party "
            "Committee sent {cadres} cadres to {communes} communes to listen to the people and "
            "settle their petitions.",
            "When was Plan No.{plan}-KH/TU of {province} issued?",
            "{date_text}",
        ),
        _Template(
            "Residents of {village} village in {commune} commune, {province} province, donated "
            "{land} square metres of land and {workdays} working days to build {km} km of rural "
            "roads, according to {person}, Secretary of the village Party cell.",
            "How much land did the residents of {village} village in {commune} commune donate?",
            "{land} square metres",
        ),
        _Template(
            "In {year}, the People's Committee of {commune} commune held {dialogues} dialogues "
            "between its leaders and residents and settled {complaints} complaints and petitions.",
            "How many dialogues did the People's Committee of {commune} commune hold in {year}?",
            "{dialogues} dialogues",
        ),
        _Template(
            "{official}, Head of the Mass Mobilization Commission of {province}, said that "
            "Directive No.{directive}-CT/TU of {year} requires every cadre to stay close to the "
            "people, understand the people and be responsible to the people.",
            "Who is the Head of the Mass Mobilization Commission of {province}?",
            "{official}",
        ),
    ),
    "vi": (
        _Template(
            "Năm {year}, Ban Dân vận Tỉnh ủy {province} đã công nhận {count} mô hình “Dân vận "
            "khéo” tại {communes} xã, đồng chí {person}, Phó Trưởng ban cho biết.",
            "Năm {year} tỉnh {province} công nhận bao nhiêu mô hình dân vận khéo?",
            "{count}",
        ),
        _Template(
            "Theo Kế hoạch số {plan}-KH/TU {date_text} của Tỉnh ủy {province}, {cadres} cán bộ "
            "được cử về {communes} xã để lắng nghe ý kiến và giải quyết kiến nghị của nhân dân.",
            "Kế hoạch số {plan}-KH/TU của Tỉnh ủy {province} ban hành ngày nào?",
            "{date_text}",
        ),
        _Template(
            "Người dân thôn {village}, xã {commune}, tỉnh {province} đã hiến {land} mét vuông đất "
            "và góp {workdays} ngày công để làm {km} km đường giao thông nông thôn, theo đồng chí "
            "{person}, Bí thư chi bộ thôn.",
            "Người dân thôn {village} xã {commune} đã hiến bao nhiêu mét vuông đất?",
            "{land} mét vuông",
        ),
        _Template(
            "Năm {year}, Ủy ban nhân dân xã {commune} đã tổ chức {dialogues} cuộc đối thoại giữa "
            "lãnh đạo với nhân dân và giải quyết {complaints} đơn thư kiến nghị.",
            "Năm {year} xã {commune} tổ chức bao nhiêu cuộc đối thoại với nhân dân?",
            "{dialogues} cuộc đối thoại",
        ),
        _Template(
            "Đồng chí {official}, Trưởng Ban Dân vận Tỉnh ủy {province}, cho biết Chỉ thị số "
            "{directive}-CT/TU năm {year} yêu cầu mỗi cán bộ phải gần dân, hiểu dân, có trách "
            "nhiệm với dân.",
            "Ai là Trưởng Ban Dân vận Tỉnh ủy {province}?",
            "{official}",
        ),
    ),
}
_TITLES = {
    "en": (
        "{province} improves the effectiveness of mass mobilization work",
        "Skillful mass mobilization in {commune} commune, {province}",
        "Mass mobilization in ensuring security and order in {province}",
        "The {province} Mass Mobilization Commission reviews its work in {year}",
        "Listening to the people: grassroots democracy in {commune} commune",
    ),
    "vi": (
        "{province} nâng cao hiệu quả công tác dân vận",
        "Dân vận khéo ở xã {commune}, tỉnh {province}",
        "Ban Dân vận Tỉnh ủy {province} tổng kết công tác năm {year}",
        "Lắng nghe ý kiến nhân dân: dân chủ ở cơ sở tại xã {commune}",
    ),
}


# --- documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticDocument:
    """One generated article: title, dateline, paragraphs, byline and source line."""

    index: int
    variant: int
    language: str
    lines: tuple[str, ...]
    facts: tuple[Fact, ...]

    @property
    def name(self) -> str:
        """The file name the document is written under."""
        return f"article-{self.index:05d}-{self.variant:03d}.txt"

    @property
    def text(self) -> str:
        """The file content: one paragraph per line, blank lines between them."""
        return "\n\n".join(self.lines) + "\n"

    @property
    def doc_id(self) -> str:
        """A content hash standing in for the ingest manifest's document id."""
        return hashlib.sha256(self.text.encode()).hexdigest()[:24]


class CorpusGenerator:
    """Deterministic synthetic policy articles drawn from a sentence pool."""

    def __init__(self, pool: SentencePool, seed: int = 0) -> None:
        self.pool = pool
        self.seed = seed

    def document(self, index: int, variant: int = 0) -> SyntheticDocument:
        """Return article ``index``; variants share its shape and differ in names and figures."""
        shape = random.Random(f"{self.seed}:shape:{index}")
        values_rng = random.Random(f"{self.seed}:values:{index}:{variant}")
        language = "vi" if shape.random() < VIETNAMESE_SHARE else "en"
        values = _Values.draw(values_rng, language)
        sentences = self.pool.of(language)
        templates = _FACTS[language]

        title = shape.choice(_TITLES[language]).format(**values.fields())
        dateline = (
            f"{values.day:02d}/{values.month:02d}/{values.year} "
            f"{values.hour:02d}:{values.minute:02d}"
        )
        paragraphs = []
        facts = []
        for _ in range(shape.randint(8, 12)):
            picked = shape.sample(range(len(sentences)), shape.randint(2, 4))
            template = shape.choice(templates)
            # Each paragraph reports on its own locality, as a provincial round-up would.
            local = _Values.draw(values_rng, language)
            local_fields = local.fields()
            body = [_vary_counts(sentences[i], values_rng) for i in picked]
            body.insert(shape.randint(0, len(body)), template.text.format(**local_fields))
            paragraphs.append(" ".join(body))
            facts.append(
                Fact(
                    template.question.format(**local_fields),
                    template.answer.format(**local_fields),
                    language,
                )
            )
        label = "Nguồn" if language == "vi" else "Source"
        source = f"{label}: https://example.org/dan-van/{index}-{variant}.html"
        return SyntheticDocument(
            index=index,
            variant=variant,
            language=language,
            lines=(title, dateline, *paragraphs, values.person, source),
            facts=tuple(dict.fromkeys(facts)),
        )


def _vary_counts(sentence: str, rng: random.Random) -> str:
    """Replace the counts a sentence states with others of the same magnitude."""

    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        separator = next((c for c in match.group() if c in ".,"), "")
        low = 10 ** (len(digits) - 1) if len(digits) > 1 else 2
        value = rng.randint(low, 10 ** len(digits) - 1)
        text = f"{value:,}"
        return text.replace(",", separator) if separator else text.replace(",", "")

    return _COUNT.sub(replace, sentence)


def chunk_records(
    document: SyntheticDocument, source: str, chunking: ChunkingSettings
) -> list[ChunkRecord]:
    """Return the chunk records ingestion makes of ``document`` (as the text loader reads it)."""
    loaded = LoadedDocument(Path(source), [Block(line) for line in document.lines])
    cleaned = clean_document(loaded)
    return build_chunk_records(document.doc_id, source, cleaned, chunking)


def write_corpus(
    folder: Path, min_chunks: int, generator: CorpusGenerator, chunking: ChunkingSettings
) -> tuple[list[SyntheticDocument], list[ChunkRecord]]:
    """Write articles into ``folder`` until they make at least ``min_chunks`` chunks.

    Returns the documents written and the chunk records ingestion will make of them.
    """
    folder.mkdir(parents=True, exist_ok=True)
    documents: list[SyntheticDocument] = []
    records: list[ChunkRecord] = []
    for index in itertools.count():
        if len(records) >= min_chunks:
            break
        document = generator.document(index)
        path = folder / document.name
        path.write_text(document.text, encoding="utf-8")
        documents.append(document)
        records.extend(chunk_records(document, str(path), chunking))
    return documents, records


# --- measuring ------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the ``fraction`` quantile of ``values`` as `policybot eval` computes its latency
    percentiles (linear interpolation); NaN when there are none.
    """
    return float(np.percentile(values, fraction * 100)) if values else math.nan


def memory_mib() -> dict[str, float]:
    """Return this process's resident memory now (VmRSS) and its high-water mark (VmHWM), MiB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return {"rss_mib": found["VmRSS"], "peak_rss_mib": found["VmHWM"]}


def verdict(passed: bool) -> str:
    """Return PASS or FAIL."""
    return "PASS" if passed else "FAIL"
