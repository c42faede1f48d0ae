"""DataLoaders, made fresh for each request so that nothing is cached across users."""

from functools import cached_property

from strawberry.dataloader import DataLoader

from models.accounts import User
from resolvers import accounts


class Loaders:
    @cached_property
    def user(self) -> DataLoader[int, User | None]:
        return DataLoader(accounts.users_by_ids)
