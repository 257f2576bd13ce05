"""The dictums of a decree (Keputusan): it decides in "KESATU", "KEDUA", … instead of Pasal.

Shared by ingest, which cuts a decree into one passage per dictum ("Diktum KEDUA", number 2),
and by the question analysis, which finds the dictum a question names ("diktum kedua",
"diktum ke-2").
"""

from __future__ import annotations

_ORDINALS = [
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
    "KESEBELAS",
]
_TEENS = ["DUA", "TIGA", "EMPAT", "LIMA", "ENAM", "TUJUH", "DELAPAN", "SEMBILAN"]

# "KEDUA" -> 2, "KEDUA BELAS" -> 12 (one space between words)
DIKTUM_NUMBERS: dict[str, int] = {
    "PERTAMA": 1,
    **{word: number for number, word in enumerate(_ORDINALS, start=1)},
    **{f"KE{word} BELAS": number for number, word in enumerate(_TEENS, start=12)},
    "KEDUA PULUH": 20,
}


def diktum_word(number: int) -> str:
    """ "KEDUA" for 2 (the word a decree writes), or the number itself beyond the table."""
    return next(
        (word for word, n in DIKTUM_NUMBERS.items() if n == number and word != "PERTAMA"),
        str(number),
    )
