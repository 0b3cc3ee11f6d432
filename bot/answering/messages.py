"""Fixed phrases of answers and refusals, in Vietnamese and English."""

from __future__ import annotations

from vectorstore.legalref import MissingReference

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "sources": "Sources",
        "empty": "Please type a question in words, for example: "
        "“When was Resolution 25-NQ/TW issued?”",
        "too_long": "The question is too long ({length} characters; the limit is {limit}). "
        "Please ask a shorter question.",
        "small_greeting": "Hello! Ask me about the indexed documents on mass mobilization "
        "(resolutions, decrees, directives, movements, reports): I answer briefly, every point "
        "with its source. For example: “When was Resolution 25-NQ/TW issued?”",
        "small_thanks": "Glad to help. Ask another question about the documents whenever you "
        "like.",
        "small_about": "I answer questions about the indexed documents on mass mobilization "
        "(resolutions, decrees, directives, movements, reports), in Vietnamese or English, "
        "quoting the passages I rely on, and I say so when the documents do not answer. For "
        "example: “When was Resolution 25-NQ/TW issued?”",
        "instructions": "I only answer questions about the indexed policy documents, and I "
        "cannot change my rules or reveal my instructions. Please ask about a resolution, "
        "decree, directive or movement.",
        "unknown_document": "No indexed document mentions {names}. I will not guess what it "
        "says.",
        "unknown_article": "{documents} as indexed has no {reference}. I will not guess what it "
        "says.",
        "not_found": "The indexed documents do not answer this question.",
        "other_year": "The documents found give this for {found}, not for {wanted}. I will not "
        "answer for {wanted} from another year's figures.",
        "other_year_none": "The documents found do not give this for {wanted}. I will not answer "
        "for {wanted} from figures that name no year.",
        "other_entity": "The passages that answer this are not about {name}: the documents do not "
        "give it for {name}, and I will not answer from a neighbouring one's figures.",
        "other_level": "The passages found give this for another level (a commune, a district, "
        "a province or the whole country) than the question asks about. I will not answer from "
        "another level's figures.",
        "other_target": "The passages found give this only as a target or a plan, not as what "
        "was done. I will not report a target as a result.",
        "other_period": "The passages found give this rate for another period (a day, a month, "
        "a quarter or a year) than the question asks about. I will not convert it.",
        "other_document": "The passages that answer this are not from {document} and do not "
        "name it. I will not answer a question about {document} from another document.",
        "other_number": "The passages closest to this question never mention “{number}”. I "
        "will not answer it from passages about something else.",
        "unsupported_premise": "No indexed document says so: the passages about this never "
        "mention “{event}”. I will not explain an event the documents do not report.",
        "searched": "I searched {documents} documents for: {terms}.",
        "suggest": "Try rephrasing, or name the document or its number. Closest documents: "
        "{titles}.",
        "suggest_plain": "Try rephrasing, or name the document or its number.",
        "no_documents": "No documents are indexed yet, so I cannot answer. An administrator "
        "should run the ingestion first.",
        # Validity of documents (bot/answering/validity.py).
        "v_replaced": "{doc} was replaced by {by}{when}.",
        "v_replaced_plain": "{doc} has been replaced.",
        "v_repealed": "{doc} was repealed by {by}{when}.",
        "v_repealed_plain": "{doc} has been repealed.",
        "v_expired": "{doc} is no longer in force: it applied until {date}.",
        "v_amended": "{articles} of {doc} {verb} amended by {by}{when}.",
        "v_amended_doc": "{doc} was amended by {by}{when}.",
        "v_amended_verb_one": "was",
        "v_amended_verb_many": "were",
        "v_not_yet": "{doc} takes effect on {date}; it is not in force yet.",
        "v_in_force": "{doc} is in force{since}.",
        "v_pending": "{doc} will be replaced by {by} from {date}.",
        "v_effective": "{doc} takes effect on {date}.",
        "v_effective_past": "{doc} took effect on {date}.",
        "v_effective_signing": "{doc} takes effect from the date of signing.",
        "v_no_replacement": "No indexed document replaces {doc}.",
        "v_no_amendment": "No indexed document amends {doc}.",
        "v_replaces": "{doc} replaces {targets}.",
        "v_since": " since {date}",
        "v_from": " from {date}",
        "v_not_in_library": ", which is not in the library",
        "v_under_new": "Under the text in force:",
        "v_older_text": "The text below is no longer in force:",
        "v_as_asked": "As the question asks about {doc}, the answer is from it:",
        "v_article": "Article {n}",
        "v_articles": "Articles {n}",
        "v_and": "and",
        "v_label_in_force": "in force",
        "v_label_not_yet_in_force": "not yet in force",
        "v_label_amended": "amended",
        "v_label_replaced": "replaced",
        "v_label_repealed": "repealed",
        "v_label_expired": "expired",
        "v_label_unknown": "status unknown",
    },
    "vi": {
        "sources": "Nguồn",
        "empty": "Vui lòng nhập câu hỏi bằng chữ, ví dụ: "
        "“Nghị quyết 25-NQ/TW ban hành ngày nào?”",
        "too_long": "Câu hỏi quá dài ({length} ký tự; giới hạn là {limit}). "
        "Vui lòng hỏi ngắn gọn hơn.",
        "small_greeting": "Xin chào! Bạn hãy hỏi về các văn bản đã được lập chỉ mục về công "
        "tác dân vận (nghị quyết, nghị định, chỉ thị, phong trào, báo cáo): tôi trả lời ngắn gọn, "
        "mỗi ý đều kèm nguồn. Ví dụ: “Nghị quyết 25-NQ/TW ban hành ngày nào?”",
        "small_thanks": "Rất vui được giúp. Bạn cứ hỏi tiếp về các văn bản bất cứ lúc nào.",
        "small_about": "Tôi trả lời câu hỏi về các văn bản đã được lập chỉ mục về công tác dân "
        "vận (nghị quyết, nghị định, chỉ thị, phong trào, báo cáo), bằng tiếng Việt hoặc tiếng "
        "Anh, trích dẫn đoạn văn làm căn cứ, và nói rõ khi tài liệu không trả lời được. Ví dụ: "
        "“Nghị quyết 25-NQ/TW ban hành ngày nào?”",
        "instructions": "Tôi chỉ trả lời câu hỏi về các văn bản chính sách đã được lập chỉ mục, "
        "và không thể thay đổi quy tắc hay tiết lộ hướng dẫn của mình. Vui lòng hỏi về một nghị "
        "quyết, nghị định, chỉ thị hoặc phong trào.",
        "unknown_document": "Không có văn bản nào trong kho tài liệu nhắc đến {names}. "
        "Tôi sẽ không đoán nội dung của văn bản này.",
        "unknown_article": "{documents} trong kho tài liệu không có {reference}. "
        "Tôi sẽ không đoán nội dung này.",
        "not_found": "Các tài liệu đã lập chỉ mục không trả lời được câu hỏi này.",
        "other_year": "Tài liệu tìm được chỉ nêu nội dung này cho năm {found}, không có năm "
        "{wanted}. Tôi sẽ không dùng số liệu của năm khác để trả lời cho năm {wanted}.",
        "other_year_none": "Tài liệu tìm được không nêu nội dung này cho năm {wanted}. "
        "Tôi sẽ không dùng số liệu không ghi năm để trả lời cho năm {wanted}.",
        "other_entity": "Các đoạn văn trả lời được câu hỏi này không nói về {name}: tài liệu không "
        "nêu nội dung này cho {name}, và tôi sẽ không dùng số liệu của nơi khác để trả lời.",
        "other_level": "Tài liệu tìm được chỉ nêu nội dung này cho một cấp khác (xã, huyện, tỉnh "
        "hay cả nước) với cấp mà câu hỏi nêu. Tôi sẽ không dùng số liệu của cấp khác để trả lời.",
        "other_target": "Tài liệu tìm được chỉ nêu nội dung này như một mục tiêu hay kế hoạch, "
        "không phải kết quả đã đạt. Tôi sẽ không dùng mục tiêu để trả lời thay cho kết quả.",
        "other_period": "Tài liệu tìm được nêu mức này theo một kỳ khác (ngày, tháng, quý hay năm) "
        "với kỳ mà câu hỏi nêu. Tôi sẽ không tự quy đổi.",
        "other_document": "Các đoạn văn trả lời được câu hỏi này không thuộc {document} và không "
        "nhắc đến văn bản đó. Tôi sẽ không dùng văn bản khác để trả lời câu hỏi về {document}.",
        "other_number": "Các đoạn văn gần nhất với câu hỏi này không hề nhắc đến “{number}”. "
        "Tôi sẽ không dùng đoạn văn về nội dung khác để trả lời.",
        "unsupported_premise": "Không có tài liệu nào nói như vậy: các đoạn văn về nội dung này "
        "không hề nhắc đến việc “{event}”. Tôi sẽ không giải thích một sự việc mà tài liệu không "
        "ghi nhận.",
        "searched": "Tôi đã tìm trong {documents} tài liệu với các từ khóa: {terms}.",
        "suggest": "Hãy thử diễn đạt lại, hoặc nêu tên hay số hiệu văn bản. "
        "Tài liệu gần nhất: {titles}.",
        "suggest_plain": "Hãy thử diễn đạt lại, hoặc nêu tên hay số hiệu văn bản.",
        "no_documents": "Chưa có tài liệu nào được lập chỉ mục nên tôi chưa thể trả lời. "
        "Quản trị viên cần chạy bước nạp tài liệu trước.",
        "v_replaced": "{doc} đã được thay thế bởi {by}{when}.",
        "v_replaced_plain": "{doc} đã được thay thế.",
        "v_repealed": "{doc} đã bị bãi bỏ bởi {by}{when}.",
        "v_repealed_plain": "{doc} đã bị bãi bỏ.",
        "v_expired": "{doc} không còn hiệu lực: văn bản áp dụng đến hết ngày {date}.",
        "v_amended": "{articles} của {doc} đã được sửa đổi, bổ sung bởi {by}{when}.",
        "v_amended_doc": "{doc} đã được sửa đổi, bổ sung bởi {by}{when}.",
        "v_amended_verb_one": "",
        "v_amended_verb_many": "",
        "v_not_yet": "{doc} có hiệu lực từ ngày {date}; hiện chưa có hiệu lực.",
        "v_in_force": "{doc} đang có hiệu lực{since}.",
        "v_pending": "{doc} sẽ được thay thế bởi {by} từ ngày {date}.",
        "v_effective": "{doc} có hiệu lực từ ngày {date}.",
        "v_effective_past": "{doc} có hiệu lực từ ngày {date}.",
        "v_effective_signing": "{doc} có hiệu lực kể từ ngày ký.",
        "v_no_replacement": "Không có văn bản nào trong thư viện thay thế {doc}.",
        "v_no_amendment": "Không có văn bản nào trong thư viện sửa đổi, bổ sung {doc}.",
        "v_replaces": "{doc} thay thế {targets}.",
        "v_since": " từ ngày {date}",
        "v_from": " từ ngày {date}",
        "v_not_in_library": ", văn bản này không có trong thư viện",
        "v_under_new": "Theo văn bản đang có hiệu lực:",
        "v_older_text": "Nội dung dưới đây không còn hiệu lực:",
        "v_as_asked": "Câu hỏi nêu {doc}, nên câu trả lời lấy từ văn bản này:",
        "v_article": "Điều {n}",
        "v_articles": "Các Điều {n}",
        "v_and": "và",
        "v_label_in_force": "đang có hiệu lực",
        "v_label_not_yet_in_force": "chưa có hiệu lực",
        "v_label_amended": "đã được sửa đổi",
        "v_label_replaced": "đã được thay thế",
        "v_label_repealed": "đã bị bãi bỏ",
        "v_label_expired": "đã hết hiệu lực",
        "v_label_unknown": "chưa rõ hiệu lực",
    },
}


def text(language: str, key: str, **values: object) -> str:
    """Return the fixed phrase ``key`` in ``language`` (English when unknown), filled in."""
    phrases = TEXTS.get(language, TEXTS["en"])
    return phrases[key].format(**values)


def status_label(language: str, status: str | None) -> str:
    """Return the short label of a document status ("replaced", "đã được thay thế")."""
    return text(language, f"v_label_{status or 'unknown'}")


MARKED_STATUSES = frozenset({"replaced", "repealed", "expired", "not_yet_in_force"})


def citation_mark(language: str, status: str | None) -> str:
    """Return " (replaced)" for a citation of a text not in force, else an empty string."""
    return f" ({status_label(language, status)})" if status in MARKED_STATUSES else ""


def unknown_article(language: str, missing: MissingReference) -> str:
    """Return the refusal for an article or clause that the named documents do not have."""
    documents = "; ".join(f"“{document.title}”" for document in missing.documents[:3])
    return text(
        language, "unknown_article", documents=documents,
        reference=missing.reference.label(language),
    )
