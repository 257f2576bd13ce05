"""How informative each term is: inverse document frequency over one index generation."""

from __future__ import annotations

import math
from collections.abc import Mapping


class TermWeights:
    """Inverse document frequencies over the chunks of one index generation."""

    def __init__(self, chunk_terms: Mapping[str, frozenset[str]]) -> None:
        self.n = max(len(chunk_terms), 1)
        df: dict[str, int] = {}
        for terms in chunk_terms.values():
            for term in terms:
                df[term] = df.get(term, 0) + 1
        self.df = df

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))
