"""Diacritics put back into Vietnamese typed without them, from the indexed documents' own words.

multilingual-e5-small reads "xa tan hoa co bao nhieu mo hinh dan van kheo" far worse than the same
words with their diacritics, while BM25 folds both sides and does not care. So the dense query of a
question typed without diacritics is the question with them restored. Each word takes the accented
form the documents most often give it after the word before it: a bigram model over the indexed
text, read by Viterbi over the few forms each folded word has. A word the documents never write
stays as typed, so nothing outside the collection's vocabulary is guessed.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from vectorstore.text import detect_language, fold, nfc

_WORD = re.compile(r"\w+", re.UNICODE)
FORMS_PER_WORD = 4  # accented forms kept for one folded word ("ban" -> bản, bạn, bàn, bán)
MAX_PAIRS = 400_000  # word pairs kept, most frequent first: bounds memory on large collections
_SMOOTHING = 5.0  # how far a pair never seen falls back on the word's own frequency
# Documents state; questions ask. The words of asking are rare in the documents, so they are
# counted as if each phrase had been read this many times.
QUESTION_PHRASES = (
    "bao nhiêu", "là gì", "là ai", "vì sao", "tại sao", "như thế nào", "thế nào", "khi nào",
    "bao giờ", "ở đâu", "những gì", "có phải", "hay không", "được không", "mấy", "nào",
    "những ai", "gồm những", "ra sao", "được hưởng", "có được", "phải làm gì", "quy định gì",
)
QUESTION_WEIGHT = 20


_QUESTION_TEXTS = [phrase for phrase in QUESTION_PHRASES for _ in range(QUESTION_WEIGHT)]


class Accents:
    """Folded word -> its accented forms with counts, and counts of accented word pairs."""

    def __init__(self, forms: dict[str, dict[str, int]], pairs: dict[str, int]) -> None:
        self.forms = forms
        self.pairs = pairs
        self._counts = {form: n for variants in forms.values() for form, n in variants.items()}
        self._total = max(sum(self._counts.values()), 1)

    @classmethod
    def build(cls, texts: Iterable[str]) -> Accents:
        """Count the words and word pairs of ``texts``; only words with accented forms are kept."""
        counts: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        for text in itertools.chain(_QUESTION_TEXTS, texts):
            words = _WORD.findall(nfc(text).lower())
            counts.update(words)
            pairs.update(f"{a} {b}" for a, b in itertools.pairwise(words))
        groups: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for word, count in counts.items():
            groups[fold(word)][word] = count
        # A folded word matters only when the documents write it with diacritics at least once.
        forms = {
            folded: dict(group.most_common(FORMS_PER_WORD))
            for folded, group in groups.items()
            if any(word != folded for word in group)
        }
        known = {form for group in forms.values() for form in group}
        kept = Counter(
            {pair: n for pair, n in pairs.items() if not known.isdisjoint(pair.split(" "))}
        )
        return cls(forms, dict(kept.most_common(MAX_PAIRS)))

    def restore(self, text: str) -> str:
        """Return ``text`` with the diacritics the documents give its words; case is kept."""
        matches = list(_WORD.finditer(text))
        if not matches or not self.forms:
            return text
        options = [self._options(m.group().lower()) for m in matches]
        chosen = self._best_path(options)
        parts, position = [], 0
        for match, form in zip(matches, chosen, strict=True):
            typed = match.group()
            parts.append(text[position : match.start()])
            parts.append(form.capitalize() if typed[:1].isupper() else form)
            position = match.end()
        parts.append(text[position:])
        return "".join(parts)

    def _options(self, word: str) -> list[str]:
        variants = self.forms.get(word) if word.isascii() else None
        return list(variants) if variants else [word]

    def _log_probability(self, previous: str | None, word: str) -> float:
        own = (self._counts.get(word, 0) + 0.5) / self._total
        if previous is None:
            return math.log(own)
        pair = self.pairs.get(f"{previous} {word}", 0)
        before = self._counts.get(previous, 0)
        return math.log((pair + _SMOOTHING * own) / (before + _SMOOTHING))

    def _best_path(self, options: list[list[str]]) -> list[str]:
        """Viterbi over the forms of each word: the most probable sentence under the pair model."""
        scores = {form: self._log_probability(None, form) for form in options[0]}
        back: list[dict[str, str]] = []
        for forms in options[1:]:
            step: dict[str, float] = {}
            pointers: dict[str, str] = {}
            for form in forms:
                paths = {p: scores[p] + self._log_probability(p, form) for p in scores}
                pointers[form] = max(paths, key=lambda prior: paths[prior])
                step[form] = paths[pointers[form]]
            scores, back = step, [*back, pointers]
        form = max(scores, key=lambda f: scores[f])
        path = [form]
        for pointers in reversed(back):
            form = pointers[form]
            path.append(form)
        return path[::-1]

    def to_dict(self) -> dict[str, Any]:
        """Return the tables as JSON-ready data."""
        return {"forms": self.forms, "pairs": self.pairs}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Accents:
        """Read tables written by :meth:`to_dict`."""
        return cls(dict(data.get("forms", {})), dict(data.get("pairs", {})))


def typed_without_diacritics(text: str) -> bool:
    """Return whether ``text`` is Vietnamese in which not one letter carries a diacritic."""
    return text.isascii() and detect_language(text) == "vi"


__all__ = ["Accents", "typed_without_diacritics"]
