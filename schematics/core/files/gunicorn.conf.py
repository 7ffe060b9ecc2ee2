"""gunicorn's settings, from the environment, with defaults that fit the machine.

gunicorn reads ./gunicorn.conf.py by itself when it starts in the project folder (the
Docker image does); an option given on its command line still wins. The variables are
documented in README.md, under "Serving with gunicorn".
"""

import math
import os
from pathlib import Path

TRUE_VALUES = {"1", "true", "yes", "on"}


def available_cpus(cpu_max: Path = Path("/sys/fs/cgroup/cpu.max")) -> int:
    """CPUs this process may use: its affinity, capped by a cgroup quota (--cpus)."""
    if hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0))
    else:  # macOS and Windows have no affinity: every CPU.
        cpus = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()
    except (OSError, ValueError):
        return cpus
    if quota == "max":
        return cpus
    return max(1, min(cpus, math.ceil(int(quota) / int(period))))


def env_flag(name: str) -> bool:
    """Whether the variable is set to a true value (1, true, yes or on, in any case)."""
    return os.environ.get(name, "").strip().lower() in TRUE_VALUES


# Two workers per CPU plus one, as gunicorn advises:
# https://docs.gunicorn.org/en/stable/design.html#how-many-workers
# An empty variable means the default (gunicorn itself fails on an empty one).
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * available_cpus() + 1)
# "sync" answers one request per worker at a time; "gthread" with GUNICORN_THREADS > 1
# lets a worker wait on slow clients or APIs while serving others.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "sync"
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
# A log line per request costs a sixth of the throughput of a small page: off unless
# asked for (the proxy or load balancer in front usually logs requests already).
accesslog = "-" if env_flag("GUNICORN_ACCESS_LOG") else None
