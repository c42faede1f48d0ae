"""What a query asks for: its terms, with unknown words corrected to known ones."""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.search import text
from resolvers.search.engines import Engine, Source
from resolvers.search.spelling import allowed_edits, best_correction


@dataclass(frozen=True)
class Understood:
    terms: list[str]
    # The query as corrected, when a word was corrected; else None.
    suggestion: str | None
    # How many rows hold the rarest term: at most this many rows match.
    documents: int


async def understand(search: Engine, source: Source, query: str) -> Understood | None:
    """The terms to match, or None when the query has no words worth matching."""
    words = text.query_words(query)
    if not words:
        return None
    stems = [text.stem(w) for w in words]
    known = await search.known(source, stems)
    shown, terms, corrected = [], [], False
    for word, stem in zip(words, stems, strict=True):
        fix = None
        if stem not in known and allowed_edits(stem):
            candidates = await search.candidates(source, stem)
            fix = best_correction(stem, candidates)
            known.update((c.term, c.documents) for c in candidates if c.term == fix)
        corrected = corrected or fix is not None
        shown.append(fix or word)
        terms.append(fix or stem)
    documents = min(known.get(t, 0) for t in terms)
    return Understood(list(dict.fromkeys(terms)), " ".join(shown) if corrected else None, documents)
