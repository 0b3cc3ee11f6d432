"""A question asking who holds a role is answered only by a sentence naming a person as it."""

from __future__ import annotations

import pytest

from bot.answering.roles import names_holder, role_asked


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("What is the name of the chairman of the ward People's Committee?", "chairman"),
        ("Who is the Deputy Head of the Provincial Mass Mobilization Commission?", "deputy head"),
        ("Bí thư Huyện ủy Hòa Sơn là ai?", "secretary"),
        ("bi thu huyen uy hoa son la ai", "secretary"),
        ("truong thon dong moi ten j", "village head"),
        ("Chủ tịch Ủy ban Mặt trận Tổ quốc xã Tân Phong là ai?", "chairman"),
        ("Phó Chủ tịch UBND huyện tên là gì?", "deputy chairman"),
        ("Thứ trưởng Bộ Công an nào dự hội nghị?", "deputy minister"),
        # A body's Vietnamese name runs long between the role and "là ai".
        ("Phó Trưởng ban Chỉ đạo thực hiện dân chủ ở cơ sở của xã Vĩnh Khê Thượng là ai?",
         "deputy head"),
        # A verb, or a role named without asking for its holder, asks for no role.
        ("Who chaired the conference?", None),
        ("Chủ tịch Hồ Chí Minh nói gì về dân vận?", None),
        ("What does the Secretary's speech say about land?", None),
        # "Nào" after a word of time or manner asks when or how, not which holder.
        ("chu tich ubnd tinh tiep dan vao ngay nao trong thang", None),
        ("Chủ tịch UBND xã tiếp dân như thế nào?", None),
    ],
)
def test_the_role_whose_holder_is_asked_for(question: str, role: str | None) -> None:
    assert role_asked(question) == role


def test_a_person_is_bound_to_the_role_that_titles_them() -> None:
    beside = ("The dialogue was chaired by Pham Thu Trang, Secretary of the ward Party Committee, "
              "together with the chairman of the ward People's Committee.")
    assert names_holder(beside, "secretary")
    assert not names_holder(beside, "chairman")  # the chairman is there, but not named
    assert names_holder("Ông Trần Văn Lực, Trưởng thôn Đồng Mới, kể lại", "village head")
    assert names_holder("Chủ tịch UBND xã Nguyễn Văn An cho biết", "chairman")
    # Titles in between, a dash, and the other language's word for the role.
    assert names_holder("Senior Lieutenant General Le Quoc Hung, member of the Party Central "
                        "Committee, Deputy Minister of Public Security, attended.",
                        "deputy minister")
    assert names_holder("comrade Nguyen Manh Khoi - Deputy Head of the Commission", "deputy head")
    # A deputy is not the head, and a secretary is not the chairman.
    assert not names_holder("Pham Tat Thang, Deputy Head of the Commission, spoke.", "head")
    assert not names_holder("Theo bà Bùi Thị Hạnh, Bí thư Đảng ủy xã Tân Phong, xã đã làm",
                            "chairman")
    # A body's capitalised name is not a person.
    assert not names_holder("The chairman of the ward People's Committee spoke.", "chairman")


def test_asking_who_leads_a_body_asks_for_its_head() -> None:
    from bot.answering.roles import names_holder, role_asked

    assert role_asked("Who leads the mass mobilisation committee of Kim Son district?") == "leader"
    assert role_asked("Ai đứng đầu Ban Dân vận Huyện ủy?") == "leader"
    assert role_asked("Who attended the conference?") is None
    said = ('"We started by listening," said Vu Thi Loan, head of the district’s mass '
            "mobilisation committee.")
    assert names_holder(said, "leader")
    # A body's leader may be its chairman or secretary too.
    assert names_holder("Nguyen Van An, Chairman of the commune People's Committee, said", "leader")
    assert not names_holder("Kim Son district has moved 1,240 graves.", "leader")


def test_asking_who_is_the_holder_in_vietnamese_word_order() -> None:
    from bot.answering.roles import names_holder, role_asked

    assert role_asked("Ai là Chủ tịch Ủy ban nhân dân phường Hòa Bình?") == "chairman"
    secretary = "Hội nghị do đồng chí Phạm Minh Tuấn, Bí thư Đảng ủy phường, chủ trì."
    assert not names_holder(secretary, "chairman")


def test_a_role_is_held_in_the_body_the_question_names() -> None:
    from bot.answering.roles import body_asked

    question = "Chủ tịch UBND xã Thuận Lưu hiện nay là ai?"
    assert (role_asked(question), body_asked(question)) == ("chairman", "people's committee")
    assert body_asked("Who is the chairman of the ward People's Committee?") == (
        "people's committee"
    )
    front = "Ban Thường trực Ủy ban MTTQ Việt Nam xã Thuận Lưu, Chủ tịch Hoàng Thị Nguyệt."
    assert not names_holder(front, "chairman", "people's committee")
    assert names_holder(front, "chairman", "fatherland front")
    assert names_holder(front, "chairman")  # no body asked: any chairman
    both = "Ông Nguyễn Văn An, Chủ tịch UBND xã, và bà Lê Thị Hoa, Chủ tịch Ủy ban MTTQ xã."
    assert names_holder(both, "chairman", "fatherland front")
    assert names_holder(both, "chairman", "people's committee")
    assert not names_holder("Bà Lê Thị Hoa, Chủ tịch Ủy ban MTTQ xã, phát biểu.", "chairman",
                            "people's committee")
