"""The Telegram front end: handlers, rendering, access control and the application."""
