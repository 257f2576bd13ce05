"""Ingestion: load documents, split them along their structure, embed, store in Chroma."""
