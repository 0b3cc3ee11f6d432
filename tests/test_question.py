"""A question read once: shorthand, the answer it wants, and the constraints evidence must meet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.answering.constraints import Constraints, Scope, opening, scopes_in
from bot.answering.question import (
    DURATION,
    PEOPLE,
    money_kinds,
    read_question,
    small_talk,
    write_out_shorthand,
)
from tests.conftest import ingested_services
from vectorstore.text import fold


def test_phone_shorthand_is_written_out_and_shows_the_language() -> None:
    assert write_out_shorthand("xa tan hoa lam dc bn km duong, ko phai j ca") == (
        "xa tan hoa lam duoc bao nhieu km duong, khong phai gi ca"
    )
    assert write_out_shorthand("Xã Tân Hòa làm dc bn km đường") == (
        "Xã Tân Hòa làm được bao nhiêu km đường"
    )
    # A document number or a word holding the letters is left alone.
    assert write_out_shorthand("Chỉ thị 16/CT-TTg k/c dcm") == "Chỉ thị 16/CT-TTg k/c dcm"
    asked = read_question("nguoi co uy tin o dak tram dc huong nhung che do j")
    assert asked.language == "vi"
    assert "duoc" in asked.query and asked.text.endswith("che do j")
    english = read_question("Tan Hoa vs Tan Phong: which built more roads?")
    assert english.language == "en" and english.query == english.text


def test_the_kind_of_answer_wanted() -> None:
    money = read_question("le phi cap so do dat hien nay la bn tien").intent
    assert money.wants_money and money.money_kinds == {"fee"}
    assert money.number_focus is None  # counted in đồng, not in "tiền"
    tax = read_question("How much personal income tax do I pay on a salary of 20 million?").intent
    assert tax.money_kinds == {"tax", "salary"}
    assert not read_question("How much land did the households donate?").intent.wants_money
    # The cost named at the end of a long clause is still a cost asked for.
    cost = read_question("How much will the Tran Phu street upgrade in Hoa Binh ward cost?")
    assert cost.intent.wants_money and cost.intent.wants_checkable
    # A project's investment is an amount, in either language.
    assert read_question("What is the total investment capital of the border road?").intent \
        .wants_money
    assert read_question("Tổng mức đầu tư của dự án là bao nhiêu?").intent.wants_money
    wide = read_question("How wide is the new concrete road into Dong Moi village?").intent
    assert wide.wants_number and wide.number_focus == DURATION  # a length: "7 m", "1,8 km"
    assert not read_question("What are the criteria for a skilful model?").intent.wants_checkable
    assert read_question("Huyện Hòa Sơn thuộc tỉnh nào?").intent.wants_unit == "province"
    assert read_question("Which district is Tan Phong commune in?").intent.wants_unit == "district"
    # Which villages did something is answered by names, not by "village X".
    assert read_question("Những thôn nào chưa đăng ký mô hình?").intent.wants_unit is None
    assert money_kinds("Kinh phí làm đường là 2,1 tỷ đồng") == frozenset()
    assert money_kinds("mức phụ cấp hằng tháng 500.000 đồng") == {"allowance"}
    # An insurance contribution is not an income: "mức đóng bảo hiểm" needs an insurance amount.
    insurance = read_question("Mức đóng bảo hiểm y tế hộ gia đình năm 2025 là bao nhiêu?").intent
    assert insurance.wants_money and insurance.money_kinds == {"insurance"}
    assert money_kinds("thu nhập bình quân đạt 58 triệu đồng/người/năm") == frozenset()


@pytest.mark.parametrize(
    ("text", "scopes"),
    [
        ("Năm 2024 xã Tân Hòa sửa bao nhiêu nhà?", [Scope("commune", "tan hoa")]),
        ("How many households in Tan Hoa commune?", [Scope("commune", "tan hoa")]),
        ("They include Tan Phong commune’s “Donating land” model",
         [Scope("commune", "tan phong")]),
        ("In Hoa Son District, the commune of Tan Phong",
         [Scope("district", "hoa son"), Scope("commune", "tan phong")]),
        ("Xã Tân Phong, huyện Hòa Sơn, tỉnh Quảng Trị",
         [Scope("commune", "tan phong"), Scope("district", "hoa son"),
          Scope("province", "quang tri")]),
        ("xa tan hoa nam 2024 lam dc bao nhieu km",
         [Scope("commune", "tan hoa nam", loose=True)]),
        ("nhung thon nao chua dang ky", []),  # the unit is asked for, not named
        # A unit's Party committee names the unit.
        ("Ban Thường vụ Huyện ủy Hòa Sơn", [Scope("district", "hoa son")]),
        ("The district Party Committee", []),
    ],
)
def test_administrative_units_named(text: str, scopes: list[Scope]) -> None:
    assert scopes_in(text) == scopes


def test_a_sentence_opening_with_another_year_conflicts() -> None:
    asked = Constraints.of("Năm 2024 xã Tân Hòa làm mới bao nhiêu km đường?")
    assert asked.conflict("Năm 2025, Đảng ủy xã phấn đấu làm mới 10 km đường.") == "year"
    assert asked.conflict("At its review in December 2023, the commune built 4 km.") == "year"
    # A year further in, in a report of the year asked, is a reference; a sentence naming the
    # asked year anywhere is kept.
    since = "Trong năm, xã giải quyết vụ tranh chấp tồn đọng từ năm 2023."
    assert asked.conflict(since, "2024-12-18") is None
    assert asked.conflict(since, "2025-12-18") == "year"
    assert asked.conflict("Before 2025 the plan, adopted in 2024, set 4 km.") is None
    assert asked.conflict("Xã làm mới 4 km đường bê tông.") is None
    assert opening("In 2023, the commune built 4 km of roads") == "In 2023"


def test_a_sentence_about_another_commune_conflicts() -> None:
    asked = Constraints.of("How many households donated land in Tan Hoa commune?")
    assert asked.conflict("In Tan Phong commune, 96 households donated land.") == "entity"
    assert asked.conflict("Xã Tân Hòa có 40 hộ hiến đất.") is None  # the other language
    assert asked.conflict("Tan Phong commune and Tan Hoa commune both took part.") is None
    assert asked.conflict("Hoa Son district honoured 21 models.") is None  # another kind
    loose = Constraints.of("xa tan hoa nam 2024 co bao nhieu ho hien dat")
    assert loose.conflict("Năm 2024, xã Tân Hòa có 40 hộ hiến đất.") is None
    assert loose.conflict("Năm 2024, xã Tân Phong có 96 hộ hiến đất.") == "entity"


REPORT = """# Báo cáo công tác dân vận năm 2024 của Đảng ủy xã Phú Lâm

Năm 2023, xã Phú Lâm vận động nhân dân làm mới 4 km đường bê tông nông thôn.

Trong năm 2024, xã tiếp nhận 9 đơn thư kiến nghị và đã giải quyết xong cả 9 đơn thư.

Công trình nhà văn hóa thôn Đồng Chè có tổng kinh phí 2,1 tỷ đồng, trong đó nhân dân đóng góp
900 triệu đồng và ngày công lao động.

Mô hình "Dân vận khéo" của Chi hội Phụ nữ thôn Đồng Chè được Huyện ủy khen thưởng.

Năm 2024, xã Phú Lâm có 1.250 hộ với 4.980 nhân khẩu.
"""


@pytest.fixture(scope="module")
def report_answerer(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any) -> Any:
    from bot.answering import build_answerer

    corpus = tmp_path_factory.mktemp("corpus")
    Path(corpus, "bao-cao-phu-lam-2024.md").write_text(REPORT, encoding="utf-8")
    services = ingested_services(tmp_path_factory.mktemp("data"), [corpus], real_embedder)
    return build_answerer(services.settings, services)


@pytest.mark.slow
def test_figures_of_another_year_are_not_given_for_the_asked_one(report_answerer: Any) -> None:
    # The report is of 2024, but its road figure is the 2023 one.
    answer = report_answerer.answer("Năm 2024 xã Phú Lâm làm mới được bao nhiêu km đường?")
    assert answer.refused and answer.refusal_reason == "other_year", answer.text
    assert "2023" in answer.text and "2024" in answer.text
    given = report_answerer.answer("Năm 2023 xã Phú Lâm làm mới được bao nhiêu km đường?")
    assert not given.refused and "4 km" in given.text


@pytest.mark.slow
def test_a_money_question_needs_an_amount_of_that_kind(report_answerer: Any) -> None:
    cost = report_answerer.answer("nha van hoa thon dong che tong kinh phi bn tien")
    assert not cost.refused and "2,1 tỷ đồng" in cost.text, cost.text
    for question in (
        "Mức thuế thu nhập cá nhân ở xã Phú Lâm là bao nhiêu tiền?",
        "How much is the monthly allowance of the Phu Lam women's union?",
    ):
        answer = report_answerer.answer(question)
        assert answer.refused, (question, answer.text)


@pytest.mark.slow
def test_a_province_asked_for_needs_a_province_named(report_answerer: Any) -> None:
    answer = report_answerer.answer("Xã Phú Lâm thuộc tỉnh nào?")
    assert answer.refused, answer.text


def test_a_share_asked_for_is_a_percentage() -> None:
    intent = read_question("tan hoa cuoi nam 2024 ho ngheo con bn phan tram").intent
    assert intent.wants_number and intent.number_focus == "%"
    share = read_question("What percentage of the people are ethnic minorities?").intent
    assert share.number_focus == "%"


def test_an_english_question_is_glossed_into_vietnamese() -> None:
    from bot.answering.glossary import gloss, vietnamese_gloss, vietnamese_matches

    matches = vietnamese_matches("How many villages build skilful mass mobilisation models?")
    assert [phrase for _, phrase in matches] == ["thon", "xay dung", "dan van kheo", "mo hinh"]
    # The longest phrase wins and question words are not glossed back.
    assert vietnamese_gloss("When was the mass mobilization work programme reviewed?") == (
        "cong tac dan van chuong trinh tong ket"
    )
    assert gloss("thôn") == "village hamlet"  # alternatives, each a search term
    # The grassroots' own words, typed with or without diacritics, meet the English reports'.
    assert gloss("nguoi co uy tin dc huong nhung che do j") == (
        "prestigious people village elders benefits entitlements allowance"
    )
    assert gloss("Người có uy tín được hưởng những chế độ gì?") == gloss(
        "nguoi co uy tin duoc huong nhung che do gi"
    )
    assert vietnamese_gloss("How wide is the concrete road?") == "be tong duong giao thong"


def test_small_talk_is_a_whole_message_of_greeting_thanks_or_asking_what_the_bot_is() -> None:
    assert small_talk("Xin chào ạ") == small_talk("hello!") == small_talk("chao ban") == "greeting"
    assert small_talk("Cảm ơn nhiều nhé") == small_talk("Thank you very much!") == "thanks"
    assert small_talk("ok") == small_talk("cam on") == "thanks"
    assert small_talk("bạn có thể làm gì?") == small_talk("who are you") == "about"
    for question in ("Cảm ơn ai đã hiến đất?", "Thanks to what did Lam Bong build its hall?",
                     "Chào mừng ngày truyền thống công tác dân vận là ngày nào?", "help desk hours",
                     "Nghị quyết 25 ban hành ngày nào?", "Hi, how many models does Tan Hoa have?"):
        assert small_talk(question) is None, question


def test_a_kind_of_money_asked_by_how_much_at_the_end_wants_an_amount() -> None:
    taxed = read_question("Thuế thu nhập cá nhân với tiểu thương ở chợ là bao nhiêu?").intent
    assert taxed.wants_money and taxed.money_kinds == {"tax"}
    assert not read_question("Có bao nhiêu vụ xử phạt?").intent.wants_money
    assert not read_question("Xã có bao nhiêu thôn?").intent.wants_money


def test_a_vietnamese_counted_noun_ends_where_a_clause_begins() -> None:
    asked = read_question("Dân đã cho bao nhiêu đất để làm rộng con đường của thôn Đồng Chưa?")
    assert asked.intent.number_focus == "dat"
    assert read_question("Có bao nhiêu hộ của thôn Khe Mây hiến đất?").intent.number_focus == "ho"
    assert read_question("bao nhieu ho cua thon khe may").intent.number_focus == "ho"


def test_may_asks_how_many_unless_it_asks_the_time_or_an_ordinal() -> None:
    days = read_question("Trước khi gặp dân, xã phải dán giấy báo sớm tối thiểu mấy ngày?").intent
    assert days.wants_number and days.number_focus == "ngay"
    assert read_question("Tổ hòa giải đã hòa giải thành mấy vụ?").intent.number_focus == "vu"
    assert not read_question("Hội nghị hướng tới đại hội lần thứ mấy?").intent.wants_number
    assert not read_question("Mấy giờ thì hội nghị bắt đầu?").intent.wants_number
    # Where "bao nhiêu" asks a count too, it is the count read: "mấy đợt, bao nhiêu người".
    both = read_question("Cán bộ được học mấy đợt, tổng cộng bao nhiêu người?").intent
    assert both.number_focus == PEOPLE


def test_a_vietnamese_count_counts_the_noun_its_phrase_begins_with() -> None:
    from bot.answering.counts import has_focused_number

    returned = read_question(
        "Trong năm 2023, người có uy tín ở Hà Giang thuyết phục bao nhiêu người đi lao động chui "
        "trở về?").intent
    assert returned.number_focus == PEOPLE
    assert has_focused_number("persuaded 41 people who had gone to work abroad illegally",
                              returned.number_focus, returned.focus_translations)
    donated = read_question("Có bao nhiêu hộ hiến đất vườn mà không nhận tiền?").intent
    assert donated.number_focus == "ho"
    models = read_question("Huyện có bao nhiêu mô hình Dân vận khéo?").intent
    assert has_focused_number("Toàn huyện có 58 mô hình được tôn vinh.", models.number_focus,
                              models.focus_translations)
    # "Một" before a noun is most often an article, not a count of one.
    assert not has_focused_number("Một mô hình thường đi qua các bước sau.",
                                  models.number_focus, models.focus_translations)
    area = read_question("Nhân dân hiến bao nhiêu mét vuông đất?").intent
    assert has_focused_number("nhân dân hiến 2.350 m² đất", area.number_focus,
                              area.focus_translations)
    assert read_question("How many skilful mass mobilisation models are there?").intent \
        .number_focus == "model"


def test_land_is_counted_by_its_area_and_priced_per_unit() -> None:
    from bot.answering.counts import has_focused_number

    land = read_question("Ông Giàng A Chứ đã hiến bao nhiêu đất để làm trường học?").intent
    assert has_focused_number(
        "Giàng A Chứ, a 68-year-old prestigious person, donated 1,200 square metres of his "
        "family's land to build a semi-boarding school", land.number_focus)
    assert has_focused_number("hiến 2.350 m² đất", land.number_focus)
    assert not has_focused_number("Xã có 12 thôn và 3 trường học.", land.number_focus)
    # A reward is its own kind of money: residents' contributions do not give it.
    reward = read_question("Mô hình cấp tỉnh được thưởng bao nhiêu tiền?").intent
    assert reward.wants_money and reward.money_kinds == {"reward"}
    assert money_kinds("mỗi mô hình tiêu biểu cấp huyện được thưởng 3 triệu đồng") == {"reward"}
    assert "reward" not in money_kinds("nhân dân đóng góp 180 triệu đồng lắp đặt 36 camera")
    # A price per square metre is money, never an area.
    price = read_question("Giá đất bồi thường ở Bắc Ninh là bao nhiêu một mét vuông?").intent
    assert price.wants_money and price.money_kinds == {"price"}


def test_how_long_asks_for_a_length_of_time() -> None:
    from bot.answering.counts import has_focused_number

    intent = read_question("Mô hình phải thực hiện tối thiểu bao lâu mới được xét?").intent
    assert intent.wants_number and intent.number_focus == "duration"
    assert has_focused_number("phải được thực hiện ít nhất 12 tháng", intent.number_focus)
    assert has_focused_number("for 15 consecutive years, no one had a third child",
                              intent.number_focus)
    assert not has_focused_number("Xã có 12 thôn.", intent.number_focus)


def test_a_kind_of_money_just_before_how_much_asks_for_an_amount_per_period() -> None:
    intent = read_question("Người có uy tín được phụ cấp bao nhiêu mỗi quý?").intent
    assert intent.wants_money and intent.money_kinds == {"allowance"}
    counted = read_question("Mỗi thôn được hỗ trợ bao nhiêu mỗi năm?").intent
    assert counted.wants_number and counted.number_focus is None


def test_how_often_is_answered_by_a_frequency() -> None:
    from bot.answering.counts import has_focused_number

    intent = read_question("Chủ tịch xã đối thoại với Nhân dân bao lâu một lần?").intent
    assert has_focused_number("đối thoại với Nhân dân ít nhất mỗi quý một lần", intent.number_focus)
    assert has_focused_number("The conference is held twice a year.", intent.number_focus)


def test_a_contribution_asked_for_is_an_amount_of_that_kind() -> None:
    asked = read_question("Mỗi hộ dân phải đóng góp bao nhiêu tiền cho dự án?").intent
    assert asked.wants_money and asked.money_kinds == {"contribution"}
    assert money_kinds("trong đó nhân dân đóng góp 650 triệu đồng") == {"contribution"}
    assert "contribution" not in money_kinds("Dự án có tổng mức đầu tư 18 tỷ đồng.")


def test_a_share_or_a_count_after_a_kind_of_money_is_no_amount() -> None:
    for question in ("Tỷ lệ người dân tham gia bảo hiểm y tế là bao nhiêu?",
                     "Số hộ thuê đất là bao nhiêu?", "Số ý kiến đóng góp là bao nhiêu?",
                     "Mỗi hộ dân phải đóng góp bao nhiêu ngày công?"):
        assert not read_question(question).intent.wants_money, question


def test_a_unit_of_measure_counts_under_its_abbreviation() -> None:
    from bot.answering.counts import has_focused_number

    intent = read_question("How many kilometres of concrete road did the commune build?").intent
    assert intent.number_focus == "kilometr"
    assert has_focused_number("xã làm mới và nâng cấp 11,3 km đường bê tông", intent.number_focus)
    assert has_focused_number("trồng 52 ha rừng", "hectar")
    assert has_focused_number("nhân dân hiến 8.640 m² đất", "vuong")
    # An abbreviation counts only right after the number: "12 xã của huyện Hà Trung" is no area.
    assert not has_focused_number("12 xã của huyện ha trung", "hectar")
    assert not has_focused_number("xã có 36 hộ thoát nghèo", "kilometr")


def test_a_rate_asked_for_is_a_share() -> None:
    from bot.answering.counts import has_focused_number

    for question in ("Tỷ lệ hộ nghèo đa chiều của huyện cuối năm 2025 là bao nhiêu?",
                     "What health insurance coverage rate is the district aiming for in 2026?",
                     "ty le ho ngheo cua xa con bn"):
        intent = read_question(question).intent
        assert intent.wants_number and intent.number_focus == "%", question
        assert has_focused_number("tỷ lệ tham gia bảo hiểm y tế đạt 98,5%", intent.number_focus)
        assert not has_focused_number("Xã có 9 thôn với 3.412 hộ.", intent.number_focus)
    # A count stays a count, and an amount an amount.
    assert read_question("Xã có bao nhiêu thôn?").intent.number_focus != "%"
    assert not read_question("What is the rate of the allowance in VND?").intent.wants_money


def test_an_area_asked_for_is_answered_in_square_metres_or_hectares() -> None:
    from bot.answering.counts import has_focused_number

    intent = read_question("Huyện muốn bà con nhường bao nhiêu diện tích để mở đường?").intent
    assert has_focused_number("vận động nhân dân hiến 25.000 m² đất", intent.number_focus)
    assert has_focused_number("trồng mới 52 ha rừng", intent.number_focus)


def test_a_counted_thing_is_counted_under_its_other_names() -> None:
    from bot.answering.counts import has_focused_number

    for question, sentence in (
        ("How many dwellings did the province put up or fix for needy families?",
         "to build and repair 4,215 houses for poor and near-poor households"),
        ("Năm 2024 có bao nhiêu gia đình vượt qua chuẩn nghèo?",
         "năm 2024 xã có 36 hộ thoát nghèo"),
        ("How many days of labour did the mass organisations mobilise?",
         "Các đoàn thể huy động 5.400 ngày công lao động để san nền"),
    ):
        intent = read_question(question).intent
        focus, also = intent.number_focus, intent.focus_translations
        assert has_focused_number(sentence, focus, also), question
    # Another thing counted is no answer: houses are not schools.
    intent = read_question("How many dwellings were repaired?").intent
    assert not has_focused_number("and 28 semi-boarding schools were built", intent.number_focus,
                                  intent.focus_translations)


def test_a_counted_nouns_unknown_modifier_leaves_its_glossed_noun_to_count_it() -> None:
    from bot.answering.counts import has_focused_number

    intent = read_question("Năm 2025 tỉnh tổ chức được bao nhiêu cuộc đối thoại trực tiếp?").intent
    focus, also = intent.number_focus, intent.focus_translations
    assert has_focused_number("held 1,426 direct dialogues with local people", focus, also)
    assert not has_focused_number("resolved 2,651 cases", focus, also)


def test_a_deadline_asked_for_is_answered_by_a_sentence_setting_one() -> None:
    from bot.answering.question import DEADLINE_RE

    for question in ("Hạn chót nộp hồ sơ xét công nhận mô hình là khi nào?",
                     "By what date must the households hand over their land?",
                     "han chot nop ho so la khi nao"):
        assert read_question(question).intent.wants_deadline, question
    assert not read_question("Khi nào nghị quyết có hiệu lực?").intent.wants_deadline
    assert DEADLINE_RE.search(fold("Các xã xây dựng kế hoạch trước ngày 28/02/2026."))
    assert DEADLINE_RE.search("hand over their land by June 30, 2025")
    assert not DEADLINE_RE.search(fold("Ngày 08/01/2026, Ban Thường vụ ban hành Kế hoạch."))


def test_a_final_particle_and_a_plan_typed_kh_are_read_as_meant() -> None:
    for typed, query in (
        ("kh 47 cua huyen uy ban hanh ngay nao a", "ke hoach 47 cua huyen uy ban hanh ngay nao"),
        ("huyen giao hoi nong dan chuyen doi bn ha lua vay",
         "huyen giao hoi nong dan chuyen doi bao nhieu ha lua"),
        ("Kế hoạch ban hành ngày nào ạ?", "Kế hoạch ban hành ngày nào"),
        ("ho ngheo dc vay", "ho ngheo duoc vay"),  # a loan, not a particle
        ("quy dinh tai diem a", "quy dinh tai diem a"),  # a legal point
        ("Xã có bao nhiêu hộ vay?", "Xã có bao nhiêu hộ vay?"),  # written "vay": a loan
        ("kh co ai a", "khong co ai"),
    ):
        assert read_question(typed).query == query, typed


@pytest.mark.slow
def test_a_count_of_those_who_did_something_needs_the_deed(report_answerer: Any) -> None:
    donated = report_answerer.answer("How many households in Phu Lam donated land in 2024?")
    assert donated.refused, donated.text
    counted = report_answerer.answer("Năm 2024 xã Phú Lâm có bao nhiêu hộ?")
    assert not counted.refused and "1.250 hộ" in counted.text, counted.text


def test_how_often_and_how_frequently_ask_for_a_frequency() -> None:
    from bot.answering.counts import has_focused_number

    for question in ("How often must the commune chairman meet residents?",
                     "Công an xã xuống hỗ trợ bà con với tần suất thế nào?"):
        intent = read_question(question).intent
        assert intent.number_focus == "duration", question
        assert has_focused_number("at least once a quarter, every month", intent.number_focus)


def test_a_name_asked_for_is_a_kind_of_answer() -> None:
    assert read_question("Mô hình đầu tiên của thôn Khe Mây tên là gì?").intent.wants_title
    assert read_question("mo hinh do ten gi").intent.wants_title
    assert read_question("What was the new model in Tan Hoa called?").intent.wants_title
    assert not read_question("Ai là Chủ tịch UBND xã?").intent.wants_title
    assert not read_question("What did the commune call on residents to do?").intent.wants_title


@pytest.mark.slow
def test_the_one_sentence_of_the_report_naming_the_commune_answers_when_meaning_agrees(
    tmp_path: Path, real_embedder: Any
) -> None:
    """Two communes' reports alike in shape: the named commune's only sentence of the kind asked.

    The sentence sharing the most words is the neighbouring commune's; the named commune's report
    holds one amount, in other words than the question's ("nhân dân đóng góp" for "đã đóng góp
    bao nhiêu tiền cho làm đường"), and the meaning agrees on it.
    """
    from bot.answering import build_answerer

    fresh = Path(__file__).parent / "eval" / "corpus-fresh"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("bao-cao-dan-van-xa-huong-tuyen-2025.md", "bao-cao-dan-van-xa-yen-trach-2025.md",
                 "lang-vu-land-donation-new-rural-roads-2025.md"):
        (corpus / name).write_text((fresh / name).read_text(encoding="utf-8"), encoding="utf-8")
    services = ingested_services(tmp_path / "data", [corpus], real_embedder)
    answerer = build_answerer(services.settings, services)
    answer = answerer.answer(
        "Nhân dân xã Hương Tuyền đã đóng góp bao nhiêu tiền cho làm đường giao thông năm 2025?")
    assert not answer.refused, answer.text
    assert "6,82 tỷ đồng" in answer.citations[0].quote
