"""Documents made for the validity tests: an old decree, its replacement, an amendment of one of
the replacement's articles, a resolution taking effect later, an expired plan, and an English
decree with its replacement."""

from __future__ import annotations

from pathlib import Path

AS_OF = "2026-06-01"

OLD_DECREE = """# Nghị định về tiếp nhận và trả lời kiến nghị của công dân tại cấp xã

Số: 88/2019/NĐ-CP

Hà Nội, ngày 14 tháng 11 năm 2019

## Điều 5. Thời hạn trả lời kiến nghị

Ủy ban nhân dân cấp xã trả lời kiến nghị của công dân trong thời hạn 15 ngày làm việc kể từ
ngày nhận được kiến nghị.

## Điều 6. Sổ theo dõi kiến nghị

Cán bộ tiếp công dân ghi mọi kiến nghị vào sổ giấy theo mẫu của Ủy ban nhân dân tỉnh.

## Điều 9. Hiệu lực thi hành

Nghị định này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2020.
"""

NEW_DECREE = """# Nghị định quy định việc tiếp nhận, trả lời kiến nghị của công dân ở xã, phường

Số: 31/2025/NĐ-CP

Hà Nội, ngày 15 tháng 5 năm 2025

## Điều 5. Thời hạn trả lời kiến nghị

Ủy ban nhân dân cấp xã trả lời kiến nghị của công dân trong thời hạn 7 ngày làm việc kể từ ngày
nhận được kiến nghị.

## Điều 6. Sổ theo dõi kiến nghị

Cán bộ tiếp công dân ghi mọi kiến nghị vào sổ theo dõi của Ủy ban nhân dân cấp xã.

## Điều 12. Hiệu lực thi hành

Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025 và thay thế Nghị định số
88/2019/NĐ-CP ngày 14 tháng 11 năm 2019 của Chính phủ.
"""

AMENDING_DECREE = """# Nghị định sửa đổi, bổ sung Điều 6 của Nghị định số 31/2025/NĐ-CP

Số: 40/2026/NĐ-CP

Hà Nội, ngày 10 tháng 01 năm 2026

## Điều 1. Sửa đổi Điều 6

Điều 6 của Nghị định số 31/2025/NĐ-CP được sửa đổi, bổ sung như sau: cán bộ tiếp công dân nhập
mọi kiến nghị vào hệ thống thông tin điện tử ngay trong ngày tiếp nhận.

## Điều 2. Hiệu lực thi hành

Nghị định này có hiệu lực kể từ ngày ký.
"""

FUTURE_RESOLUTION = """# Resolution No. 12/2027/NQ-HDND on citizen dialogues in communes

## Article 1. Dialogues

Each commune shall hold a citizen dialogue with its residents every quarter, chaired by the
commune chairperson.

## Article 2. Entry into force

This Resolution takes effect on 1 January 2027.
"""

EXPIRED_PLAN = """# Plan No. 05/KH-UBND on mobilization visits to villages

## Section 1. Visits

Each commune organises 20 mobilization visits to its villages during the plan period.

## Section 2. Duration

This Plan remains in force until 31 December 2024.
"""

OLD_ENGLISH_DECREE = """# Decree No. 7/2019/ND-CP on village public meetings

## Article 3. Meetings

Every village holds a public meeting of its residents twice a year to discuss local works.

## Article 8. Effect

This Decree takes effect on 1 February 2019.
"""

NEW_ENGLISH_DECREE = """# Decree No. 9/2025/ND-CP on village public meetings

## Article 3. Meetings

Every village holds a public meeting of its residents every month to discuss local works.

## Article 10. Effect

This Decree takes effect on 1 March 2025 and supersedes Decree No. 7/2019/ND-CP.
"""

FILES = {
    "nd-88-2019.md": OLD_DECREE,
    "nd-31-2025.md": NEW_DECREE,
    "nd-40-2026.md": AMENDING_DECREE,
    "resolution-12-2027.md": FUTURE_RESOLUTION,
    "plan-05.md": EXPIRED_PLAN,
    "decree-7-2019.md": OLD_ENGLISH_DECREE,
    "decree-9-2025.md": NEW_ENGLISH_DECREE,
}


def write(folder: Path, names: list[str] | None = None) -> Path:
    """Write the documents ``names`` (default: all) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or list(FILES):
        (folder / name).write_text(FILES[name], encoding="utf-8")
    return folder
