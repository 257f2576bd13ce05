"""The Telegram face of the assistant: a thin shell around `bot.engine.AnswerEngine`.

Handlers parse updates, call the engine or the store, and render Telegram HTML; no answering
logic lives here. Start it with `replikasi serve` (see `bot.telegram.app.run_bot`).
"""
