"""Web sources: official pages and documents added by their address and kept fresh.

addresses.py  which addresses may be fetched (no private networks), how they are logged
fetch.py      the guarded, conditional, size- and time-limited fetch
registry.py   the `WebSource` record and what the store provides for it
passages.py   the passage diff between two versions
sources.py    add, check and remove sources (fetch → knowledge/web/ → ingest)
cli.py        `replikasi ingest --url`
"""
