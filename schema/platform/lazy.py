"""What a domain's types take from a later domain's module, found when first used.

A domain's types name a later domain's types through `strawberry.lazy` (the annotation),
and a resolver that builds one takes its class from `later`, so the imports between domain
packages run one way (tests/test_layers.py) while the fields stay where clients find them.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any


@cache
def later(module: str, name: str) -> Any:
    """`name` of the module `module`, imported on first use."""
    return getattr(importlib.import_module(module), name)
