"""What the unanswered questions are about: the content words most of them share, for
/stats ("what is the knowledge base missing?")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from replikasi.indonesian import STOPWORDS

# Words of asking, not of topics (both languages), beyond the function words of STOPWORDS.
_ASKING_TEXT = """
    cara caranya contoh contohnya gimana jelaskan sebutkan tolong mohon minta info
    informasi bagaimanakah apakah berapakah explain describe give list show example
    """
_ASKING = frozenset(_ASKING_TEXT.split())
_WORD = re.compile(r"[^\W\d_]{3,}")


def top_topics(questions: Iterable[str], limit: int = 8) -> list[tuple[str, int]]:
    """The `limit` words found in the most questions (each question counts a word once),
    with that number; ties in order of first appearance."""
    counts: Counter[str] = Counter()
    for question in questions:
        words = dict.fromkeys(_WORD.findall(question.lower()))
        counts.update(w for w in words if w not in STOPWORDS and w not in _ASKING)
    return [(word, count) for word, count in counts.most_common(limit) if count > 0]
