"""Tokenisation for lexical search: folding, Vietnamese bigrams, whole document numbers."""

from __future__ import annotations

from vectorstore.tokenize import content_terms, is_stopword, tokenize


def test_vietnamese_is_indexed_with_and_without_diacritics() -> None:
    tokens = tokenize("Nghị quyết về công tác dân vận của Đảng")
    assert {"nghị", "nghi", "quyết", "quyet", "dân", "dan", "vận", "van", "đảng", "dang"} <= set(
        tokens
    )
    assert "dan_van" in tokens and "nghi_quyet" in tokens


def test_folded_question_meets_the_accented_text() -> None:
    accented = set(tokenize("Nghị quyết số 25-NQ/TW về công tác dân vận"))
    folded = set(tokenize("nghi quyet 25 ve cong tac dan van"))
    assert {"nghi", "quyet", "cong", "tac", "dan", "van", "dan_van", "ref:nq:25"} <= (
        accented & folded
    )


def test_document_numbers_stay_whole_and_meet_partial_references() -> None:
    tokens = tokenize("Decree No.06/2014/NĐ-CP and Resolution 25-NQ/TW", "en")
    assert "06/2014/nd-cp" in tokens and "25-nq/tw" in tokens
    assert "ref:nd:6" in tokens and "ref:nq:25" in tokens
    assert "ref:nq:25" in tokenize("What does Resolution 25 say?", "en")
    assert "nq" not in tokens and "cp" not in tokens  # the number is not split into pieces


def test_english_inflections_are_conflated() -> None:
    assert content_terms("issued resolutions") == content_terms("issue resolution")


def test_ambiguous_folded_words_are_not_dropped() -> None:
    # "vận" (mobilization) and "vẫn" (still) both fold to "van"; only the accented "vẫn" is noise.
    assert is_stopword("vẫn") and not is_stopword("vận") and not is_stopword("van")
    assert not is_stopword("đảng") and is_stopword("đang")


def test_british_and_american_spellings_meet() -> None:
    from vectorstore.tokenize import content_terms

    british = "skilful mass mobilisation honoured neighbourhood centres defence programme"
    american = "skillful mass mobilization honored neighborhood centers defense program"
    assert content_terms(british) == content_terms(american)
    # Words that only look British keep their own stems: "four hours" is not "for ho".
    assert content_terms("four hours") == ["four", "hour"]
