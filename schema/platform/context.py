"""The per-request context every field receives as `info.context`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from media.urls import absolute_url
from models.platform import User
from resolvers.platform import Attempts
from resolvers.providers import Services
from schema.platform.loaders import Loaders


@dataclass
class Context:
    services: Services
    request_id: str
    request: Any = None
    viewer: User | None = None
    token: str | None = None
    api_key_id: int | None = None
    attempts: Attempts | None = None  # counts wrong passwords, for the client's address
    connection_params: dict[str, Any] | None = None
    operation_name: str | None = None
    executor: str | None = None  # "compiled" or "reference": what answered the operation
    # The plan's plain completions by field node (`schema.execution.plan`); empty unless
    # compiled.
    plain: dict[int, dict[str, Any]] = field(default_factory=dict)
    replica_allowed: bool = False  # the server lets this caller's lag-tolerant reads lag
    read_replica: bool = False  # the operation's reads were allowed to go to the replica
    wrote: bool = False  # the operation was a mutation
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders()

    def absolute_url(self, url: str) -> str:
        """A media URL as clients get it: absolute (`media.urls`)."""
        return absolute_url(url, self.request)

    def renew_loaders(self) -> None:
        """Empty the loaders' caches: a subscription's context lives from event to event."""
        self.__dict__.pop("loaders", None)
