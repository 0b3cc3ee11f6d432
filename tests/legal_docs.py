"""A Vietnamese decree in the official administrative format, written out as DOCX or PDF.

The layout follows Decree 30/2020/NĐ-CP on administrative documents: issuing body and national
motto side by side, number and dateline side by side, the type and subject, the ``Căn cứ``
preamble, chapters, articles with clauses and points, then the distribution list beside the
signature block. The wording is written for these tests; its facts are seeded here and nowhere
else, so a test that finds them found them in this decree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

ISSUER = "CHÍNH PHỦ"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NUMBER = "Số: 06/2014/NĐ-CP"
DATELINE = "Hà Nội, ngày 21 tháng 01 năm 2014"
DOC_TYPE = "NGHỊ ĐỊNH"
SUBJECT = (
    "Về biện pháp vận động quần chúng bảo vệ an ninh quốc gia, giữ gìn trật tự, an toàn xã hội"
)
PREAMBLE = (
    "Căn cứ Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001;",
    "Căn cứ Luật An ninh quốc gia ngày 03 tháng 12 năm 2004;",
    "Theo đề nghị của Bộ trưởng Bộ Công an,",
    "Chính phủ ban hành Nghị định về biện pháp vận động quần chúng bảo vệ an ninh quốc gia, "
    "giữ gìn trật tự, an toàn xã hội.",
)
DISTRIBUTION = (
    "Nơi nhận:",
    "- Ban Bí thư Trung ương Đảng;",
    "- Thủ tướng, các Phó Thủ tướng Chính phủ;",
    "- Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ;",
    "- Lưu: Văn thư, KGVX (3b).",
)
SIGNATURE = ("TM. CHÍNH PHỦ", "THỦ TƯỚNG", "(Đã ký)", "Nguyễn Tấn Dũng")
SIGNER = "Nguyễn Tấn Dũng"
TITLE = (
    "Nghị định 06/2014/NĐ-CP về biện pháp vận động quần chúng bảo vệ an ninh quốc gia, "
    "giữ gìn trật tự, an toàn xã hội"
)

# Seeded facts, each in one known article and clause.
FACT_ARTICLE_5_CLAUSE_2 = (
    "Hội nghị nhân dân ở thôn, tổ dân phố về an ninh, trật tự được tổ chức ít nhất "
    "hai lần mỗi năm, vào tháng Tư và tháng Mười."
)
FACT_ARTICLE_5_CLAUSE_3 = (
    "Mỗi xã xây dựng ít nhất một mô hình tự quản về an ninh, trật tự ở khu dân cư, "
    "do Ban công tác Mặt trận chủ trì."
)
FACT_ARTICLE_7 = "Nghị định này có hiệu lực thi hành kể từ ngày 10 tháng 3 năm 2014."


@dataclass(frozen=True)
class Article:
    """One article: its heading line, an optional lead-in, its clauses (each a list of lines)."""

    heading: str
    lead: str | None = None
    clauses: tuple[tuple[str, ...], ...] = ()


CHAPTERS: tuple[tuple[str, str, tuple[Article, ...]], ...] = (
    (
        "Chương I",
        "QUY ĐỊNH CHUNG",
        (
            Article(
                "Điều 1. Phạm vi điều chỉnh",
                "Nghị định này quy định về mục đích, nguyên tắc, nội dung, hình thức và biện pháp "
                "vận động quần chúng tham gia bảo vệ an ninh quốc gia, giữ gìn trật tự, an toàn "
                "xã hội.",
            ),
            Article(
                "Điều 2. Đối tượng áp dụng",
                "Nghị định này áp dụng đối với cơ quan, tổ chức, cá nhân Việt Nam và tổ chức, cá "
                "nhân nước ngoài cư trú, hoạt động trên lãnh thổ Việt Nam.",
            ),
            Article(
                "Điều 3. Nguyên tắc vận động quần chúng",
                None,
                (
                    ("1. Đặt dưới sự lãnh đạo của Đảng, sự quản lý thống nhất của Nhà nước.",),
                    (
                        "2. Tôn trọng quyền làm chủ của nhân dân, phát huy sức mạnh đại đoàn kết "
                        "toàn dân tộc.",
                    ),
                    (
                        "3. Kết hợp chặt chẽ giữa vận động quần chúng với các biện pháp công tác "
                        "khác của lực lượng Công an nhân dân.",
                    ),
                ),
            ),
        ),
    ),
    (
        "Chương II",
        "NỘI DUNG VÀ HÌNH THỨC VẬN ĐỘNG QUẦN CHÚNG",
        (
            Article(
                "Điều 4. Nội dung vận động quần chúng",
                None,
                (
                    (
                        "1. Tuyên truyền, phổ biến chủ trương của Đảng, chính sách, pháp luật của "
                        "Nhà nước về bảo vệ an ninh quốc gia, giữ gìn trật tự, an toàn xã hội.",
                    ),
                    (
                        "2. Động viên quần chúng phát hiện, tố giác tội phạm và tham gia phòng "
                        "ngừa vi phạm pháp luật ở cơ sở.",
                    ),
                ),
            ),
            Article(
                "Điều 5. Hình thức vận động quần chúng",
                "Việc vận động quần chúng được thực hiện bằng các hình thức sau đây:",
                (
                    (
                        "1. Tuyên truyền trực tiếp tại cộng đồng dân cư, trên các phương tiện "
                        "thông tin đại chúng và qua hệ thống loa truyền thanh cơ sở; nội dung "
                        "tuyên truyền phải ngắn gọn, dễ hiểu, phù hợp với phong tục, tập quán "
                        "và trình độ của từng địa bàn, từng đối tượng, kể cả đồng bào dân tộc "
                        "thiểu số ở vùng sâu, vùng xa, vùng biên giới và hải đảo.",
                    ),
                    (
                        "2. Tổ chức hội nghị nhân dân theo các quy định sau:",
                        f"a) {FACT_ARTICLE_5_CLAUSE_2}",
                        "b) Thành phần hội nghị gồm đại diện các hộ gia đình, cán bộ Mặt trận, "
                        "các đoàn thể và lực lượng Công an xã;",
                        "c) Ý kiến của nhân dân tại hội nghị được tổng hợp, báo cáo Ủy ban nhân "
                        "dân cấp xã trong thời hạn mười ngày;",
                        "d) Kết quả hội nghị được thông báo lại cho nhân dân tại cuộc họp gần "
                        "nhất của thôn, tổ dân phố.",
                    ),
                    (
                        f"3. {FACT_ARTICLE_5_CLAUSE_3} Mô hình tự quản được sơ kết hằng năm và "
                        "tổng kết sau ba năm thực hiện để nhân rộng những cách làm hay, sáng "
                        "tạo, phù hợp với điều kiện của từng địa phương.",
                    ),
                    (
                        "4. Biểu dương, khen thưởng kịp thời tập thể, cá nhân có thành tích "
                        "trong phong trào toàn dân bảo vệ an ninh Tổ quốc theo quy định của "
                        "pháp luật về thi đua, khen thưởng; việc khen thưởng được công khai tại "
                        "khu dân cư nơi tập thể, cá nhân đó sinh sống hoặc làm việc.",
                    ),
                ),
            ),
        ),
    ),
    (
        "Chương III",
        "TỔ CHỨC THỰC HIỆN",
        (
            Article(
                "Điều 6. Trách nhiệm của Bộ Công an",
                "Bộ Công an chủ trì, phối hợp với Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam "
                "hướng dẫn, kiểm tra việc thực hiện Nghị định này.",
            ),
            Article("Điều 7. Hiệu lực thi hành", FACT_ARTICLE_7),
        ),
    ),
)


def body_lines() -> list[str]:
    """Return the lines of the decree between its header and its signature, in order."""
    lines = list(PREAMBLE)
    for chapter, chapter_title, articles in CHAPTERS:
        lines += [chapter, chapter_title]
        for article in articles:
            lines.append(article.heading)
            if article.lead:
                lines.append(article.lead)
            for clause in article.clauses:
                lines.extend(clause)
    return lines


def write_docx(path: Path) -> Path:
    """Write the decree as a DOCX whose header and signature are two-column tables."""
    import docx

    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = ISSUER
    header.cell(0, 1).text = "\n".join(MOTTO)
    header.cell(1, 0).text = NUMBER
    header.cell(1, 1).text = DATELINE
    document.add_paragraph(DOC_TYPE)
    document.add_paragraph(SUBJECT)
    for line in body_lines():
        document.add_paragraph(line)
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text = "\n".join(DISTRIBUTION)
    signature.cell(0, 1).text = "\n".join(SIGNATURE)
    document.save(str(path))
    return path


def write_pdf(path: Path) -> Path:
    """Write the decree as a PDF laid out like the paper copy: two columns where it has them."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", fname=str(DEJAVU))
    pdf.add_font("dejavu", style="B", fname=str(DEJAVU_BOLD))
    pdf.set_margins(20, 15, 15)
    pdf.add_page()
    left, right = 65.0, 110.0

    def two_columns(pairs: list[tuple[str, str]], size: int = 10) -> None:
        for first, second in pairs:
            pdf.set_font("dejavu", "B", size)
            pdf.cell(left, 6, first, align="C")
            pdf.cell(right, 6, second, align="C", new_x="LMARGIN", new_y="NEXT")

    two_columns([(ISSUER, MOTTO[0]), ("", MOTTO[1])])
    pdf.ln(3)
    pdf.set_font("dejavu", "", 10)
    pdf.cell(left, 6, NUMBER, align="C")
    pdf.cell(right, 6, DATELINE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("dejavu", "B", 13)
    pdf.cell(0, 7, DOC_TYPE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("dejavu", "B", 10)
    pdf.multi_cell(0, 6, SUBJECT, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("dejavu", "", 11)
    for line in body_lines():
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(6)
    rows = max(len(DISTRIBUTION), len(SIGNATURE))
    for index in range(rows):
        recipient = DISTRIBUTION[index] if index < len(DISTRIBUTION) else ""
        signing = SIGNATURE[index] if index < len(SIGNATURE) else ""
        pdf.set_font("dejavu", "", 9)
        pdf.cell(left + 20, 5, recipient)
        pdf.set_font("dejavu", "B", 10)
        pdf.cell(right - 20, 5, signing, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path
