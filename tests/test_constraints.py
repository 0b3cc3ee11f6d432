"""What a question presumes (a year, a named place, an event) must be in the evidence cited."""

from __future__ import annotations

from bot.answering.constraints import names_in, unmet_presumption, years_named

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
    # A name the retrieved passages never spell that way (another language) is not held against
    # the evidence.
    assert unmet_presumption("Which model did Xã Đông Sơn build?", NEIGHBOUR, "en",
                             retrieved=NEIGHBOUR) is None
    assert unmet_presumption("How many households donated land in Tan Phong commune?",
                             NEIGHBOUR, "en", retrieved=NEIGHBOUR) is None


def test_a_presumed_repeal_that_no_evidence_mentions_is_refused() -> None:
    for question, language in (
        ("Why did the National Assembly repeal the Law on Grassroots Democracy?", "en"),
        ("Vì sao Chỉ thị 07-CT/HU bị bãi bỏ?", "vi"),
        ("vi sao chi thi 07-ct/hu bi bai bo", "vi"),
    ):
        unmet = unmet_presumption(question, REPORT_2024, language)
        assert unmet is not None and unmet.reason == "unsupported_premise"
    closing = "The district agreed on closing Hung Dong landfill and moving to Nghi Yen."
    assert unmet_presumption("Where did the dump move when the old one was shut down?",
                             closing, "en") is None
    assert unmet_presumption("Nghị quyết phát huy vai trò của Nhân dân thế nào?", REPORT_2024,
                             "vi") is None


def test_names_are_runs_of_capitalised_words_after_the_first() -> None:
    assert names_in("Năm 2024 ở Tân Hòa, Mặt trận vận động") == ["Tân Hòa"]
    assert names_in("Thôn Khe Mây xây dựng mô hình gì?") == ["Khe Mây"]
    assert names_in("what did the commune do") == []
    assert names_in("When was Resolution No.25-NQ/TW issued by the Politburo?") == []
    assert names_in("Theo Nghị Định 06/2014 thì Hội Nông Dân làm gì?") == ["Hội Nông Dân"]
