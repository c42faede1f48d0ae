"""`scripts/topology up|down|test [--quick]`: see `topology.hosts` and `topology.faults`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from topology.hosts import Topology

ROOT = Path("var/topology")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/topology")
    parser.add_argument("command", choices=["up", "down", "test"])
    parser.add_argument("--quick", action="store_true", help="the short form run by .ci/run")
    args = parser.parse_args(argv)
    root = ROOT.absolute()
    if args.command == "down":
        if (root / "state.json").exists():
            Topology.load(root).down()
        return 0
    if (root / "state.json").exists():
        Topology.load(root).down()  # what a failed run left behind
    topology = Topology(root)
    topology.up()
    print(f"SatuPintu behind HAProxy on {topology.url}/graphql", flush=True)
    if args.command == "up":
        return 0
    from topology.faults import run

    try:
        return asyncio.run(run(topology, quick=args.quick))
    finally:
        topology.down()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
