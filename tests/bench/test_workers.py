"""The workers benchmark reads each process's CPU time and the machine's from /proc: a busy
child of ours is found below us, and its time and the machine's grow while it works."""

import os
import subprocess
import sys
import time

from bench.workers import descendants, machine_seconds, process_seconds

SPIN = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass\n"


def test_a_busy_child_is_found_below_us_and_its_cpu_time_counted():
    machine = machine_seconds()
    child = subprocess.Popen([sys.executable, "-c", SPIN + "time.sleep(30)"])
    try:
        assert child.pid in descendants(os.getpid())
        deadline = time.monotonic() + 60
        while process_seconds(child.pid) < 0.5 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert 0.5 <= process_seconds(child.pid) < 5
        assert machine_seconds() - machine >= 0.5
    finally:
        child.kill()
        child.wait()
    assert child.pid not in descendants(os.getpid())
    assert process_seconds(child.pid) == 0.0  # gone
