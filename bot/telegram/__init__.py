"""The Telegram face of the assistant: a thin shell around the answer engine's narrow front
(`bot.engine_front.EngineFront`).

Handlers parse updates, call the engine or the store, and render Telegram HTML; no answering
logic lives here. The commands are the rows of `command_table.py`; `app.py` builds the
application and `runner.py` runs it (`replikasi serve`).
"""
