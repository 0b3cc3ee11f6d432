"""Every fixed text of the bot, in Vietnamese and English.

Texts marked HTML are sent in Telegram's HTML parse mode; values substituted into them must be
escaped by the caller. Texts used in callback-query alerts are plain (Telegram shows them as is).
"""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

_TEXTS: dict[str, dict[Language, str]] = {
    "welcome": {
        "vi": (
            "Xin chào! Tôi trả lời câu hỏi về chủ trương, chính sách của Đảng và Nhà nước về "
            "công tác dân vận, chỉ dựa trên các văn bản đã được lập chỉ mục.\n\n"
            "Mỗi câu trả lời đều dẫn nguồn: bấm <b>[1]</b>, <b>[2]</b>… để xem nguyên văn đoạn "
            "trích. Khi văn bản không đề cập, tôi sẽ nói rõ là không tìm thấy.\n\n"
            "Hãy gửi câu hỏi của bạn, hoặc gõ /help để xem ví dụ."
        ),
        "en": (
            "Hello! I answer questions about Party and State policy on mass mobilization "
            "(dân vận), using only the indexed documents.\n\n"
            "Every answer cites its sources: tap <b>[1]</b>, <b>[2]</b>… to see the exact "
            "passage. When the documents do not say, I tell you so.\n\n"
            "Send me your question, or /help for examples."
        ),
    },
    "help_admin": {
        "vi": (
            "\n\n<b>Quản trị</b>\n"
            "Gửi tệp PDF, DOCX, HTML, TXT hoặc MD (tối đa 20 MB) trong trò chuyện riêng để thêm "
            "văn bản vào chỉ mục.\n"
            "/remove — xoá một văn bản đã tải lên\n"
            "/reindex — lập chỉ mục lại kho văn bản"
        ),
        "en": (
            "\n\n<b>Administration</b>\n"
            "Send a PDF, DOCX, HTML, TXT or MD file (up to 20 MB) in a private chat to add it to "
            "the index.\n"
            "/remove — remove an uploaded document\n"
            "/reindex — re-index the corpus"
        ),
    },
    "help": {
        "vi": (
            "<b>Ví dụ câu hỏi</b>\n"
            "• Nghị quyết 25-NQ/TW được ban hành khi nào?\n"
            "• Nghị định 06/2014/NĐ-CP quy định về vấn đề gì?\n"
            "• Quân đội làm gì để nâng cao hiệu quả công tác dân vận?\n\n"
            "Trong nhóm, hãy nhắc tên tôi (@{username}), trả lời tin nhắn của tôi, "
            "hoặc dùng /ask.\n\n"
            "<b>Lệnh</b>\n"
            "/ask CÂU HỎI — đặt câu hỏi\n"
            "/sources — các văn bản đã lập chỉ mục\n"
            "/reset — xoá lịch sử trò chuyện\n"
            "/lang vi|en — đổi ngôn ngữ của bot"
        ),
        "en": (
            "<b>Example questions</b>\n"
            "• When was Resolution 25-NQ/TW issued?\n"
            "• What does Decree 06/2014/ND-CP regulate?\n"
            "• How does the Military improve its mass mobilization work?\n\n"
            "In a group, mention me (@{username}), reply to one of my messages, or use /ask.\n\n"
            "<b>Commands</b>\n"
            "/ask QUESTION — ask a question\n"
            "/sources — the indexed documents\n"
            "/reset — forget our conversation\n"
            "/lang vi|en — change the bot's language"
        ),
    },
    "not_allowed": {
        "vi": (
            "Xin lỗi, bot này chỉ phục vụ người dùng đã được cấp quyền. ID Telegram của bạn là "
            "<code>{user_id}</code>; hãy gửi ID này cho quản trị viên để được thêm vào danh sách."
        ),
        "en": (
            "Sorry, this bot only serves approved users. Your Telegram ID is "
            "<code>{user_id}</code>; send it to an administrator to be added."
        ),
    },
    "not_allowed_alert": {
        "vi": "Xin lỗi, bạn chưa được cấp quyền dùng bot này. ID Telegram của bạn: {user_id}.",
        "en": "Sorry, you are not approved to use this bot. Your Telegram ID: {user_id}.",
    },
    "admin_only": {
        "vi": "Lệnh này chỉ dành cho quản trị viên.",
        "en": "This command is for administrators only.",
    },
    "empty_question": {
        "vi": "Hãy viết câu hỏi, ví dụ: <i>Nghị quyết 25-NQ/TW được ban hành khi nào?</i>",
        "en": "Please write a question, e.g. <i>When was Resolution 25-NQ/TW issued?</i>",
    },
    "text_only": {
        "vi": "Vui lòng gửi câu hỏi dưới dạng văn bản.",
        "en": "Please send your question as text.",
    },
    "edited": {
        "vi": "Tôi không trả lời lại tin nhắn đã sửa; hãy gửi câu hỏi đã sửa thành tin nhắn mới.",
        "en": "I don't re-answer edited messages; please send the corrected question again.",
    },
    "unknown_command": {
        "vi": "Lệnh không hợp lệ. Xem /help.",
        "en": "Unknown command. See /help.",
    },
    "rate_limited": {
        "vi": "Bạn hỏi hơi nhanh; vui lòng đợi {seconds} giây rồi hỏi lại.",
        "en": "You are asking very quickly; please wait {seconds} s and ask again.",
    },
    "searching": {
        "vi": "Đang tìm trong tài liệu…",
        "en": "Searching the documents…",
    },
    "sources": {"vi": "Nguồn", "en": "Sources"},
    "pages": {"vi": "tr. {pages}", "en": "p. {pages}"},
    "link": {"vi": "liên kết", "en": "link"},
    "quote_unavailable": {
        "vi": "Câu trả lời này không còn được lưu. Vui lòng hỏi lại.",
        "en": "This answer is no longer available. Please ask again.",
    },
    "feedback_thanks": {
        "vi": "Cảm ơn góp ý của bạn.",
        "en": "Thank you for your feedback.",
    },
    "reset_done": {
        "vi": "Đã xoá lịch sử trò chuyện. Bạn có thể hỏi câu mới.",
        "en": "Conversation forgotten. Ask a new question any time.",
    },
    "lang_set": {
        "vi": "Đã chuyển sang tiếng Việt.",
        "en": "Language set to English.",
    },
    "lang_usage": {
        "vi": "Cách dùng: /lang vi hoặc /lang en",
        "en": "Usage: /lang vi or /lang en",
    },
    "documents": {
        "vi": "<b>Văn bản đã lập chỉ mục ({count})</b>",
        "en": "<b>Indexed documents ({count})</b>",
    },
    "no_documents": {
        "vi": "Chưa có văn bản nào được lập chỉ mục.",
        "en": "No documents are indexed yet.",
    },
    "stats": {
        "vi": (
            "<b>Hôm nay</b>\n"
            "Số câu hỏi: {questions}\n"
            "Tỉ lệ từ chối: {refusal_rate}\n"
            "Thời gian trả lời (trung vị): {latency}\n\n"
            "<b>Góp ý (toàn bộ)</b>\n"
            "👍 {up} · 👎 {down}"
        ),
        "en": (
            "<b>Today</b>\n"
            "Questions: {questions}\n"
            "Refusal rate: {refusal_rate}\n"
            "Median answer time: {latency}\n\n"
            "<b>Feedback (all time)</b>\n"
            "👍 {up} · 👎 {down}"
        ),
    },
    "reindex_started": {
        "vi": "Đang lập chỉ mục lại các văn bản…",
        "en": "Re-indexing the documents…",
    },
    "reindex_done": {
        "vi": "Đã lập chỉ mục lại xong: {summary}",
        "en": "Re-indexing finished: {summary}",
    },
    "reindex_failed": {
        "vi": "Lập chỉ mục lại thất bại ({error}). Chi tiết trong nhật ký.",
        "en": "Re-indexing failed ({error}). Details are in the log.",
    },
    "reindex_busy": {
        "vi": "Một lượt lập chỉ mục lại đang chạy.",
        "en": "A re-indexing is already running.",
    },
    "upload_done": {
        "vi": "Đã lập chỉ mục <i>{title}</i> (tệp <code>{name}</code>).",
        "en": "Indexed <i>{title}</i> (file <code>{name}</code>).",
    },
    "upload_type": {"vi": "Loại: {value}", "en": "Type: {value}"},
    "upload_number": {"vi": "Số: {value}", "en": "Number: {value}"},
    "upload_date": {"vi": "Ngày: {value}", "en": "Date: {value}"},
    "upload_articles": {
        "vi": "{articles} điều, {chunks} đoạn",
        "en": "{articles} articles, {chunks} chunks",
    },
    "upload_chunks": {"vi": "{chunks} đoạn", "en": "{chunks} chunks"},
    "upload_refused_type": {
        "vi": "Không nhận tệp <code>{name}</code>: chỉ nhận tệp PDF, DOCX, HTML, TXT và MD.",
        "en": "Cannot add <code>{name}</code>: only PDF, DOCX, HTML, TXT and MD files are taken.",
    },
    "upload_refused_too_big": {
        "vi": "Không nhận tệp <code>{name}</code>: lớn hơn {limit} MB, giới hạn tải về của bot "
        "Telegram.",
        "en": "Cannot add <code>{name}</code>: it is over {limit} MB, the limit of what a "
        "Telegram bot can download.",
    },
    "upload_refused_content": {
        "vi": "Không nhận tệp <code>{name}</code>: nội dung là {actual}, không phải {expected}.",
        "en": "Cannot add <code>{name}</code>: its content is {actual}, not {expected}.",
    },
    "upload_refused_unpacked": {
        "vi": "Không nhận tệp <code>{name}</code>: tệp DOCX này giải nén ra {unpacked} MiB, quá "
        "giới hạn {limit} MiB (có thể là zip bomb).",
        "en": "Cannot add <code>{name}</code>: this DOCX would unpack to {unpacked} MiB, over "
        "the limit of {limit} MiB (a zip bomb?).",
    },
    "upload_refused_duplicate": {
        "vi": "Tệp <code>{name}</code> đã được lập chỉ mục với tên <i>{title}</i>.",
        "en": "<code>{name}</code> is already indexed as <i>{title}</i>.",
    },
    "upload_refused_unreadable": {
        "vi": "Không lập chỉ mục được tệp <code>{name}</code>: {problem}",
        "en": "Could not index <code>{name}</code>: {problem}",
    },
    "upload_failed": {
        "vi": "Thêm văn bản thất bại ({error}). Chi tiết trong nhật ký.",
        "en": "Adding the document failed ({error}). Details are in the log.",
    },
    "format_text": {"vi": "văn bản thuần", "en": "plain text"},
    "format_binary": {"vi": "dữ liệu nhị phân không rõ", "en": "unrecognised binary data"},
    "remove_choose": {
        "vi": "<b>Văn bản đã tải lên ({count})</b>\nChọn văn bản cần xoá khỏi thư mục và chỉ mục:",
        "en": "<b>Uploaded documents ({count})</b>\nChoose the one to remove from the folder and "
        "the index:",
    },
    "remove_none": {
        "vi": "Chưa có văn bản nào được tải lên. Gửi tệp PDF, DOCX, HTML, TXT hoặc MD cho tôi "
        "trong cuộc trò chuyện riêng để thêm.",
        "en": "No documents have been uploaded. Send me a PDF, DOCX, HTML, TXT or MD file in a "
        "private chat to add one.",
    },
    "remove_done": {
        "vi": "Đã xoá <i>{title}</i> (tệp <code>{name}</code>, {chunks} đoạn) khỏi thư mục và "
        "chỉ mục.",
        "en": "Removed <i>{title}</i> (file <code>{name}</code>, {chunks} chunks) from the folder "
        "and the index.",
    },
    "remove_failed": {
        "vi": "Xoá văn bản thất bại ({error}). Chi tiết trong nhật ký.",
        "en": "Removing the document failed ({error}). Details are in the log.",
    },
    "remove_gone": {
        "vi": "Văn bản này không còn trong thư mục tải lên.",
        "en": "This document is no longer in the upload folder.",
    },
    "error": {
        "vi": "Xin lỗi, đã có lỗi khi xử lý tin nhắn của bạn. Vui lòng thử lại.",
        "en": "Sorry, something went wrong while handling your message. Please try again.",
    },
    "command_start": {"vi": "Giới thiệu bot", "en": "What this bot does"},
    "command_help": {"vi": "Ví dụ câu hỏi và các lệnh", "en": "Example questions and commands"},
    "command_ask": {"vi": "Đặt câu hỏi", "en": "Ask a question"},
    "command_sources": {"vi": "Các văn bản đã lập chỉ mục", "en": "The indexed documents"},
    "command_reset": {"vi": "Xoá lịch sử trò chuyện", "en": "Forget the conversation"},
    "command_lang": {"vi": "Đổi ngôn ngữ (vi|en)", "en": "Change language (vi|en)"},
}


def text(key: str, language: Language, **values: object) -> str:
    """Return the fixed text ``key`` in ``language`` with ``values`` substituted."""
    template = _TEXTS[key][language]
    return template.format(**values) if values else template


def language_from_code(language_code: str | None, default: Language) -> Language:
    """Map a Telegram ``language_code`` (``vi``, ``en-US``, ...) to a language of the bot."""
    if language_code:
        primary = language_code.split("-")[0].lower()
        for language in LANGUAGES:
            if primary == language:
                return language
    return default


def parse_language(value: str) -> Language | None:
    """Return the language named by ``value`` (``vi`` or ``en``), or None."""
    value = value.strip().lower()
    for language in LANGUAGES:
        if value == language:
            return language
    return None
