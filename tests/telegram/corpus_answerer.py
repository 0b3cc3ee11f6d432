"""A small, honest answerer and library over real corpus files, for the bot's end-to-end tests.

The answerer knows a fixed set of topics. For a question that names one, it quotes whole
sentences of the real document (every quote is checked to be an exact substring of the file)
with ``[n]`` markers; a short follow-up borrows the subject of the previous turn from
``history``; anything else is refused. The real extractive answerer replaces it by changing the
``answerer`` fixture; tests that need its particular behaviour (slow, very long, broken) build
one of their own.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.answering.types import Answer, Answerer, Citation, Turn
from vectorstore.model import DocumentInfo, Passage

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
MAX_QUESTION_CHARS = 4000

_VIETNAMESE = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: Path
    title: str
    text: str
    date: str | None = None
    url: str | None = None

    @classmethod
    def load(cls, path: Path, *, title: str | None = None, date: str | None = None,
             url: str | None = None) -> Document:
        text = path.read_text(encoding="utf-8")
        first_line = next(line for line in text.splitlines() if line.strip())
        return cls(path.stem, path, title or first_line.strip(), text, date, url)

    def sentences(self, containing: str) -> list[str]:
        """Whole sentences of the paragraph that contains ``containing``, from that point on."""
        for paragraph in self.text.splitlines():
            if containing in paragraph:
                sentences = _SENTENCE_END.split(paragraph.strip())
                first = next(i for i, s in enumerate(sentences) if containing in s)
                return sentences[first:]
        raise LookupError(f"{containing!r} is not in {self.path}")

    def all_sentences(self) -> list[str]:
        return [
            sentence
            for paragraph in self.text.splitlines()
            if len(paragraph) > 120
            for sentence in _SENTENCE_END.split(paragraph.strip())
        ]


@dataclass(frozen=True)
class Topic:
    name: str
    triggers: tuple[str, ...]  # lower-case phrases; any one in the question selects the topic
    doc_id: str
    anchors: tuple[str, ...] = ()  # each anchor selects the sentence that contains it
    everything: bool = False  # quote every sentence of the document (a long answer)
    follow_ups: dict[str, str] = field(default_factory=dict)  # follow-up phrase -> anchor


def reference_documents(corpus: Path = SHARED_CORPUS) -> dict[str, Document]:
    """The five reference articles, with the dates and URL printed in them."""
    documents = [
        Document.load(corpus / "000_bae2ce22076c3df2.txt"),
        Document.load(corpus / "001_5b8c9dc2988af090.txt",
                      title="The Military improves the effectiveness of the mass mobilization "
                      "work", date="2018-10-14"),
        Document.load(corpus / "002_fcf7149a0a3f8bbb.txt",
                      title="Mass mobilization as one of the Party's fundamental tasks"),
        Document.load(corpus / "003_dbb4f5a35c7f96d2.txt",
                      title="Conference on coordination in mass mobilization work in 2024",
                      url="https://nhandan.vn/tiep-tuc-nang-cao-trach-nhiem-thuc-hien-cong-toc-"
                      "dan-van-cua-cap-uy-chinh-quyen-nguoi-dung-dau-co-quan-don-vi-luc-luong-vu-"
                      "trang-post853277.html"),
        Document.load(corpus / "004_456814b8bddf3dd3.txt"),
    ]
    return {document.doc_id: document for document in documents}


REFERENCE_TOPICS = (
    Topic(
        "everything about the military's mass mobilization work",
        ("everything", "tất cả"),
        "001_5b8c9dc2988af090",
        everything=True,
    ),
    Topic(
        "resolution 25-NQ/TW",
        ("25-nq/tw", "resolution 25", "nghị quyết 25", "nghi quyet 25"),
        "000_bae2ce22076c3df2",
        anchors=("issued Resolution No.25-NQ/TW on June 3rd, 2013",),
        follow_ups={"when": "issued Resolution No.25-NQ/TW on June 3rd, 2013",
                    "khi nào": "issued Resolution No.25-NQ/TW on June 3rd, 2013"},
    ),
    Topic(
        "decree 06/2014/ND-CP",
        ("06/2014", "decree 06", "nghị định 06"),
        "000_bae2ce22076c3df2",
        anchors=("The Prime Minister also issued Decree No.06/2014/NĐ-CP",),
    ),
    Topic(
        "the military's mass mobilization work",
        ("military", "quân đội"),
        "001_5b8c9dc2988af090",
        anchors=(
            "The work of mass mobilization is an important element",
            "First, grasping and strictly implementing",
        ),
    ),
    Topic(
        "the 2024 coordination conference",
        ("conference", "hội nghị"),
        "003_dbb4f5a35c7f96d2",
        anchors=("held a conference to summarize the program of coordination",),
    ),
)


class CorpusAnswerer:
    """Answers from fixed topics over real documents; refuses everything else."""

    def __init__(
        self,
        documents: dict[str, Document] | None = None,
        topics: Sequence[Topic] = REFERENCE_TOPICS,
        *,
        delay_s: float = 0.0,
        slow: dict[str, float] | None = None,
    ) -> None:
        self.documents = documents if documents is not None else reference_documents()
        self.topics = tuple(topics)
        self.delay_s = delay_s
        self.slow = slow or {}  # question substring -> seconds of blocking work

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        # Blocking on purpose, like the real CPU-bound answerer.
        time.sleep(self.delay_s + sum(s for q, s in self.slow.items() if q in question))
        language = "vi" if _VIETNAMESE.search(question.lower()) else "en"
        if len(question) > MAX_QUESTION_CHARS:
            return self._refuse(question, language, "too_long")
        lowered = question.lower()
        topic = next((t for t in self.topics if any(k in lowered for k in t.triggers)), None)
        if topic is not None:
            return self._cite(question, language, topic, self._anchored(topic))
        if history and history[-1].answer.subject:
            previous = next((t for t in self.topics if t.name == history[-1].answer.subject), None)
            anchor = next(
                (a for phrase, a in (previous.follow_ups if previous else {}).items()
                 if phrase in lowered),
                None,
            )
            if previous is not None and anchor is not None:
                document = self.documents[previous.doc_id]
                return self._cite(question, language, previous, [document.sentences(anchor)[0]])
        return self._refuse(question, language, "off_topic")

    def _anchored(self, topic: Topic) -> list[str]:
        document = self.documents[topic.doc_id]
        if topic.everything:
            return document.all_sentences()
        return [document.sentences(anchor)[0] for anchor in topic.anchors]

    def _cite(self, question: str, language: str, topic: Topic, quotes: list[str]) -> Answer:
        document = self.documents[topic.doc_id]
        citations = []
        for n, quote in enumerate(quotes, start=1):
            assert quote in document.text, "a quote must be an exact substring of its document"
            citations.append(
                Citation(
                    n=n,
                    chunk_id=f"{document.doc_id}:{document.text.index(quote)}",
                    doc_id=document.doc_id,
                    source=str(document.path),
                    title=document.title,
                    quote=quote,
                    score=0.9,
                    date=document.date,
                    url=document.url,
                )
            )
        text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        retrieved = [
            Passage(c.chunk_id, c.doc_id, c.source, c.title, c.quote, score=c.score)
            for c in citations
        ]
        return Answer(
            question=question, text=text, refused=False, language=language,
            citations=citations, retrieved=retrieved, subject=topic.name,
            timings_ms={"total": 1000 * self.delay_s},
        )

    def _refuse(self, question: str, language: str, reason: str) -> Answer:
        text = (
            "Các văn bản đã lập chỉ mục không đề cập đến nội dung này."
            if language == "vi"
            else "The indexed documents do not say."
        )
        return Answer(question=question, text=text, refused=True, language=language,
                      refusal_reason=reason)


class RecordingAnswerer:
    """Any answerer, recording the questions and history the bot passed to it."""

    def __init__(self, inner: Answerer) -> None:
        self.inner = inner
        self.calls: list[tuple[str, tuple[Turn, ...]]] = []
        self._lock = threading.Lock()

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        with self._lock:
            self.calls.append((question, tuple(history)))
        return self.inner.answer(question, history)


class FolderLibrary:
    """The documents of a folder, and a re-index that reports what changed since the last one."""

    def __init__(self, folder: Path, *, fail_with: Exception | None = None) -> None:
        self.folder = folder
        self.fail_with = fail_with
        self.reindex_calls = 0
        self._digests = self._scan()

    def documents(self) -> list[DocumentInfo]:
        infos = []
        for path in sorted(self.folder.iterdir()):
            document = Document.load(path)
            infos.append(
                DocumentInfo(document.doc_id, str(path), document.title,
                             chunk_count=document.text.count("\n\n") + 1)
            )
        return infos

    def reindex(self) -> str:
        self.reindex_calls += 1
        if self.fail_with is not None:
            raise self.fail_with
        before, after = self._digests, self._scan()
        self._digests = after
        added = len(after.keys() - before.keys())
        changed = sum(1 for k in after.keys() & before.keys() if after[k] != before[k])
        removed = len(before.keys() - after.keys())
        unchanged = len(after) - added - changed
        return f"{added} added, {changed} changed, {removed} removed, {unchanged} unchanged"

    def _scan(self) -> dict[str, str]:
        return {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.folder.iterdir())
        }


class StreamingCorpusAnswerer(CorpusAnswerer):
    """The corpus answerer reporting its answer one quoted sentence at a time, as a generative
    answerer reports its verified sentences; "crash" in a question fails after the first one."""

    def __init__(self, *, pause_s: float = 0.0, **options: Any) -> None:
        super().__init__(**options)
        self.pause_s = pause_s

    def answer_streaming(
        self, question: str, history: Sequence[Turn], on_text: Callable[[str], None] | None
    ) -> Answer:
        answer = self.answer(question, history)
        for shown in range(1, len(answer.citations) + 1):
            time.sleep(self.pause_s)
            if on_text is not None:
                on_text(" ".join(f"{c.quote} [{c.n}]" for c in answer.citations[:shown]))
            if "crash" in question:
                raise RuntimeError("the model server went away")
        return answer
