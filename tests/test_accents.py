"""Diacritics restored for the dense query of a question typed without them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.answering import build_answerer
from tests.conftest import ingested_services
from vectorstore.accents import Accents, typed_without_diacritics

REPORT = (
    "Năm 2024, xã Tân Hòa có 11/12 thôn xây dựng mô hình “Dân vận khéo”. Ban Dân vận Huyện ủy "
    "giám sát việc thực hiện Luật Thực hiện dân chủ ở cơ sở tại 14 xã. Người có uy tín được "
    "hưởng chế độ hỗ trợ hằng năm. Bà con hiến đất mở đường vào thôn Đồng Mới; con đường rộng "
    "5 m. Cán bộ thôn bàn với dân trước khi làm."
)


def test_the_documents_words_come_back_with_their_diacritics() -> None:
    accents = Accents.build([REPORT])
    assert accents.restore("xa tan hoa nam 2024 co bao nhieu mo hinh dan van kheo") == (
        "xã tân hòa năm 2024 có bao nhiêu mô hình dân vận khéo"
    )
    # The word before decides between forms: "bàn với dân" is not "bản" or "bán".
    assert accents.restore("can bo thon ban voi dan") == "cán bộ thôn bàn với dân"
    # Case is kept; a word the documents never write stays as typed.
    assert accents.restore("Nguoi co uy tin o Dak Tram") == "Người có uy tín ở Dak Tram"


def test_tables_survive_a_round_trip() -> None:
    accents = Accents.build([REPORT])
    again = Accents.from_dict(accents.to_dict())
    assert again.restore("con duong rong bao nhieu") == accents.restore("con duong rong bao nhieu")
    assert Accents({}, {}).restore("xa tan hoa") == "xa tan hoa"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xa tan hoa nam 2024 co bao nhieu mo hinh", True),
        ("Xã Tân Hòa có bao nhiêu mô hình?", False),  # typed with diacritics
        ("How many villages can build a model?", False),  # English
    ],
)
def test_only_vietnamese_typed_without_diacritics_is_restored(text: str, expected: bool) -> None:
    assert typed_without_diacritics(text) is expected


@pytest.mark.slow
def test_the_dense_query_is_restored_from_the_collection(
    tmp_path: Path, real_embedder: Any
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bao-cao.md").write_text(f"# Báo cáo\n\n{REPORT}\n", encoding="utf-8")
    (corpus / "road.md").write_text(
        "# Road\n\nThe road into the village is five metres wide.\n", encoding="utf-8")
    services = ingested_services(tmp_path / "data", [corpus], real_embedder)
    restored = services.indexes.accents.restore("con duong vao thon dong moi rong bao nhieu")
    assert restored == "con đường vào thôn đồng mới rộng bao nhiêu"
    plain = real_embedder.embed(["con duong vao thon dong moi rong bao nhieu"], query=True)[0]
    expected = real_embedder.embed([restored], query=True)[0]
    result = services.searcher.search("con duong vao thon dong moi rong bao nhieu")
    assert float(result.query_vector @ expected) > 0.999
    assert float(result.query_vector @ plain) < 0.999
    # The answerer's own search embeds the restored question too.
    searched: list[Any] = []
    search = services.searcher.search

    def recording(*args: Any, **kwargs: Any) -> Any:
        searched.append(found := search(*args, **kwargs))
        return found

    services.searcher.search = recording  # type: ignore[method-assign]
    build_answerer(services.settings, services).answer("con duong vao thon dong moi rong bao nhieu")
    assert float(searched[0].query_vector @ expected) > 0.999
