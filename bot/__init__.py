"""The answering side: retrieval, grounded answers, the eval, and the Telegram shell.

Everything here except `bot.telegram` is independent of Telegram, so the CLI, the eval and
the bot share one engine.
"""
