"""A Vietnamese decree in the official format, printed to page images and bound as a scanned PDF.

The pages are drawn with Pillow in DejaVu Serif (which has every precomposed Vietnamese letter),
slightly rotated and speckled as a flatbed scan is, and saved as a PDF made only of images: the
PDF has no text layer at all, so every word the index holds must come from OCR.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")

# (text, style): "center" and "bold" lines are centred; "left|right" is the two-column header.
DECREE: list[tuple[str, str]] = [
    ("CHÍNH PHỦ|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "columns"),
    ("|Độc lập - Tự do - Hạnh phúc", "columns"),
    ("Số: 27/2026/NĐ-CP|Hà Nội, ngày 12 tháng 3 năm 2026", "columns"),
    ("NGHỊ ĐỊNH", "bold"),
    ("Quy định về công tác dân vận của cơ quan hành chính nhà nước các cấp", "center"),
    ("Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;", "text"),
    ("Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;", "text"),
    ("Theo đề nghị của Bộ trưởng Bộ Nội vụ;", "text"),
    (
        "Chính phủ ban hành Nghị định quy định về công tác dân vận của cơ quan hành chính nhà "
        "nước các cấp.",
        "text",
    ),
    ("Chương I", "bold"),
    ("QUY ĐỊNH CHUNG", "bold"),
    ("Điều 1. Phạm vi điều chỉnh", "heading"),
    (
        "Nghị định này quy định nội dung, hình thức và trách nhiệm thực hiện công tác dân vận "
        "của cơ quan hành chính nhà nước, cán bộ, công chức, viên chức.",
        "text",
    ),
    ("Điều 2. Đối tượng áp dụng", "heading"),
    ("1. Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ.", "text"),
    ("2. Ủy ban nhân dân các cấp và các cơ quan chuyên môn thuộc Ủy ban nhân dân.", "text"),
    (
        "3. Cán bộ, công chức, viên chức làm việc trong các cơ quan nêu tại khoản 1 và khoản 2 "
        "Điều này.",
        "text",
    ),
    ("Điều 3. Nguyên tắc thực hiện", "heading"),
    ("1. Tôn trọng, lắng nghe và bảo đảm quyền làm chủ của Nhân dân.", "text"),
    (
        "2. Công khai, minh bạch trong giải quyết công việc có liên quan đến người dân và "
        "doanh nghiệp.",
        "text",
    ),
    ("Chương II", "bold"),
    ("NỘI DUNG CÔNG TÁC DÂN VẬN", "bold"),
    ("Điều 4. Tiếp xúc, đối thoại với Nhân dân", "heading"),
    (
        "1. Chủ tịch Ủy ban nhân dân cấp xã tổ chức đối thoại trực tiếp với Nhân dân ít nhất "
        "mỗi quý một lần.",
        "text",
    ),
    (
        "2. Chủ tịch Ủy ban nhân dân cấp tỉnh tổ chức đối thoại với Nhân dân ít nhất mỗi năm "
        "hai lần.",
        "text",
    ),
    (
        "3. Ý kiến, kiến nghị của Nhân dân tại buổi đối thoại phải được trả lời bằng văn bản "
        "trong thời hạn 15 ngày làm việc.",
        "text",
    ),
    ("Điều 5. Giải quyết phản ánh, kiến nghị", "heading"),
    (
        "1. Cơ quan tiếp nhận phản ánh, kiến nghị phải ghi vào sổ theo dõi và thông báo cho "
        "người gửi biết trong thời hạn 05 ngày làm việc.",
        "text",
    ),
    (
        "2. Kết quả giải quyết phản ánh, kiến nghị được công khai trên cổng thông tin điện tử "
        "của cơ quan.",
        "text",
    ),
    ("Điều 6. Xây dựng mô hình “Dân vận khéo”", "heading"),
    (
        "1. Mỗi xã, phường, đặc khu xây dựng ít nhất một mô hình “Dân vận khéo” trong lĩnh vực "
        "hành chính mỗi năm.",
        "text",
    ),
    (
        "2. Mô hình được đánh giá, biểu dương vào dịp tổng kết công tác dân vận hằng năm.",
        "text",
    ),
    ("Chương III", "bold"),
    ("TỔ CHỨC THỰC HIỆN", "bold"),
    ("Điều 7. Trách nhiệm của Bộ Nội vụ", "heading"),
    (
        "Bộ Nội vụ hướng dẫn, kiểm tra việc thực hiện Nghị định này và tổng hợp báo cáo Thủ "
        "tướng Chính phủ trước ngày 15 tháng 12 hằng năm.",
        "text",
    ),
    ("Điều 8. Hiệu lực thi hành", "heading"),
    ("Nghị định này có hiệu lực thi hành kể từ ngày 01 tháng 5 năm 2026.", "text"),
    ("Nơi nhận:|TM. CHÍNH PHỦ", "columns"),
    ("- Các bộ, cơ quan ngang bộ;|THỦ TƯỚNG", "columns"),
    ("- HĐND, UBND các tỉnh, thành phố;|", "columns"),
    ("- Lưu: VT, NC.|Nguyễn Văn Minh", "columns"),
]

DPI = 200
_WORD = re.compile(r"\w+")


def decree_text() -> str:
    """The words of the decree as printed (columns side by side), one line per entry."""
    return "\n".join(line.replace("|", " ") for line, _ in DECREE)


def write_scanned_pdf(path: Path, lines: list[tuple[str, str]] = DECREE, seed: int = 7) -> int:
    """Print ``lines`` on A4 page images at DPI and save them as an image-only PDF.

    Returns the number of pages.
    """
    rng = random.Random(seed)
    width, height = round(8.27 * DPI), round(11.69 * DPI)
    margin, size = round(0.9 * DPI), round(12 / 72 * DPI)
    regular, bold = ImageFont.truetype(str(FONT), size), ImageFont.truetype(str(BOLD), size)
    pages: list[Image.Image] = []
    page, y = _new_page(width, height), margin
    draw = ImageDraw.Draw(page)
    for text, style in lines:
        font = bold if style in ("bold", "heading") else regular
        rows = [text] if style == "columns" else _wrap(draw, text, font, width - 2 * margin)
        for row in rows:
            if y + size * 1.6 > height - margin:
                pages.append(page)
                page, y = _new_page(width, height), margin
                draw = ImageDraw.Draw(page)
            _draw_row(draw, row, style, font, width, margin, y)
            y += round(size * 1.6)
        y += round(size * 0.5)
    pages.append(page)
    scanned = [_scan(image, rng) for image in pages]
    scanned[0].save(path, save_all=True, append_images=scanned[1:], resolution=DPI)
    return len(scanned)


def word_share(original: str, recognised: str) -> float:
    """Return the share of the original's words (with multiplicity) found in the OCR text."""
    expected, found = Counter(_words(original)), Counter(_words(recognised))
    return sum((expected & found).values()) / sum(expected.values())


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def _new_page(width: int, height: int) -> Image.Image:
    return Image.new("L", (width, height), 255)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, room: int
) -> list[str]:
    rows: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > room:
            rows.append(current)
            current = word
        else:
            current = candidate
    return [*rows, current] if current else rows


def _draw_row(
    draw: ImageDraw.ImageDraw, row: str, style: str, font: ImageFont.FreeTypeFont,
    width: int, margin: int, y: int,
) -> None:
    if style == "columns":
        left, right = row.split("|")
        half = width // 2
        for text, centre in ((left, margin + (half - margin) // 2), (right, half + half // 2 - 40)):
            if text:
                x = centre - draw.textlength(text, font=font) / 2
                draw.text((x, y), text, font=font, fill=0)
        return
    x = margin
    if style in ("center", "bold"):
        x = round((width - draw.textlength(row, font=font)) / 2)
    draw.text((x, y), row, font=font, fill=0)


def _scan(page: Image.Image, rng: random.Random) -> Image.Image:
    """Make a clean page look scanned: a small skew and some dark specks."""
    skewed = page.rotate(rng.uniform(-0.4, 0.4), resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = skewed.load()
    assert pixels is not None
    for _ in range(skewed.width * skewed.height // 4000):
        pixels[rng.randrange(skewed.width), rng.randrange(skewed.height)] = rng.randrange(60, 160)
    return skewed
