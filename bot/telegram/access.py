"""Who may use the bot: the allow-lists of the ``telegram`` settings."""

from __future__ import annotations

from telegram.constants import ChatType

from bot.telegram.settings import TelegramSettings

_GROUP_TYPES = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})


def is_admin(settings: TelegramSettings, user_id: int) -> bool:
    """Return whether the user may run the admin commands."""
    return user_id in settings.admin_user_ids


def is_allowed(settings: TelegramSettings, *, user_id: int, chat_id: int, chat_type: str) -> bool:
    """Return whether the user may ask in this chat.

    Allowed are: everyone when ``open_to_all``; admins; listed users in any chat; and every
    member of a listed group.
    """
    return (
        settings.open_to_all
        or is_admin(settings, user_id)
        or user_id in settings.allowed_user_ids
        or (chat_type in _GROUP_TYPES and chat_id in settings.allowed_chat_ids)
    )


def is_closed(settings: TelegramSettings) -> bool:
    """Return whether nobody but the admins can use the bot (empty allow-lists, not open)."""
    return not (settings.open_to_all or settings.allowed_user_ids or settings.allowed_chat_ids)
