"""Passwords are hashed at argon2-cffi's production parameters (RFC 9106's low-memory profile).
The tests' own server hashes at the lowest cost (tests/conftest.py); the app's code in a process
of its own hashes as deployed."""

import asyncio
import sys

from argon2 import extract_parameters, profiles

from resolvers.platform.accounts import hash_password

HASH = "import asyncio, resolvers.platform.accounts as a; print(asyncio.run(a.hash_password('x')))"


async def test_passwords_are_hashed_at_the_production_cost():
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HASH, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await command.communicate()
    assert command.returncode == 0
    assert extract_parameters(out.decode().strip()) == profiles.RFC_9106_LOW_MEMORY
    # The check tells the costs apart: the tests' own hashes are not at the production one.
    assert extract_parameters(await hash_password("x")) != profiles.RFC_9106_LOW_MEMORY
