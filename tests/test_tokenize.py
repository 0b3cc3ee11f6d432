"""Tokenisation for lexical search: folding, Vietnamese bigrams, whole document numbers."""

from __future__ import annotations

from vectorstore.lexical import LexicalIndex
from vectorstore.tokenize import (
    content_terms,
    is_stopword,
    shared_tokens,
    spellings,
    tokenize,
    toned,
)


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


def test_shared_tokens_are_names_and_numbers() -> None:
    shared = shared_tokens("How many dialogues did the communes of Hoa Son hold in 2024?")
    # Paired as in a Vietnamese text too: "Hoa Son" is one name there, not two words.
    assert set(shared) == {"2024", "hoa", "son", "hoa_son"}
    vietnamese = shared_tokens("Phường Đông Tiến hứa nạo vét cống ở ngõ 35 phố Lê Lợi khi nào?")
    assert {"dong_tien", "le_loi", "35"} <= set(vietnamese)
    assert "nao" not in vietnamese and "cong" not in vietnamese  # words, not names
    decree = shared_tokens("Nghị định 06/2014/NĐ-CP quy định gì?")
    assert {"06/2014/nd-cp", "ref:nd:6"} <= set(decree)
    # Typed in lower case, a name cannot be told from a word: every word may be one.
    typed = "bi thu huyen uy hoa son la ai"
    assert shared_tokens(typed) == tokenize(typed)


def test_a_passage_in_another_language_is_matched_by_names_and_numbers_only() -> None:
    texts = {
        "vi": "Người dân xã Tân Hòa đồng lòng hiến đất làm đường trong năm 2024.",
        "en": "Residents of a district gave land for roads.",
    }
    index = LexicalIndex.build(
        list(texts), [tokenize(t, lang) for lang, t in texts.items()], list(texts)
    )
    question = "How long did the Tan Hoa residents take?"  # "long" is folded "lòng"
    tokens = tokenize(question, "en")
    assert "long" in tokens and "vi" in dict(index.search(tokens, 5))  # the old accident
    plain = "How long did residents take?"
    found = index.search(tokenize(plain, "en"), 5, language="en", shared=shared_tokens(plain))
    assert [chunk_id for chunk_id, _ in found] == ["en"]
    found = dict(index.search(tokens, 5, language="en", shared=shared_tokens(question)))
    assert set(found) == {"vi", "en"}  # "Tan Hoa" is a name; "residents" an English word


def test_a_word_written_with_tones_is_found_only_with_those_tones() -> None:
    from bot.answering.terms import key_terms, sentence_terms
    from vectorstore.lexical import DerivedIndexes

    texts = ["Chi bộ thôn họp bàn việc làm đường.", "Nhiều hộ đã từ bỏ tập tục lạc hậu.",
             "Tổ hòa giải ở cơ sở hoạt động tốt."]
    lexical = LexicalIndex.build(list("abc"), [tokenize(t, "vi") for t in texts], ["vi"] * 3)
    indexes = DerivedIndexes(lexical, [], "revision")

    def found(question: str, label: str) -> list[bool]:
        unit = next(u for u in key_terms(question, "", indexes) if u.label == label)
        return [unit.found_in(sentence_terms(text, "vi")) for text in texts]

    assert found("Đồng bào đã từ bỏ những tập tục nào?", "bo") == [False, True, False]
    # Typed on a phone without diacritics, "bo" may be any of them.
    assert found("dong bao da tu bo nhung tap tuc nao", "bo") == [True, True, False]
    # "hoà" and "hòa" are one syllable with its tone written on either vowel.
    assert spellings("hoà") == ["hoà", "hòa"] and toned("hoà") == toned("Hòa")
    assert found("Tổ hoà giải có hoạt động không?", "hoa") == [False, False, True]
    # A word the documents never write with those tones is absent, not matched folded.
    def absent(question: str) -> bool:
        return next(u for u in key_terms(question, "", indexes) if u.label == "ban").absent

    assert absent("Bản kế hoạch ở đâu?") and not absent("ban ke hoach o dau")  # "bàn" only


def test_a_toned_name_meets_an_english_text_that_writes_it_without_diacritics() -> None:
    from bot.answering.terms import key_terms, sentence_terms
    from vectorstore.lexical import DerivedIndexes

    texts = ["The district of Dak Tram has 146 prestigious people.",
             "Huyện Đăk Trà có nhiều người có uy tín."]
    lexical = LexicalIndex.build(["en", "vi"], [tokenize(texts[0], "en"), tokenize(texts[1], "vi")],
                                 ["en", "vi"])
    indexes = DerivedIndexes(lexical, [], "revision")
    units = {u.label: u for u in key_terms("Huyện Đắk Trâm có bao nhiêu người?", "", indexes)}
    assert not units["dak"].absent and not units["tram"].absent
    english, vietnamese = sentence_terms(texts[0], "en"), sentence_terms(texts[1], "vi")
    assert units["tram"].found_in(english) and units["dak"].found_in(english)
    # In Vietnamese text the tones still tell two names apart: "Đăk Trà" is not "Đắk Trâm".
    assert not units["tram"].found_in(vietnamese) and not units["dak"].found_in(vietnamese)
    # A word that is not part of a name is no name: "trâm" alone does not meet "Tram".
    plain = {u.label: u for u in key_terms("Cây trâm ở đâu?", "", indexes)}
    assert not plain["tram"].found_in(english)


def test_an_english_name_meets_a_vietnamese_name_whose_word_is_a_function_word() -> None:
    from bot.answering.terms import key_terms, sentence_terms
    from vectorstore.lexical import DerivedIndexes

    texts = ["Con đường dẫn vào thôn Đồng Mới nay đã thông thoáng.", "Dân làng mới làm đường.",
             "Residents of Dong Moi village gave land for the road."]
    languages = ["vi", "vi", "en"]
    lexical = LexicalIndex.build(
        ["a", "b", "c"], [tokenize(t, lang) for t, lang in zip(texts, languages, strict=True)],
        languages,
    )
    indexes = DerivedIndexes(lexical, [], "revision")
    units = {u.label: u for u in key_terms("How wide is the road into Dong Moi village?", "",
                                           indexes)}
    # "mới" (new, just) is a function word of Vietnamese, but in "Đồng Mới" it is a name's.
    assert units["moi"].found_in(sentence_terms(texts[0], "vi"))
    assert not units["moi"].found_in(sentence_terms(texts[1], "vi"))
    # A Vietnamese question's toned word is matched by its tones, not by a name's folded word.
    toned = {u.label: u for u in key_terms("Thôn Đông Mơi ở đâu?", "", indexes)}
    assert not toned["moi"].found_in(sentence_terms(texts[0], "vi"))


def test_a_function_word_typed_without_diacritics_is_no_key_term() -> None:
    from bot.answering.terms import key_terms
    from vectorstore.lexical import DerivedIndexes

    texts = ["Hội Chữ thập đỏ nấu cháo vào sáng thứ Tư.", "Vá đường và lấp ổ gà."]
    lexical = LexicalIndex.build(["a", "b"], [tokenize(t, "vi") for t in texts], ["vi", "vi"])
    indexes = DerivedIndexes(lexical, [], "revision")
    labels = {u.label for u in key_terms("to chuc nao nau chao va vao hom nao", "", indexes)}
    # "vao" is "vào", indexed by no document; "va" may be "vá" (patch), which one is.
    assert "vao" not in labels and {"va", "chao", "nau"} <= labels


def test_two_english_glosses_of_one_vietnamese_word_are_one_key_term() -> None:
    from bot.answering.glossary import ENGLISH_SYNONYMS
    from bot.answering.terms import key_terms, sentence_terms
    from vectorstore.lexical import DerivedIndexes

    texts = ["The commune closed the old landfill and moved to a new one.", "A dump truck."]
    lexical = LexicalIndex.build(["a", "b"], [tokenize(t, "en") for t in texts], ["en", "en"])
    indexes = DerivedIndexes(lexical, [], "revision")
    dump = next(u for u in key_terms("Where did the dump move?", "", indexes) if u.label == "dump")
    assert dump.found_in(sentence_terms(texts[0], "en"))  # "bãi rác": landfill/dump
    # Words of an entry that name two things, or whose stem means more, are not synonyms.
    assert "sea" not in ENGLISH_SYNONYMS and "author" not in ENGLISH_SYNONYMS


def test_bm25_ranks_the_same_whatever_the_order_of_the_tokens() -> None:
    # Two chunks that tie, and token sets in two orders: one ranking, ties in index order.
    texts = ["land donation road", "road land donation", "a road", "land of the commune"]
    index = LexicalIndex.build([f"c{i}" for i in range(4)], [tokenize(t, "en") for t in texts],
                               ["en"] * 4)
    tokens = tokenize("land donation road", "en")
    first = index.search(tokens, 4)
    assert first == index.search(list(reversed(tokens)), 4)
    assert [chunk_id for chunk_id, _ in first[:2]] == ["c0", "c1"]


def test_an_abbreviated_body_meets_its_words_written_out() -> None:
    from bot.answering.terms import key_terms, sentence_terms
    from vectorstore.lexical import DerivedIndexes

    texts = ["Chủ tịch Ủy ban nhân dân xã Đinh Công Tráng tiếp 63 lượt công dân.",
             "HĐND xã họp kỳ thứ 7 vào tháng 6."]
    lexical = LexicalIndex.build(["a", "b"], [tokenize(t, "vi") for t in texts], ["vi", "vi"])
    assert lexical.search(tokenize("ubnd xa", "vi"), 2)[0][0] == "a"
    assert lexical.search(tokenize("Hội đồng nhân dân xã họp khi nào?", "vi"), 2)[0][0] == "b"
    indexes = DerivedIndexes(lexical, [], "revision")
    units = key_terms("Chủ tịch UBND xã là ai?", "", indexes)
    assert not any(u.absent for u in units)
    assert all(u.found_in(sentence_terms(texts[0], "vi")) for u in units)
    # Inside a document number the letters are no abbreviation.
    assert "ủy" not in tokenize("Quyết định số 215/QĐ-UBND ngày 14/02/2025", "vi")


def test_report_words_said_another_way_count_as_the_same_key_term() -> None:
    from bot.answering.terms import _SYNONYMS
    from vectorstore.tokenize import stem

    for word, other in (("stipend", "allowance"), ("grievances", "complaints"),
                        ("dwellings", "houses"), ("settled", "resolved")):
        assert stem(other) in _SYNONYMS[stem(word)], word
    assert stem("schools") not in _SYNONYMS[stem("dwellings")]
