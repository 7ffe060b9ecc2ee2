import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load_config(monkeypatch, **environ):
    """Run gunicorn.conf.py afresh with only the given gunicorn variables set."""
    for name in (
        "WEB_CONCURRENCY",
        "GUNICORN_WORKER_CLASS",
        "GUNICORN_THREADS",
        "GUNICORN_ACCESS_LOG",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_two_sync_workers_per_cpu_plus_one_without_access_log(monkeypatch):
    config = load_config(monkeypatch)

    assert config["workers"] == 2 * config["available_cpus"]() + 1
    assert config["worker_class"] == "sync"
    assert config["threads"] == 1
    assert config["accesslog"] is None


def test_workers_class_threads_and_access_log_from_the_environment(monkeypatch):
    config = load_config(
        monkeypatch,
        WEB_CONCURRENCY="3",
        GUNICORN_WORKER_CLASS="gthread",
        GUNICORN_THREADS="4",
        GUNICORN_ACCESS_LOG="True",
    )

    assert config["workers"] == 3
    assert config["worker_class"] == "gthread"
    assert config["threads"] == 4
    assert config["accesslog"] == "-"


def test_empty_variables_mean_the_defaults(monkeypatch):
    config = load_config(
        monkeypatch,
        WEB_CONCURRENCY="",
        GUNICORN_WORKER_CLASS="",
        GUNICORN_THREADS="",
        GUNICORN_ACCESS_LOG="",
    )

    assert config["workers"] == 2 * config["available_cpus"]() + 1
    assert config["worker_class"] == "sync"
    assert config["threads"] == 1
    assert config["accesslog"] is None


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [
        ("150000 100000\n", 2),  # --cpus=1.5: two workers' worth, rounded up
        ("50000 100000\n", 1),  # never less than one
        ("max 100000\n", 4),  # no quota: the affinity
        ("800000 100000\n", 4),  # a quota above the affinity does not add CPUs
        ("garbage\n", 4),
    ],
)
def test_a_cgroup_quota_caps_the_cpus(monkeypatch, tmp_path, cpu_max, expected):
    config = load_config(monkeypatch)
    monkeypatch.setattr(
        "os.sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False
    )
    quota = tmp_path / "cpu.max"
    quota.write_text(cpu_max)

    assert config["available_cpus"](quota) == expected


def test_without_a_cgroup_file_every_cpu_of_the_affinity(monkeypatch, tmp_path):
    config = load_config(monkeypatch)
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)

    assert config["available_cpus"](tmp_path / "missing") == 3


def test_without_affinity_every_cpu(monkeypatch, tmp_path):
    config = load_config(monkeypatch)
    monkeypatch.delattr("os.sched_getaffinity", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 6)

    assert config["available_cpus"](tmp_path / "missing") == 6
