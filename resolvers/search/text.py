"""Indonesian text as search sees it: folded words, and their stems for the index.

Both engines index and query the same stems, computed here, so SQLite FTS5 and
PostgreSQL full text match exactly the same words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8

# Function words that carry no product meaning; dropped from both documents and queries.
STOPWORDS = frozenset(
    ["dan", "atau", "yang", "di", "ke", "dari", "untuk", "dengan", "pada", "dalam", "ini", "itu",
     "juga", "per", "se"]
)  # fmt: skip

_stemmer = Stemmer(ArrayDictionary(StemmerFactory().get_words()))  # cached below, bounded
_outside = re.compile(r"[^a-z0-9]+")
_reduplication = re.compile(r"(?<=[a-z])2\b")  # informal "kue2" for "kue-kue"
# PostgreSQL's parser reads a word that starts like "2e4" as a number and the rest as
# another word ("2e4abc" is "2e4" and "abc"), so this module splits it there too.
_exponent = re.compile(r"\b(\d+e\d+)(?=[a-z])")


def fold(text: str) -> str:
    """Lower case ASCII without accents; anything else separates words.

    Only a-z and 0-9 survive, and words are split where PostgreSQL's parser splits numbers
    off, so SQLite's and PostgreSQL's tokenizers split the result exactly where this module
    does, whatever their locale.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_only = _outside.sub(" ", bare)
    return _exponent.sub(r"\1 ", _reduplication.sub("", ascii_only))


def words(text: str) -> list[str]:
    return fold(text).split()


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    # Sastrawi strips letters it does not know from words with digits ("500gr"), so those stay.
    if not word.isalpha():
        return word
    return _stemmer.stem_word(word) or word


def terms(text: str) -> list[str]:
    """The distinct stems of `text` in order, without stopwords: what the index holds."""
    found: dict[str, None] = {}
    for word in words(text):
        if word not in STOPWORDS:
            found.setdefault(stem(word), None)
    return list(found)


def query_words(text: str) -> list[str]:
    """A query's meaningful words, folded, bounded in number and length."""
    kept = [w for w in words(text[:MAX_QUERY_CHARS]) if w not in STOPWORDS]
    return list(dict.fromkeys(kept))[:MAX_QUERY_WORDS]
