"""What the composition root hands to resolvers: the media store and the event broker."""

from dataclasses import dataclass

from media.storage import Storage
from resolvers.events import Broker


@dataclass(frozen=True)
class Services:
    storage: Storage
    events: Broker
