"""What a question presumes (a year, a number, a named place, an event) must be in the evidence."""

from __future__ import annotations

from bot.answering.constraints import (
    Constraints,
    Spelled,
    asks_done,
    gives_new_name,
    names_in,
    numbers_named,
    scopes_in,
    typed_names,
    unmet_presumption,
    unnamed,
    years_named,
)
from bot.answering.counts import counted_number

REPORT_2024 = (
    "Báo cáo công tác dân vận năm 2024 của Đảng ủy xã Tân Hòa\n"
    "Năm 2024, xã vận động xây dựng, sửa chữa 9 nhà Đại đoàn kết cho hộ nghèo."
)
NEIGHBOUR = "Tan Phong commune's “Donating land to open roads” model: 96 households donated land."


def test_years_inside_document_numbers_are_not_years_asked_for() -> None:
    assert years_named("Nghị định 06/2014/NĐ-CP năm 2015 quy định gì?") == {"2015"}
    assert years_named("What did Decree 06/2014/ND-CP say in 2016?") == {"2016"}


def test_a_year_the_evidence_does_not_cover_is_refused_and_named() -> None:
    for question in ("Năm 2022 xã Tân Hòa sửa được bao nhiêu nhà?",
                     "nam 2022 xa tan hoa sua duoc bao nhieu nha"):
        unmet = unmet_presumption(question, REPORT_2024, "vi")
        assert unmet is not None and unmet.reason == "other_year"
        assert "2024" in unmet.text and "2022" in unmet.text
    assert unmet_presumption("Năm 2024 xã Tân Hòa sửa được bao nhiêu nhà?", REPORT_2024,
                             "vi") is None


def test_a_named_place_the_evidence_is_not_about_is_refused() -> None:
    question = "How many households donated land for roads in Tan Hoa commune?"
    unmet = unmet_presumption(question, NEIGHBOUR, "en", retrieved=REPORT_2024 + NEIGHBOUR)
    assert unmet is not None and unmet.reason == "other_entity" and "Tan Hoa" in unmet.text
    # A place no retrieved passage names in any spelling is one the documents say nothing about.
    unknown = unmet_presumption("Which model did Xã Đông Sơn build?", NEIGHBOUR, "en",
                                retrieved=NEIGHBOUR)
    assert unknown is not None and unknown.reason == "other_entity" and "Đông Sơn" in unknown.text
    # A name written without diacritics in the other language meets the question's.
    assert unmet_presumption("Which model did Xã Tân Phong build?", NEIGHBOUR, "en",
                             retrieved=NEIGHBOUR) is None
    assert unmet_presumption("How many households donated land in Tan Phong commune?",
                             NEIGHBOUR, "en", retrieved=NEIGHBOUR) is None


def test_a_place_written_as_one_word_elsewhere_is_still_the_place_asked_about() -> None:
    weather = "Năm 2023, thời tiết diễn biến phức tạp, mưa lớn gây sạt lở 3 tuyến đường."
    hanoi = "On the morning of December 30, in Hanoi, the conference reviewed the programme."
    unmet = unmet_presumption("Thời tiết Hà Nội ngày mai thế nào?", weather, "vi",
                              retrieved=weather + "\n" + hanoi)
    assert unmet is not None and unmet.reason == "other_entity" and "Hà Nội" in unmet.text
    # Evidence that spells it as one word is about it.
    assert unmet_presumption("Hội nghị ở Hà Nội xem xét gì?", hanoi, "vi", retrieved=hanoi) is None


def test_a_presumed_repeal_that_no_evidence_mentions_is_refused() -> None:
    for question, language in (
        ("Why did the National Assembly repeal the Law on Grassroots Democracy?", "en"),
        ("Vì sao Chỉ thị 07-CT/HU bị bãi bỏ?", "vi"),
        ("vi sao chi thi 07-ct/hu bi bai bo", "vi"),
        ("Why was the dialogue in Dong Tien ward postponed?", "en"),
        ("Xã Tân Hòa sáp nhập với xã nào?", "vi"),
        ("Who was disciplined after the land clearance in Tan Phong?", "en"),
        ("Why did Tan Hoa stop the road works halfway?", "en"),
        ("Vì sao xã Tân Hòa tạm dừng làm đường?", "vi"),
    ):
        unmet = unmet_presumption(question, REPORT_2024, language)
        assert unmet is not None and unmet.reason == "unsupported_premise"
    # Words that only look like a halt: a goal, "không ngừng" (constantly), "cán bộ đó".
    for question in ("What did the commune do to stop littering?", "Cán bộ đó đã làm gì ở xã?",
                     "Xã làm gì để không ngừng nâng cao chất lượng công tác dân vận?"):
        assert unmet_presumption(question, REPORT_2024, "vi") is None, question
    closing = "The district agreed on closing Hung Dong landfill and moving to Nghi Yen."
    assert unmet_presumption("Where did the dump move when the old one was shut down?",
                             closing, "en") is None
    assert unmet_presumption("Nghị quyết phát huy vai trò của Nhân dân thế nào?", REPORT_2024,
                             "vi") is None
    # "hoàn thành" (completed) is no "hoãn" (postponed), whatever folding makes of them.
    assert unmet_presumption("Xã Tân Hòa hoàn thành bao nhiêu nhà?", REPORT_2024, "vi") is None


def test_a_number_the_question_names_must_be_stated_by_the_evidence() -> None:
    road = "By what date must the households along provincial road 312 hand over their land?"
    unmet = unmet_presumption(road, NEIGHBOUR, "en")
    assert unmet is not None and unmet.reason == "other_number" and "road 312" in unmet.text
    unmet = unmet_presumption("mo hinh 5 khong 3 sach o thon nao", REPORT_2024, "vi")
    assert unmet is not None and unmet.reason == "other_number"
    # Written otherwise, the number is still the evidence's: separators, leading zeros, words.
    for question, evidence in (
        ("Were 15,000 m2 donated?", "hơn 15.000 m2 đất"),
        ("Có 1 mô hình ở mỗi thôn không?", "mỗi thôn có ít nhất 01 mô hình"),
        ("Did 2 courses run on 15/10?", "It held two courses on October 15."),
        ("Did 96 households donate land in 2024?", NEIGHBOUR + " (2024)"),
    ):
        assert unmet_presumption(question, evidence, "en") is None, question


def test_a_month_the_question_dates_must_be_that_months_in_the_evidence() -> None:
    review = ("At its annual review in December 2023, the district honoured 15 prestigious "
              "people. In 2024 it held two courses that all 146 prestigious people attended.")
    question = "How many prestigious people did the district honour at its December 2024 review?"
    unmet = unmet_presumption(question, review, "en")
    assert unmet is not None and unmet.reason == "other_number" and "December 2024" in unmet.text
    assert unmet_presumption(question.replace("2024", "2023"), review, "en") is None
    # The same month, written as a Vietnamese report or a numeric date writes it.
    for evidence in ("Hội nghị tổng kết tháng 12 năm 2024 biểu dương 15 người.",
                     "Ngày 20/12/2024, huyện biểu dương 15 người có uy tín."):
        assert unmet_presumption(question, evidence, "en") is None, evidence
    unmet = unmet_presumption("le ky niem thang 10 2024 o dau", "Ngày 15/10/2023 ...", "vi")
    assert unmet is not None and unmet.reason == "other_year"


def test_numbers_of_documents_articles_and_years_are_not_figures_asked_for() -> None:
    for question in (
        "What do Conclusion 114, Directive 16 and Decree 06 ask of State agencies?",
        "Điều 5 Nghị định số 06/2014/NĐ-CP quy định gì?",
        "khoan 2 dieu 3 luat 10/2022/QH15 noi gi",
        "Nghị quyết số 25 nói gì?",
    ):
        assert numbers_named(question) == [], question
    assert numbers_named("Năm 2024 đường tỉnh 312 mở rộng mấy mét?") == [
        ("2024", "Năm 2024"), ("312", "tỉnh 312")
    ]
    # A year is the year check's: the evidence need not hold it as a figure.
    assert unmet_presumption("Năm 2024 xã Tân Hòa sửa được bao nhiêu nhà?", REPORT_2024,
                             "vi") is None


def test_names_are_runs_of_capitalised_words_after_the_first() -> None:
    assert names_in("Năm 2024 ở Tân Hòa, Mặt trận vận động") == ["Tân Hòa"]
    assert names_in("Thôn Khe Mây xây dựng mô hình gì?") == ["Khe Mây"]
    assert names_in("what did the commune do") == []
    assert names_in("When was Resolution No.25-NQ/TW issued by the Politburo?") == []
    assert names_in("Theo Nghị Định 06/2014 thì Hội Nông Dân làm gì?") == ["Hội Nông Dân"]


def test_a_count_belongs_to_the_commune_named_nearest_to_it() -> None:
    sentence = ("They include Tan Phong commune's model, under which 96 households donated land "
                "for rural roads, and the camera model of Bai Say village in Tan Hoa commune.")
    for question, binds in (
        ("How many households donated land in Tan Hoa commune?", False),
        ("How many households donated land in Tan Phong commune?", True),
    ):
        at = counted_number(sentence, "household")
        assert at is not None and sentence[at:].startswith("96")
        assert Constraints.of(question).binds(sentence, at) is binds, question
    # A sentence naming one commune, or a question naming none, is not judged here.
    alone = "Xã Tân Hòa có 37 hộ hiến đất."
    assert Constraints.of("Xã Tân Phong có bao nhiêu hộ hiến đất?").binds(alone, 12)
    assert Constraints.of("How many households donated land?").binds(sentence, 60)


def test_a_body_named_by_the_glossary_is_no_proper_name() -> None:
    # "Bộ Chính trị" is the Politburo: an English passage translates it, it never writes "Bo Chinh".
    assert names_in("Chỉ thị 05 của Bộ Chính trị khóa XII nói về vấn đề gì?") == []
    assert names_in("Theo Ban Bí thư, Hội Nông dân xã phải làm gì?") == []
    assert names_in("Ủy ban Mặt trận Tổ quốc xã Tân Hòa có bao nhiêu thành viên?") == ["Tân Hòa"]
    assert names_in("Xã Hòa Sơn có bao nhiêu mô hình?") == ["Hòa Sơn"]
    english = "Chỉ thị 05 được Bộ Chính trị ban hành năm 2016 để học tập tấm gương Bác Hồ."
    assert unmet_presumption("Chỉ thị 05 của Bộ Chính trị khóa XII nói về vấn đề gì?",
                             "Directive 05 of the Politburo calls for studying Ho Chi Minh.",
                             "vi", retrieved=english) is None


def test_names_written_with_diacritics_are_told_apart_by_their_tones() -> None:
    asked = Constraints.of("Thôn Đồng Chưa đã thu gom được bao nhiêu tấn rác?")
    assert asked.conflict("Chi hội Phụ nữ thôn Đồng Chùa mỗi tháng thu gom rác 2 lần.") == "entity"
    assert asked.conflict("Thôn Đồng Chưa còn chậm thu gom rác thải.") is None
    assert asked.conflict("Dong Chua village collects its rubbish twice a month.") is None
    # "hoà" and "hòa" are one syllable written two ways.
    assert Constraints.of("Xã Tân Hoà làm gì?").conflict("Xã Tân Hòa có 12 thôn.") is None
    near = "Thôn Đồng Chùa thu gom 5 tấn rác."
    unmet = unmet_presumption("Thôn Đồng Chưa thu gom bao nhiêu tấn rác?", near, "vi",
                              retrieved=f"{near}\nThôn Đồng Chưa có 300 hộ.")
    assert unmet is not None and unmet.reason == "other_entity"


def test_an_office_holder_after_the_unit_word_is_not_the_units_name() -> None:
    held = "Chủ tịch Ủy ban nhân dân xã Đinh Công Tráng tổ chức 2 buổi tiếp dân."
    assert [s.holder for s in scopes_in(held)] == [True]
    # The holder's name is no other commune than the one asked about.
    assert Constraints.of("Chủ tịch UBND xã Phú Lộc là ai?").conflict(held) is None
    assert [s.name for s in scopes_in("Chủ tịch UBND xã Phú Lộc Đinh Công Tráng")] == ["phu loc"]
    assert [s.name for s in scopes_in("Chủ tịch UBND xã Lê Lợi Nguyễn Văn An phát biểu.")] == [
        "le loi"]
    # A ward or commune named after a person is still one, when asked about.
    assert [s.name for s in scopes_in("Chủ tịch UBND phường Trần Hưng Đạo là ai?")] == [
        "tran hung dao"]
    assert [s.name for s in scopes_in("Ủy ban nhân dân xã Lê Lợi họp dân.")] == ["le loi"]


def test_a_syllable_typed_without_its_tone_meets_any_tone() -> None:
    asked = Constraints.of("Xã Tân Hoa có bao nhiêu thôn?")
    assert asked.conflict("Xã Tân Hòa có 12 thôn.") is None
    assert unmet_presumption("Xã Tân Hoa có bao nhiêu thôn?", "Xã Tân Hòa có 12 thôn.", "vi",
                             retrieved="Xã Tân Hòa có 12 thôn.") is None
    nation = Constraints.of("Cả nước có bao nhiêu mô hình dân vận khéo?")
    localities = "Các địa phương đã xây dựng 2.852 mô hình, nhờ tinh thần đoàn kết."
    assert nation.conflict(localities) is None


def test_a_place_no_passage_found_names_is_refused() -> None:
    kim_son = "Each family received 9 million VND per grave to cover the cost of moving it."
    unmet = unmet_presumption("Mức hỗ trợ di dời mộ ở tỉnh Thanh Hóa là bao nhiêu?", kim_son, "vi",
                              retrieved=f"Kim Son district in Ninh Binh province. {kim_son}")
    assert unmet is not None and unmet.reason == "other_entity" and "Thanh Hóa" in unmet.text
    passage = f"Kim Son district in Ninh Binh province. {kim_son}"
    assert unmet_presumption("Mức hỗ trợ di dời mộ ở huyện Kim Sơn là bao nhiêu?", passage, "vi",
                             retrieved=passage) is None


def test_a_question_about_a_document_is_answered_from_it_or_a_text_naming_it() -> None:
    other = "The agencies followed the Regulation (Decision No. 23-QD/TW of 30 July 2021)."
    unmet = unmet_presumption("Theo Quyết định 215/QĐ-UBND, mô hình phải thực hiện bao lâu?",
                              other, "vi", retrieved=other)
    assert unmet is not None and unmet.reason == "other_document" and "215/QĐ-UBND" in unmet.text
    own = ("Quyết định số 215/QĐ-UBND ngày 14/02/2025 của Ủy ban nhân dân huyện Kim Sơn.\n"
           "Mô hình phải được triển khai thực hiện ít nhất 12 tháng.")
    assert unmet_presumption("Theo Quyết định 215/QĐ-UBND, mô hình phải thực hiện bao lâu?",
                             own, "vi", retrieved=own) is None
    # Another document of the same number is not the one asked about.
    tg = "Quyết định số 215/QĐ-TTg của Thủ tướng. Mô hình thực hiện 12 tháng."
    assert unmet_presumption("Theo Quyết định 215/QĐ-UBND, mô hình phải thực hiện bao lâu?", tg,
                             "vi", retrieved=tg) is not None
    # A partial reference ("Quyết định 215") is met by the full number.
    assert unmet_presumption("Quyết định 215 quy định mô hình thực hiện bao lâu?", own, "vi",
                             retrieved=own) is None


def test_a_figure_for_another_level_does_not_answer() -> None:
    province = Constraints.of("Mô hình cấp tỉnh được thưởng bao nhiêu tiền?")
    assert province.conflict("Mô hình cấp huyện được thưởng 2.000.000 đồng.") == "level"
    assert province.conflict("Mô hình cấp tỉnh được thưởng 5.000.000 đồng.") is None
    nation = Constraints.of("Có bao nhiêu mô hình “Dân vận khéo” trên cả nước?")
    assert nation.conflict("the district now has 397 recognised models") == "level"
    assert nation.conflict("Cả nước có hơn 100.000 mô hình, ở tất cả các tỉnh.") is None
    village = Constraints.of("How many models are there at the hamlet and village level?")
    assert village.conflict("3,312 models at the hamlet and village levels") is None
    assert province.conflict("Tỉnh khen thưởng các mô hình tiêu biểu.") is None


def test_a_number_naming_a_thing_is_met_only_beside_the_same_word() -> None:
    road = ("Bac Ninh handed over 98% of the land for its section of Ring Road 4, three months "
            "ahead of the deadline.")
    unmet = unmet_presumption("How much land did Bac Ninh hand over for Ring Road 3?", road,
                              "en", retrieved=road)
    assert unmet is not None and unmet.reason == "other_number" and "Road 3" in unmet.text
    assert unmet_presumption("How much land did Bac Ninh hand over for Ring Road 4?", road,
                             "en", retrieved=road) is None
    # Another language names the thing with its own word: the number alone is checked.
    numbered = "Hộ dân ở ngõ số 35 được hỗ trợ."
    assert unmet_presumption("Hộ dân ở ngõ 35 được hỗ trợ gì?", numbered, "vi",
                             retrieved=numbered) is None
    lane = "The ward promised to dredge the drain in Lane 35 before the rainy season."
    assert unmet_presumption("Phường hứa nạo vét cống ở ngõ 35 trước khi nào?", lane, "vi",
                             retrieved=lane) is None


def test_a_rate_for_another_period_does_not_answer() -> None:
    monthly = Constraints.of("Hà Giang trả bao nhiêu tiền cho người có uy tín mỗi tháng?")
    assert monthly.conflict("Each elder receives an allowance of 500,000 VND per quarter.") == (
        "period")
    assert monthly.conflict("Mỗi người được 200.000 đồng mỗi tháng.") is None
    assert monthly.conflict("The province pays the allowance to 2,150 elders.") is None
    postponed = unmet_presumption("Vì sao phường hoãn dự án phố Trần Phú?", REPORT_2024, "vi")
    assert postponed is not None and postponed.reason == "unsupported_premise"


def test_a_target_does_not_answer_a_count_of_what_was_done() -> None:
    done = Constraints.of("How many jobs has the industrial cluster created so far?")
    assert done.conflict("The cluster is expected to create about 2,000 jobs in 2026.") == "target"
    assert done.conflict("The cluster has created 1,200 jobs.") is None
    vietnamese = Constraints.of("Xã đã nhân rộng mô hình ra bao nhiêu thôn?")
    assert vietnamese.conflict("Phấn đấu nhân rộng mô hình ra ít nhất 3 thôn.") == "target"
    assert vietnamese.conflict("Xã đạt 12 mô hình, vượt chỉ tiêu đề ra.") is None
    # A question about the target itself is answered by it.
    aimed = Constraints.of("Xã phấn đấu nhân rộng mô hình ra bao nhiêu thôn?")
    assert aimed.conflict("Phấn đấu nhân rộng mô hình ra ít nhất 3 thôn.") is None


def test_a_count_is_dated_by_the_year_named_before_it_in_its_clause() -> None:
    sentence = ("Nhờ nguồn vốn ủy thác qua 4 tổ chức hội, năm 2024 xã có 36 hộ thoát nghèo, "
                "tỷ lệ hộ nghèo giảm còn 2,6%.")
    at = counted_number(sentence, "ngheo")
    assert at is not None and sentence[at:].startswith("36")
    assert not Constraints.of("Năm 2023 xã có bao nhiêu hộ thoát nghèo?").binds(sentence, at)
    assert Constraints.of("Năm 2024 xã có bao nhiêu hộ thoát nghèo?").binds(sentence, at)
    # A year in an earlier clause dates that clause, not the count after it.
    earlier = ("Under Directive 07-CT/HU issued in March 2024, Hoa Son aims to have "
               "at least 450 models by 2026.")
    assert Constraints.of("How many models does Hoa Son aim to have by 2026?").binds(
        earlier, earlier.index("450"))
    # An uncounted figure (any number) is not dated this way.
    income = "Income in 2012 reached 20,600,000 VND and should reach 24,000,000 VND in 2015."
    assert Constraints.of("What income is expected in 2015?").binds(
        income, income.index("20,600,000"), dated=False)


def test_a_why_question_needs_quotes_stating_the_failure_or_change_it_presumes() -> None:
    passage = "Điện Biên currently has 1,768 prestigious persons, of whom 214 are women."
    cut = unmet_presumption("Why did Điện Biên cut the allowance for prestigious persons?",
                            passage, "en", passage)
    assert cut is not None and cut.reason == "unsupported_premise"
    assert "cut the allowance" in cut.text
    failed = unmet_presumption("Vì sao Điện Biên không hoàn thành mục tiêu xóa nhà tạm?",
                               "Điện Biên đã xóa 4.215 nhà tạm.", "vi", "Điện Biên")
    assert failed is not None and failed.reason == "unsupported_premise"
    stated = "Thôn Khe Mây chưa đăng ký do địa bàn bị chia cắt sau bão."
    assert unmet_presumption("Vì sao thôn Khe Mây không đăng ký mô hình?", stated, "vi",
                             stated) is None
    lowered = "Tỷ lệ hộ nghèo giảm từ 3,8% xuống còn 2,6% nhờ vốn vay."
    assert unmet_presumption("Why did the poverty rate fall?", lowered, "en", lowered) is None
    # Not a "why" question: nothing is presumed.
    assert unmet_presumption("Did Điện Biên cut the allowance?", passage, "en", passage) is None
    # "hạ tầng" is infrastructure, not a lowering.
    built = "Xã đầu tư hạ tầng giao thông nhờ nhân dân hiến đất."
    assert unmet_presumption("Vì sao xã đầu tư hạ tầng?", built, "vi", built) is None


def test_the_date_a_cited_document_was_issued_does_not_date_the_facts() -> None:
    plan = ("Thực hiện Chỉ thị số 18-CT/TU ngày 12/11/2025 của Ban Thường vụ Tỉnh ủy, Huyện ủy ban "
            "hành kế hoạch năm 2026. Tỷ lệ hộ nghèo toàn huyện giảm xuống dưới 1,2%.")
    unmet = unmet_presumption("Tỷ lệ hộ nghèo của huyện cuối năm 2025 là bao nhiêu?", plan, "vi")
    assert unmet is not None and unmet.reason == "other_year"
    # A date of its own still covers its year.
    dated = "Ngày 20/12/2025, huyện tổng kết: tỷ lệ hộ nghèo còn 1,5%."
    assert unmet_presumption("Tỷ lệ hộ nghèo của huyện năm 2025 là bao nhiêu?", dated, "vi") is None


def test_a_sentence_naming_only_other_years_conflicts_unless_its_document_is_of_the_year() -> None:
    wanted = Constraints.of("Năm 2023 huyện tôn vinh bao nhiêu mô hình nhân ngày 15/10?")
    ceremony = ("The Party Committee on October 15 held a ceremony to mark the 94th anniversary "
                "(October 15, 1930 – October 15, 2024) and honoured 52 models.")
    assert wanted.conflict(ceremony, "2024-10-16") == "year"
    # "now … up from 1,980 in 2021" in a report of the year asked is about that year.
    now = "Ha Giang now counts 2,150 prestigious people, up from 1,980 in 2021."
    asked = Constraints.of("How many prestigious people did Ha Giang have in 2023?")
    assert asked.conflict(now, "2023-12-02") is None
    assert asked.conflict(now, "2025-01-10") == "year"
    assert asked.conflict(now) == "year"
    assert asked.conflict("Ha Giang counts 2,150 prestigious people.") is None


def test_a_count_with_a_past_verb_asks_what_was_done() -> None:
    assert asks_done("How many households donated land for roads in 2024?")
    assert not asks_done("How many registered models are there?")
    assert not asks_done("How many models does Hoa Son aim to have by 2026?")


def test_a_person_is_named_under_his_other_names() -> None:
    known = Spelled.of("Uncle Ho wrote the article in 1949. President Ho Chi Minh said so.")
    quoted = Spelled.of("President Ho Chi Minh said cadres must listen to the people.")
    assert unnamed("What did Uncle Ho say cadres must do?", quoted, known) is None
    other = Spelled.of("Vo Nguyen Giap said cadres must listen.")
    assert unnamed("What did Uncle Ho say cadres must do?", other, known) == "Uncle Ho"


def test_a_name_that_opens_the_question_is_held_to_the_evidence() -> None:
    known = Spelled.of("Ha Giang counts 2,150 prestigious people. Điện Biên honoured 150 of them.")
    other = Spelled.of("In 2025 the provincial People's Committee of Điện Biên honoured 150.")
    question = "Hà Giang có bao nhiêu người có uy tín năm 2025?"
    assert unnamed(question, other, known) == "Hà Giang"
    assert unnamed(question, Spelled.of("Ha Giang counts 2,150 people."), known) is None
    # A question's capitalised first words are no name the documents spell ("How Many").
    assert unnamed("How Many villages?", other, Spelled.of("How many villages.")) is None
    # Nor is the head of a body named at the start ("Trưởng Ban Dân vận …").
    assert names_in("Trưởng Ban Dân vận Tỉnh ủy Hà Tĩnh là ai?", opening=True) == ["Hà Tĩnh"]


def test_a_units_name_stays_on_its_line_and_its_party_committee_names_it() -> None:
    header = "Báo cáo công tác dân vận năm 2024 của Đảng ủy xã Tân Hòa\nNgày: 2024-12-18\n\nNăm"
    assert [s.name for s in scopes_in(header)] == ["tan hoa"]
    assert [s.name for s in scopes_in("Ban Thường vụ Huyện ủy Hòa Sơn ban hành")] == ["hoa son"]
    assert [(s.kind, s.name) for s in scopes_in("Tỉnh ủy Hà Tĩnh")] == [("province", "ha tinh")]


def test_a_place_typed_in_lower_case_is_held_to_the_evidence() -> None:
    question = "duong thon dong chua khi nao xong"
    road = "Xã vận động nhân dân hiến đất mở rộng đường trục thôn Đồng Chưa, xong trước 2/9/2025."
    plan = "9 thôn chưa có mô hình phải xây dựng xong mô hình đầu tiên trước ngày 30/9/2025."
    retrieved = f"{road}\n{plan}"
    assert unmet_presumption(question, road, "vi", retrieved) is None
    unmet = unmet_presumption(question, plan, "vi", retrieved)
    assert unmet is not None and unmet.reason == "other_entity"


def test_a_person_typed_in_lower_case_is_held_to_the_evidence() -> None:
    question = "gia lang lo van phenh bn tuoi, o ban nao vay"
    elder = "Già làng Lò Văn Phềnh, 68 tuổi, ở bản Hua, đã thuyết phục 23 hộ."
    other = "Người hiến nhiều đất nhất là cụ Hà Văn Sinh, 72 tuổi, đã hiến 420 m² đất vườn."
    retrieved = f"{elder}\n{other}"
    assert typed_names(question, retrieved) == ["lo van phenh"]
    assert unmet_presumption(question, elder, "vi", retrieved) is None
    unmet = unmet_presumption(question, other, "vi", retrieved)
    assert unmet is not None and unmet.reason == "other_entity"
    # An English question's lower-case words are its language's own, never a name.
    assert typed_names("how old is elder lo van phenh", retrieved) == []


def test_a_name_asked_for_is_one_the_question_does_not_give() -> None:
    asked = Spelled.of("Mô hình “Dân vận khéo” đầu tiên của thôn Khe Mây tên là gì?")
    assert not gives_new_name("Thôn Khe Mây xây dựng mô hình “Dân vận khéo” đầu tiên.", asked)
    assert gives_new_name("Thôn Khe Mây xây dựng mô hình “Đường hoa tự quản” đầu tiên.", asked)
    assert gives_new_name("The model was set up by Lo Van Hung in Khe May.", asked)


def test_a_presumed_event_is_met_only_by_an_event_of_its_kind() -> None:
    question = "Vì sao Quyết định số 18/2024/QĐ-UBND bị bãi bỏ?"
    recovery = "Quyết định số 18/2024/QĐ-UBND hướng dẫn vận động 64 hộ có đất bị thu hồi."
    unmet = unmet_presumption(question, recovery, "vi")
    assert unmet is not None and unmet.reason == "unsupported_premise"
    repealed = "Quyết định số 18/2024/QĐ-UBND bị bãi bỏ do trái với Luật Hòa giải ở cơ sở."
    assert unmet_presumption(question, repealed, "vi") is None
    # Tones tell a resignation from an organisation ("tổ chức"), folded alike elsewhere.
    resigned = unmet_presumption("Vì sao ông Lực từ chức?", "Ông Lực tổ chức họp thôn.", "vi")
    assert resigned is not None and resigned.reason == "unsupported_premise"
    assert unmet_presumption("Ông Lực tổ chức họp thôn khi nào?", "Ông Lực họp thôn.", "vi") is None
