"""Spelling correction against the index's own vocabulary: pure functions, no I/O.

A query word the index does not know is replaced by the known term closest to it:
one edit (a letter missing, extra, wrong or two letters swapped) for words of four
letters or more, two edits from eight letters on; ties go to the term more products use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
MIN_LENGTH = 4
TWO_EDITS_FROM = 8


def allowed_edits(word: str) -> int:
    if len(word) < MIN_LENGTH:
        return 0
    return 2 if len(word) >= TWO_EDITS_FROM else 1


def one_edit_away(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return (deletes | swaps | replaces | inserts) - {word}


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent swaps)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class Candidate:
    term: str
    documents: int


def best_correction(word: str, candidates: Iterable[Candidate]) -> str | None:
    """The closest candidate within the edits `word` allows, the more used on ties."""
    limit = allowed_edits(word)
    scored = [
        (d, -c.documents, c.term)
        for c in candidates
        if c.documents > 0 and c.term != word and (d := distance(word, c.term)) <= limit
    ]
    return min(scored)[2] if scored else None
