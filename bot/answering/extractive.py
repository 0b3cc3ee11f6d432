"""The extractive answerer: answers with verbatim sentences of the retrieved passages, or refuses.

No language model is involved, so nothing can be invented: every sentence of an answer is copied
from a passage and carries the citation of that passage, and the quote is checked to be an exact
substring of the cited chunk before it is used. The hard part is knowing when not to answer; the
answerer refuses when the question names a document nobody mentions, when it is aimed at the bot
rather than the documents, when the question's key terms are not in the evidence, and when the
question asks for a date or a number that no candidate sentence holds.

The question's key terms come from ``terms``, its counts are read by ``counts``, and what a
follow-up borrows from the turn before by ``follow_ups``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.answering import messages, validity
from bot.answering.constraints import (
    Spelled,
    gives_new_name,
    names_in,
    scopes_in,
    unmet_presumption,
    unnamed,
    years_named,
)
from bot.answering.counts import counted_number, has_focused_number
from bot.answering.follow_ups import resolve_follow_up, subject_of
from bot.answering.glossary import (
    gloss,
    vietnamese_matches,
)
from bot.answering.question import (
    DEADLINE_RE,
    MONEY_RE,
    PERCENT,
    Question,
    QuestionIntent,
    aimed_at_bot,
    money_kinds,
    read_question,
    small_talk,
)
from bot.answering.roles import names_holder
from bot.answering.settings import AnswerSettings
from bot.answering.terms import (
    MARKERS,
    KeyTerm,
    content_set,
    display_terms,
    key_terms,
    passage_terms,
    sentence_terms,
)
from bot.answering.types import Answer, Citation, Refusal, Turn
from vectorstore.embeddings import Embedder, rescaled, similarity_range
from vectorstore.legalref import missing_reference
from vectorstore.lexical import DerivedIndexes
from vectorstore.model import Passage
from vectorstore.retrieval import HybridSearcher, SearchResult
from vectorstore.text import (
    DOCUMENT_TYPES,
    find_document_numbers,
    find_partial_references,
    fold,
    split_sentences,
)
from vectorstore.tokenize import (
    content_terms,
    stem,
    tokenize,
)

# --- what the question is about -------------------------------------------------------------

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE_RE = re.compile(
    rf"\b(\d{{1,2}}(st|nd|rd|th)?\s+(of\s+)?({_MONTHS})\b|({_MONTHS})\s+\d{{1,2}}(st|nd|rd|th)?\b"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-](19|20)\d\d|(19|20)\d\d-\d\d(-\d\d)?"
    rf"|ngay\s+\d{{1,2}}|thang\s+\d{{1,2}}|nam\s+(19|20)\d\d|(in|since|from|of)\s+(19|20)\d\d"
    rf"|\b(19|20)\d\d\b"
    # A time named without a date answers "when" as well: "during the summer holiday".
    rf"|\b(spring|summer|autumn|winter|quarter|holidays?|quy\s+[ivx1-4]+|mua\s+(xuan|he|thu|mua)"
    rf"|dip\s+tet|cuoi\s+nam|dau\s+nam|giua\s+nam)\b)",
    re.IGNORECASE,
)
# The words of a place's unit, as key terms: "Lam Bong village" shares a place, not a topic.
_UNIT_TERMS = frozenset(content_terms(
    "village commune district province ward hamlet city town xã thôn huyện tỉnh phường làng"
))
_SOURCE_NOTE_RE = re.compile(r"^\s*(sources?|nguồn|nguon)\s*:", re.IGNORECASE)
_NAME_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZĐ][\w’']+(?:\s+[A-ZĐ][\w’']+)+")


VIETNAMESE_DENSE_FACTOR = 0.5  # dense ranking's share for Vietnamese questions
TYPICAL_SENTENCE_TERMS = 20  # content terms in a sentence of ordinary length
RESCUE_CANDIDATES = 12  # sentences embedded for the second look before a refusal
AGREEING_CANDIDATES = 4  # the best sentences in the asker's language that must agree on one
# A sentence in the asker's language is preferred to one in the other language saying as much.
SAME_LANGUAGE_BONUS = 0.05

# --- candidates ----------------------------------------------------------------------------


@dataclass
class _Sentence:
    passage: Passage
    rank: int
    start: int
    end: int
    header: bool
    score: float = 0.0
    lexical: float = 0.0
    semantic: float = 0.0
    terms: frozenset[str] = frozenset()

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


class ExtractiveAnswerer:
    """Answers with 1-3 verified verbatim sentences, or refuses with a helpful message."""

    def __init__(
        self,
        searcher: HybridSearcher,
        embedder: Embedder,
        indexes: Callable[[], DerivedIndexes],
        settings: AnswerSettings,
    ) -> None:
        self.searcher = searcher
        self.embedder = embedder
        self.indexes = indexes
        self.settings = settings

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer ``question``; ``history`` (oldest first) lets follow-ups borrow a subject."""
        started = time.perf_counter()
        asked = read_question(question)
        question, language = asked.text, asked.language
        reply = _Reply(question, language, started)

        if not any(ch.isalnum() for ch in question):
            return reply.refuse("empty", messages.text(language, "empty"))
        if len(question) > self.settings.max_question_chars:
            return reply.refuse(
                "too_long",
                messages.text(language, "too_long", length=len(question),
                              limit=self.settings.max_question_chars),
            )
        if aimed_at_bot(question):
            return reply.refuse("instructions", messages.text(language, "instructions"))
        talk = small_talk(question)
        if talk is not None:
            return reply.refuse("small_talk", messages.text(language, f"small_{talk}"))

        indexes = self.indexes()
        if not indexes.catalog:
            return reply.refuse("no_documents", messages.text(language, "no_documents"))
        query, subject = resolve_follow_up(asked.query, history)
        reply.subject = subject
        if query != asked.query and not query.endswith(asked.query):
            # "xã đó" now reads as the place named before: its checks are the question's own.
            asked = read_question(query)
            question = asked.text

        unknown = self._unknown_references(query, indexes)
        if unknown:
            names = ", ".join(unknown)
            refusal = messages.text(language, "unknown_document", names=names)
            return reply.refuse("unknown_document", f"{refusal} {self._suggest(language, [])}")
        missing = missing_reference(query, indexes.catalog, indexes.lexical.document_frequency)
        if missing is not None:
            return reply.refuse("unknown_article", messages.unknown_article(language, missing))

        stated = validity.answer_validity_question(
            query, language, indexes, self.searcher.store, self.settings.as_of
        )
        if stated is not None:  # "is Decree 88/2019 still in force?": from the relations
            reply.citations, reply.text = stated
            return reply.finish(refused=False)

        english_gloss = gloss(query) if language == "vi" else ""
        # An English question meets Vietnamese documents through the glossary read backwards.
        vietnamese = (
            vietnamese_matches(query) if language == "en" and "vi" in indexes.languages else []
        )
        # Only a Vietnamese question's gloss is searched: glossed back, an English question's
        # common words ("xã", "thôn") would lift Vietnamese passages over the English ones that
        # answer it (measured: hit@1 0.70 -> 0.66 on the existing set). Its key terms still
        # find their Vietnamese phrases in the sentences.
        # An English-only model reads a Vietnamese question through its gloss, as a weak voice.
        english_only = language == "vi" and not self.embedder.multilingual
        result = self.searcher.search(
            query,
            dense_text=f"{query} ({english_gloss})" if english_gloss and english_only else None,
            extra_tokens=tokenize(english_gloss, "en") if english_gloss else (),
            dense_weight=(
                self.searcher.settings.dense_weight * VIETNAMESE_DENSE_FACTOR
                if english_only else None
            ),
            # A multilingual model meets the English passages half-way with the gloss: a
            # Vietnamese question alone ranks them below any Vietnamese passage on its topic.
            renderings={"en": english_gloss} if english_gloss and not english_only else None,
        )
        reply.retrieved = result.passages
        reply.timings["retrieve"] = (time.perf_counter() - started) * 1000
        answered = time.perf_counter()
        context = query[: len(query) - len(asked.query)] if query != asked.query else ""
        outcome = validity.compose_in_force(
            query, result,
            lambda found: self._compose(
                asked, query, context, (english_gloss, vietnamese), found, indexes
            ),
            indexes, self.searcher.store, self.settings.as_of, language,
        )
        reply.timings["answer"] = (time.perf_counter() - answered) * 1000
        if isinstance(outcome, str):
            return reply.refuse(getattr(outcome, "reason", "not_found"), outcome)
        # The cited passages are judged whole: their header names the document's commune.
        considered = [*result.passages, *result.across]
        texts = {p.chunk_id: p.text for p in considered}
        evidence = "\n".join(texts.get(c.chunk_id, c.quote) for c in outcome[0])
        unmet = unmet_presumption(
            question, evidence, language, "\n".join(p.text for p in considered),
            quoted=" ".join(c.quote for c in outcome[0]),
        )
        if unmet is not None:
            return reply.refuse(unmet.reason, f"{unmet.text} {self._suggest(language, [])}")
        reply.citations, reply.text = outcome
        # What the answer turned out to be about is the best subject for a follow-up.
        cited_numbers = find_document_numbers(" ".join(c.quote for c in reply.citations[:1]))
        if cited_numbers and not find_document_numbers(query):
            reply.subject = subject_of(cited_numbers[0].key)
        return reply.finish(refused=False)

    # --- refusal checks -----------------------------------------------------------------

    def _unknown_references(self, query: str, indexes: DerivedIndexes) -> list[str]:
        """Return the document numbers/references in ``query`` that no indexed chunk mentions."""
        lexical = indexes.lexical
        unknown = []
        for number in find_document_numbers(query):
            if lexical.document_frequency(number.key.lower()) == 0:
                unknown.append(f"{number.type_name} {number.key}")
        for reference in find_partial_references(query):
            token = f"ref:{reference.doc_type.lower()}:{reference.number}"
            if lexical.document_frequency(token) == 0:
                unknown.append(f"{DOCUMENT_TYPES[reference.doc_type]} {reference.number}")
        return list(dict.fromkeys(unknown))

    def _suggest(self, language: str, passages: Sequence[Passage]) -> str:
        titles = list(dict.fromkeys(p.title for p in passages if p.title))[:3]
        if not titles:
            return messages.text(language, "suggest_plain")
        return messages.text(language, "suggest", titles="; ".join(f"“{t}”" for t in titles))

    def _not_found(
        self, language: str, terms: Sequence[str], indexes: DerivedIndexes,
        passages: Sequence[Passage],
    ) -> str:
        parts = [messages.text(language, "not_found")]
        if terms:
            parts.append(messages.text(language, "searched", documents=len(indexes.catalog),
                                       terms=", ".join(terms[:8])))
        parts.append(self._suggest(language, passages))
        return " ".join(parts)

    # --- composing ----------------------------------------------------------------------

    def _compose(
        self,
        asked: Question,
        query: str,
        context: str,
        glosses: tuple[str, Sequence[tuple[tuple[str, ...], str]]],
        result: SearchResult,
        indexes: DerivedIndexes,
    ) -> tuple[list[Citation], str] | str:
        # The best passages in each language come too: one in the other language may answer.
        considered = self.settings.passages_considered
        passages = [
            *result.passages[:considered],
            *(p for p in result.passages[considered:] if p.chunk_id in result.leading),
            *result.across,
        ]
        language, intent = asked.language, asked.intent
        shown = display_terms(query)
        if not passages:
            return self._not_found(language, shown, indexes, [])
        english_gloss, vietnamese = glosses
        units = key_terms(query, english_gloss, indexes, context=context, glossed_back=vietnamese)
        total = sum(unit.weight for unit in units)
        if total == 0:
            return self._not_found(language, shown, indexes, passages)
        # Key terms that occur nowhere in the collection: the question is about something else.
        absent = sum(unit.weight for unit in units if unit.absent) / total
        present_terms = passage_terms(passages)
        coverage = sum(unit.weight for unit in units if unit.found_in(present_terms)) / total
        # Similarities are read on the model's own scale: thresholds mean the same for any model.
        best_similarity = max(
            self._similarity(result.dense_similarity.get(p.chunk_id, 0.0), p, language)
            for p in passages
        )
        lexical_support = not (
            absent > self.settings.max_absent
            or coverage < self.settings.min_coverage
            or (best_similarity < self.settings.min_relevance and coverage < 0.75)
        )
        candidates = self._candidates(passages, intent, asked.text)
        if not candidates:
            return self._not_found(language, shown, indexes, passages)
        # A sentence stating another year or another commune than the question's is about
        # something else: it is never quoted for this question.
        kept = [
            c for c in candidates if asked.constraints.conflict(c.text, c.passage.date) is None
        ]
        if intent.wants_number and intent.number_focus != PERCENT:
            # A count belongs to the commune named nearest to it: "Tan Phong's model, under
            # which 96 households …, and the model of a village in Tan Hoa" counts Tan Phong's.
            focus, wanted = intent.number_focus, asked.constraints
            also = intent.focus_translations
            kept = [
                c for c in kept
                if wanted.binds(c.text, counted_number(c.text, focus, also), dated=bool(focus))
            ]
        if not kept:
            return self._conflicting(asked, candidates, passages)
        candidates = kept
        self._score(candidates, units, total, result, intent, asked.text, language)
        # "How many households donated land?" is not answered by how many households there are.
        # A sentence in the other language is held to the deed only where the glossary gives it
        # in that language.
        acted = next((u for u in units if u.label == intent.count_verb), None)
        if acted is not None:
            candidates = [
                c for c in candidates
                if acted.found_in(c.terms) or (c.passage.language != language and not acted.all_of)
            ]
            if not candidates:
                return self._not_found(language, shown, indexes, passages)
        named = {
            stem(fold(word)) for name in names_in(query) for word in name.lower().split()
        } | {u.label for u in units if any(ch.isdigit() for ch in u.label)} | _UNIT_TERMS
        fallback: _Sentence | None = None
        everything = candidates
        # A sentence of a document that never names the place or person asked about is refused
        # as about another; for an answer of a kind a sentence is checked for holding (a count, a
        # date), the documents that do name it are looked at again before that refusal.
        retrieved = [*result.passages, *result.across]
        naming = (
            _naming_documents(asked.text, retrieved, retrieved) if intent.wants_checkable else None
        )
        if lexical_support:
            best = max(candidates, key=lambda sentence: sentence.score)
            # Sharing only the question's names or numbers ("Ha Giang") is sharing no topic.
            topical = any(
                u.found_in(best.terms) and u.label not in named for u in units
            )
            if (best.lexical >= 0.2 and topical) or best.header:
                if naming is None or best.passage.doc_id in naming:
                    return self._presumed(
                        asked, self._select(candidates, best, intent, units), result
                    )
                fallback = best
        # Narrowed to the documents naming what is asked, one sentence of the kind asked in the
        # asker's language may stand alone for the agreement below: the name already agrees.
        named_only = False
        if naming is not None:
            within = [c for c in candidates if c.passage.doc_id in naming]
            named_only = bool(within) and len(within) < len(candidates)
            candidates = within or candidates
        # Before refusing, a second look: a paraphrase shares few words with its answer but
        # means the same, and a sentence in the other language shares none. For a Vietnamese
        # question only sentences in the other language get it on their meaning alone: the
        # English-only model cannot judge Vietnamese, and multilingual-e5-small finds any two
        # Vietnamese sentences on mass mobilisation close (measured: it answered "what role does
        # the local military play?" with one on Party committees' duties).
        rescue = self.settings.semantic_rescue
        looking = bool(rescue) and absent <= 0.6
        second_look = [
            c for c in candidates
            if language == "en" or (self.embedder.multilingual and c.passage.language != language)
        ]
        if looking and second_look:
            self._rerank(
                sorted(second_look, key=lambda c: -c.score)[:RESCUE_CANDIDATES], result, language
            )
        # A Vietnamese sentence in its own language needs the words and the meaning to agree on
        # it, and must hold the kind of answer asked (a count, a date), which no wording passes.
        agreed = (
            self._agreed(candidates, units, named, result, language, alone=named_only)
            if looking and intent.wants_checkable else None
        )
        if agreed is not None and agreed.semantic > max(
            (c.semantic for c in second_look), default=0.0
        ):
            return self._presumed(asked, self._select(candidates, agreed, intent, units), result)
        if looking and second_look and max(c.semantic for c in second_look) >= rescue:
            best = max(second_look, key=lambda sentence: sentence.score)
            if best.passage.language != language or any(
                u.found_in(best.terms) and u.label not in named for u in units
            ):
                return self._presumed(
                    asked, self._select(second_look, best, intent, units), result
                )
        if fallback is not None:
            return self._presumed(asked, self._select(everything, fallback, intent, units), result)
        return self._not_found(language, shown, indexes, passages)

    def _agreed(
        self,
        candidates: Sequence[_Sentence],
        units: Sequence[KeyTerm],
        named: set[str],
        result: SearchResult,
        language: str,
        alone: bool = False,
    ) -> _Sentence | None:
        """Return the best sentence in the asker's language when its meaning agrees, or None.

        A Vietnamese paraphrase shares too few words with its answer for the lexical score alone,
        and the model finds any two Vietnamese sentences on the topic close; but when the sentence
        that shares the most words is also, of the best few, the one closest in meaning, the two
        readings agree on it.
        """
        if language != "vi" or not self.embedder.multilingual:
            return None
        own = sorted(
            (c for c in candidates if c.passage.language == language), key=lambda c: -c.score
        )[:AGREEING_CANDIDATES]
        if len(own) < (1 if alone else 2):  # ``alone``: narrowed to the documents naming it
            return None
        lead = own[0]
        if not any(u.found_in(lead.terms) and u.label not in named for u in units):
            return None
        self._rerank(own, result, language)
        closest = max(own, key=lambda c: c.semantic)
        return lead if closest is lead and lead.semantic >= self.settings.semantic_rescue else None

    def _presumed(
        self, asked: Question, chosen: Sequence[_Sentence], result: SearchResult
    ) -> tuple[list[Citation], str]:
        """Cite the chosen sentences of the documents that name whom or where the question asks.

        A commune named by one document does not make another document's figure its own: the
        quotes of each document are judged on their passages, headers included.
        """
        naming = _naming_documents(
            asked.text, [s.passage for s in chosen], [*result.passages, *result.across]
        )
        return _cite([s for s in chosen if s.passage.doc_id in naming] or chosen)

    def _candidates(
        self, passages: Sequence[Passage], intent: QuestionIntent, question: str
    ) -> list[_Sentence]:
        candidates = []
        for rank, passage in enumerate(passages):
            if aimed_at_bot(passage.text):
                continue  # a passage ordering the bot about plants claims; none is quoted
            body_offset = passage.body_offset
            if body_offset and intent.wants_metadata:
                # The header's first line is the title; the line after it holds date, author and
                # source, which answer "who wrote / when was it published / where is it from".
                header_lines = _lines(passage.text, 0, body_offset)
                for line_start, line_end in header_lines[1:]:
                    candidates.append(_Sentence(passage, rank, line_start, line_end, header=True))
            body = passage.text[body_offset:]
            for start, end in split_sentences(body):
                if end - start < 12 or _is_heading(body[start:end]):
                    continue
                if _is_caption(body, start, end):
                    continue
                candidates.append(
                    _Sentence(passage, rank, body_offset + start, body_offset + end, header=False)
                )
        # The kinds of answer asked for: a sentence gives one of them ("what will it cost, and
        # when will the work start?" is answered by an amount and by a time).
        kinds: list[Callable[[str], bool]] = []
        if intent.wants_date or intent.wants_published:
            kinds.append(lambda text: bool(_DATE_RE.search(fold(text))))
        if intent.wants_number and not intent.wants_money:
            kinds.append(lambda text: has_focused_number(
                text, intent.number_focus, intent.focus_translations))
        if intent.wants_money:
            kinds.append(lambda text: bool(MONEY_RE.search(fold(text)))
                         and intent.money_kinds <= money_kinds(text))
        if kinds:
            candidates = [c for c in candidates if any(kind(c.text) for kind in kinds)]
        if intent.wants_deadline:  # "hạn chót … là khi nào" is answered by "trước ngày …"
            candidates = [c for c in candidates if DEADLINE_RE.search(fold(c.text))]
        if intent.wants_unit:
            kind = intent.wants_unit
            candidates = [c for c in candidates if any(s.kind == kind for s in scopes_in(c.text))]
        if intent.wants_title:  # a name the question does not already give
            asked = Spelled.of(question)
            candidates = [c for c in candidates if gives_new_name(c.text, asked)]
        if intent.wants_role:  # a person named as that role, not one beside it
            candidates = [
                c for c in candidates
                if names_holder(c.text, intent.wants_role, intent.role_body)
            ]
        return candidates

    def _conflicting(
        self, asked: Question, candidates: Sequence[_Sentence], passages: Sequence[Passage]
    ) -> Refusal:
        """Refuse a question every candidate of which states another year or unit than it asks."""
        language = asked.language
        wanted = asked.constraints
        reasons = {wanted.conflict(c.text, c.passage.date) for c in candidates}
        if "year" in reasons:
            found = sorted({y for c in candidates for y in years_named(c.text)})
            text = messages.text(language, "other_year", wanted=", ".join(sorted(wanted.years)),
                                 found=", ".join(found[-3:]))
            return Refusal(f"{text} {self._suggest(language, passages)}", "other_year")
        # Another target, period or level than asked; a question naming no unit has no other.
        reason = next((r for r in ("target", "period", "level") if r in reasons), None)
        if reason or not wanted.scopes:
            key = f"other_{reason or 'level'}"
            text = messages.text(language, key)
            return Refusal(f"{text} {self._suggest(language, passages)}", key)
        name = next(s.name for s in wanted.scopes)
        shown = next((n for n in names_in(asked.text) if fold(n).lower() == name), name)
        text = messages.text(language, "other_entity", name=shown)
        return Refusal(f"{text} {self._suggest(language, passages)}", "other_entity")

    def _score(
        self,
        candidates: list[_Sentence],
        units: Sequence[KeyTerm],
        total: float,
        result: SearchResult,
        intent: QuestionIntent,
        question: str,
        language: str,
    ) -> None:
        references = {n.key for n in find_document_numbers(question)}
        scale = similarity_range(self.embedder)
        for candidate in candidates:
            # A header line stands for its document: it is judged with the title above it.
            judged = candidate.passage.text[: candidate.end] if candidate.header else candidate.text
            terms = sentence_terms(judged, candidate.passage.language)
            candidate.terms = terms
            candidate.lexical = sum(u.weight for u in units if u.found_in(terms)) / total
            # A long sentence collects key terms by sheer length; density matters too.
            length = sum(t[0] not in MARKERS for t in terms) / TYPICAL_SENTENCE_TERMS
            density = candidate.lexical / (0.5 + 0.5 * length)
            candidate.lexical = (candidate.lexical + min(density, 1.0)) / 2
            # Ranked on the one scale of the asker's language: read on its own range, a passage in
            # the other language that merely shares the subject would outrank the one answering.
            similarity = rescaled(
                result.dense_similarity.get(candidate.passage.chunk_id, 0.0), scale
            )
            prior = 1.0 / (1.0 + candidate.rank)
            score = 0.6 * candidate.lexical + 0.25 * similarity + 0.15 * prior
            if references and references & {n.key for n in find_document_numbers(candidate.text)}:
                score += 0.15
            if candidate.header:
                label = fold(candidate.text).lower()
                if (
                    (intent.wants_author and ("author:" in label or "tac gia:" in label))
                    or (intent.wants_published and ("date:" in label or "ngay:" in label))
                    or (intent.wants_source and ("source:" in label or "nguon:" in label))
                ):
                    score += 0.3
            else:
                if _SOURCE_NOTE_RE.match(candidate.text) and not intent.wants_source:
                    score -= 0.3
                # A sentence cannot say who wrote or where a document is from unless it names a
                # person or an address.
                if intent.wants_author and not _NAME_RE.search(candidate.text):
                    score -= 0.3
                if intent.wants_source and "http" not in candidate.text:
                    score -= 0.3
            if intent.wants_person and _NAME_RE.search(candidate.text):
                score += 0.05
            if candidate.passage.language == language:
                score += SAME_LANGUAGE_BONUS
            candidate.score = score
        limit = self.settings.rerank_sentences
        if limit:
            self._rerank(sorted(candidates, key=lambda c: -c.score)[:limit], result, language)

    def _rerank(self, candidates: list[_Sentence], result: SearchResult, language: str) -> None:
        """Add the sentence-level embedding similarity to the best candidates' scores."""
        candidates = [c for c in candidates if c.semantic == 0.0]
        if not candidates:
            return
        vectors = self.embedder.embed([c.text for c in candidates])
        for candidate, similarity in zip(candidates, vectors @ result.query_vector, strict=True):
            semantic = self._similarity(float(similarity), candidate.passage, language)
            candidate.semantic = max(semantic, 1e-6)
            candidate.score += 0.35 * candidate.semantic

    def _similarity(self, similarity: float, passage: Passage, language: str) -> float:
        """Return ``similarity`` on the model's scale for the question's and passage's languages."""
        across = passage.language != language
        return rescaled(similarity, similarity_range(self.embedder, across_languages=across))

    def _select(
        self,
        candidates: list[_Sentence],
        best: _Sentence,
        intent: QuestionIntent,
        units: Sequence[KeyTerm],
    ) -> list[_Sentence]:
        """Pick the best sentence, then close runners-up and sentences adding missing key terms."""
        chosen = [best]
        limit = self.settings.max_sentences
        threshold = best.score * (0.75 if intent.wants_list else 0.85)
        if intent.wants_metadata:
            limit = 1
        elif intent.wants_date or intent.wants_number or intent.wants_person:
            limit = min(limit, 2)
        covered = {u.label for u in units if u.found_in(best.terms)}
        for candidate in sorted(candidates, key=lambda s: -s.score):
            if len(chosen) >= limit:
                break
            if candidate is best or any(_redundant(candidate, c) for c in chosen):
                continue
            # A sentence holding a key term the answer still lacks (the second half of a
            # two-part question) is worth a lower score than a mere runner-up.
            adds = {
                u.label for u in units
                if u.label not in covered and u.weight >= 1.0 and u.found_in(candidate.terms)
            }
            if candidate.score >= threshold or (adds and candidate.score >= 0.6 * best.score):
                chosen.append(candidate)
                covered |= adds
        # The best sentence leads; the rest follow grouped per document, in reading order, so
        # citation numbers come in order of use and one document's citations stay together.
        documents = list(dict.fromkeys(c.passage.doc_id for c in chosen))
        return sorted(
            chosen,
            key=lambda c: (
                documents.index(c.passage.doc_id), c is not best, c.passage.position, c.start
            ),
        )


# --- helpers --------------------------------------------------------------------------------


class _Reply:
    """Collects the parts of an :class:`Answer` while a question is worked on."""

    def __init__(self, question: str, language: str, started: float) -> None:
        self.question = question
        self.language = language
        self.started = started
        self.text = ""
        self.citations: list[Citation] = []
        self.retrieved: list[Passage] = []
        self.timings: dict[str, float] = {"retrieve": 0.0, "answer": 0.0}
        self.subject: str | None = None

    def refuse(self, reason: str, text: str) -> Answer:
        self.text = text
        self.citations = []
        return self.finish(refused=True, reason=reason)

    def finish(self, *, refused: bool, reason: str | None = None) -> Answer:
        self.timings["total"] = (time.perf_counter() - self.started) * 1000
        return Answer(
            question=self.question,
            text=self.text,
            refused=refused,
            language=self.language,
            citations=self.citations,
            retrieved=self.retrieved,
            timings_ms={k: round(v, 2) for k, v in self.timings.items()},
            refusal_reason=reason,
            subject=self.subject,
        )


_SENTENCE_END = (".", "!", "?", "…", ":", ";", "”", '"', "’", ")", "»")


def _is_heading(line: str) -> bool:
    """Return whether ``line`` is a heading or caption rather than a sentence making a claim.

    A short line ending in a closing quote with no stop inside it is a title: "Phong trào thi
    đua “Dân vận khéo”".
    """
    line = line.rstrip()
    if len(line) >= 120:
        return False
    if not line.endswith(_SENTENCE_END):
        return True
    inner = line.rstrip("”\"’»)")
    return inner != line and not inner.endswith(_STOPS) and not any(c in line for c in ".:;!?")


_STOPS = (".", "!", "?", "…", ":", ";")


_CAPTION_RE = re.compile(r"\(([^()]{2,60})\)\.?$|^\(?(?:ảnh|anh|photo)\s*:", re.IGNORECASE)
CAPTION_CHARS = 90  # a photo caption is a short line of its own


def _is_caption(body: str, start: int, end: int) -> bool:
    """Return whether ``body[start:end]`` is a photo caption, a short line of its own.

    It opens with "Ảnh:" / "Photo:", or ends with its places in brackets, names apart by dashes:
    "Lam Bong village community house (Bong Khe - Con Cuong)."
    """
    line = body[start:end].strip()
    alone = (start == 0 or body[start - 1] == "\n") and body[end : end + 1] in ("", "\n")
    match = _CAPTION_RE.search(line) if alone and len(line) < CAPTION_CHARS else None
    if match is None:
        return False
    places = match.group(1)
    if places is None:
        return True  # a photo credit
    parts = [part.split() for part in places.split(" - ")]
    return len(parts) >= 2 and all(p and all(w[0].isupper() for w in p) for p in parts)


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    position = start
    for line in text[start:end].split("\n"):
        if line.strip():
            spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _redundant(a: _Sentence, b: _Sentence) -> bool:
    if a.passage.chunk_id == b.passage.chunk_id and not (a.end <= b.start or b.end <= a.start):
        return True
    terms_a, terms_b = content_set(a.text), content_set(b.text)
    if not terms_a or not terms_b:
        return False
    # Jaccard, not containment: a short precise sentence whose words also occur in a long one
    # still says something the long one does not say as plainly.
    return len(terms_a & terms_b) / len(terms_a | terms_b) > 0.6


def _naming_documents(
    question: str, passages: Sequence[Passage], retrieved: Sequence[Passage]
) -> set[str]:
    """Return the documents of ``passages`` that name every name of ``question`` in them.

    A name that none of the ``retrieved`` passages spells as the question does (written in the
    other language) is held against none of them.
    """
    everything = "\n".join(p.text for p in retrieved)
    known = Spelled.of(everything)
    texts: dict[str, dict[str, str]] = {}
    for passage in passages:
        texts.setdefault(passage.doc_id, {})[passage.chunk_id] = passage.text
    return {
        doc_id for doc_id, found in texts.items()
        if unnamed(question, Spelled.of("\n".join(found.values())), known, everything) is None
    }


def _cite(chosen: Sequence[_Sentence]) -> tuple[list[Citation], str]:
    """Number the chosen sentences' citations in order of use and compose the answer text."""
    citations: list[Citation] = []
    parts: list[str] = []
    for sentence in chosen:
        quote = sentence.text.strip()
        if not quote or quote not in sentence.passage.text:
            continue  # never show a quote that is not verbatim in its chunk
        passage = sentence.passage
        citation = Citation(
            n=len(citations) + 1,
            chunk_id=passage.chunk_id,
            doc_id=passage.doc_id,
            source=passage.source,
            title=passage.title,
            quote=quote,
            score=round(sentence.score, 4),
            page=passage.page,
            section=passage.section_at(sentence.start),
            date=passage.date,
            url=passage.url,
            ocr=passage.ocr,
        )
        citations.append(citation)
        parts.append(f"{quote} [{citation.n}]")
    return citations, " ".join(parts)


__all__ = ["ExtractiveAnswerer", "resolve_follow_up"]
