"""Asisten Replikasi Inovasi: shared core (settings, embeddings, index) and the CLI."""

__version__ = "0.1.0"
