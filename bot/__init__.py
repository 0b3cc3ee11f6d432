"""policybot's application layer: answering, the Telegram bot and the command line."""
