"""The deployment files of `deploy/` as this machine runs them: only its addresses, ports and
paths put in place of the production ones, so that every directive that runs is the file's
own (the topology's HAProxy, and the deploy files' tests)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def rendered(text: str, replacements: Mapping[str, str]) -> str:
    """`text` with each production value replaced; each must be there, so that a change to the
    file that drops one fails here rather than running something else."""
    for production, local in replacements.items():
        if production not in text:
            raise ValueError(f"{production!r} is no longer in the file")
        text = text.replace(production, local)
    return text
