"""The per-article work on a Dask cluster: a LocalCluster of two worker processes on 127.0.0.1
that the tests start, and its briefs compared with a local run's."""

from __future__ import annotations

import contextlib
import faulthandler
import importlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
import dask  # noqa: E402

from briefing import dask_executor  # noqa: E402
from briefing.dask_executor import DaskExecutor  # noqa: E402
from briefing.errors import SchedulerError  # noqa: E402
from briefing.guard import FileLimits  # noqa: E402
from briefing.options import BriefingOptions  # noqa: E402
from briefing.pipeline import build_briefing  # noqa: E402

LIMITS = FileLimits(seconds=30)


def misbehave(item: str) -> str:
    """Return ``item`` in capitals, unless it names a way to fail (run on the workers)."""
    if item == "raise":
        raise ValueError("a reader's own bug\non two lines")
    if item == "crash":
        faulthandler.disable()
        os.kill(os.getpid(), signal.SIGSEGV)
    return item.upper()


def failed(item: str, reason: str) -> str:
    return f"{item}: {reason}"


@pytest.fixture(scope="module")
def cluster():
    # A task whose worker dies is not handed to another one to kill too.
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as local,
    ):
        yield local


@pytest.fixture
def client(cluster):
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as connected:
        yield connected


def _without_generated(briefing) -> dict:
    data = briefing.to_dict()
    data.pop("generated")
    return data


@pytest.mark.parametrize("batch", [1024, 3])
def test_a_brief_made_on_a_dask_cluster_is_the_brief_of_a_local_run(
    cluster, tmp_path, examples, monkeypatch, batch
):
    # Files are sent to the workers a batch at a time; in batches of 3, the bad ones fall
    # between batches and within them.
    monkeypatch.setattr(importlib.import_module("briefing.load"), "REMOTE_BATCH_FILES", batch)
    folder = tmp_path / "in"
    shutil.copytree(examples, folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a whole PDF")
    (folder / "notes.xyz").write_text("An unsupported file.")
    (folder / "empty.txt").write_text("")
    (folder / "french.txt").write_text(
        "Le gouvernement a annoncé mardi un nouveau plan pour les transports publics de la "
        "région, qui doit entrer en vigueur au printemps prochain selon le ministre.\n"
        "Les syndicats ont dénoncé une réforme préparée sans eux et appellent à la grève.\n"
        "Le conseil régional votera le budget du plan au mois de juin, après une longue "
        "consultation des communes et des associations d'usagers.\n"
    )
    remote = build_briefing([folder], BriefingOptions(scheduler=cluster.scheduler_address))
    local = build_briefing([folder], BriefingOptions())
    assert _without_generated(remote) == _without_generated(local)
    assert len(remote.skipped) == 4
    assert {s.path.name for s in remote.skipped} == {
        "broken.pdf", "notes.xyz", "empty.txt", "french.txt",
    }  # fmt: skip


def test_the_cluster_skips_a_file_whose_reader_fails_or_kills_its_worker(client, monkeypatch):
    # Few, large batches: the batch with the crash is lost whole and retried file by file.
    monkeypatch.setattr(dask_executor, "CHUNKS_PER_WORKER", 1)
    executor = DaskExecutor(client)
    items = ["a", "raise", "b", "crash", "c", "d"]
    results = list(executor.map_files(misbehave, items, failed, LIMITS))
    assert results[:3] == [
        "A", "raise: its reader failed (ValueError: a reader's own bug on two lines)", "B",
    ]  # fmt: skip
    assert results[3].startswith("crash: its reader stopped a Dask worker (KilledWorker")
    assert results[4:] == ["C", "D"]


def test_results_come_back_in_order_over_many_batches(client):
    items = [f"item {i}" for i in range(2000)]
    assert list(DaskExecutor(client).map(misbehave, items)) == [i.upper() for i in items]


def test_an_exception_outside_a_reader_ends_the_run(client):
    with pytest.raises(ValueError, match="a reader's own bug"):
        list(DaskExecutor(client).map(misbehave, ["a", "raise", "b"]))


@pytest.mark.parametrize("address", ["nonsense", "tcp://127.0.0.1", ""])
def test_an_address_that_names_no_scheduler_is_refused_at_once(address):
    with (
        pytest.raises(SchedulerError, match="is not a Dask scheduler address"),
        DaskExecutor.connect(address),
    ):
        pass


def test_a_scheduler_with_no_workers_is_named(monkeypatch):
    monkeypatch.setattr(dask_executor, "CONNECT_SECONDS", 1)
    with distributed.LocalCluster(
        n_workers=0, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as empty:
        address = empty.scheduler_address
        with pytest.raises(SchedulerError, match="has no workers"), DaskExecutor.connect(address):
            pass


def test_briefing_build_names_a_scheduler_it_cannot_use_in_one_line(tmp_path, examples):
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "build", str(examples), "-o", str(tmp_path / "b.docx"),
         "--scheduler", "not-an-address"],
        check=False, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: 'not-an-address' is not a Dask scheduler address (such as tcp://10.0.0.5:8786):"
        " missing port number in address 'not-an-address'"
    ]
    assert not (tmp_path / "b.docx").exists()


def test_briefing_build_runs_on_the_scheduler_it_is_given(cluster, tmp_path, examples):
    out = tmp_path / "b.md"
    command = [sys.executable, "-m", "briefing", "build", str(examples), "--no-state", "-o"]
    remote = subprocess.run(
        [*command, str(out), "--scheduler", cluster.scheduler_address],
        check=False, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert remote.returncode == 0, remote.stderr
    local = subprocess.run([*command, str(tmp_path / "local.md")], check=False, timeout=120)
    assert local.returncode == 0
    assert out.read_text() == (tmp_path / "local.md").read_text()


def test_the_config_file_can_name_the_scheduler(tmp_path: Path):
    from briefing.config import load_config

    path = tmp_path / "briefing.toml"
    path.write_text('[input]\npaths = ["in"]\n[briefing]\nscheduler = "tcp://127.0.0.1:8786"\n')
    assert load_config(path).briefing.scheduler == "tcp://127.0.0.1:8786"


@contextlib.contextmanager
def _server(greeting: bytes | None):
    """A TCP server on 127.0.0.1 that sends ``greeting`` to whoever connects and holds the
    connection open (None: says nothing; b"": hangs up at once); yields its address."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = listener.accept()
                held.append(conn)
                if greeting == b"":
                    conn.close()
                elif greeting is not None:
                    conn.sendall(greeting)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()
        for conn in held:
            conn.close()


@pytest.mark.parametrize(
    ("greeting", "says"),
    [
        (None, "does not answer as a Dask scheduler"),
        (b"SSH-2.0-OpenSSH_9.6\r\n", "is not a Dask scheduler"),
        (b"", "is not a Dask scheduler"),
    ],
)
def test_a_server_that_is_not_a_dask_scheduler_is_named_in_one_line(greeting, says, monkeypatch):
    monkeypatch.setattr(dask_executor, "CONNECT_SECONDS", 1)
    with _server(greeting) as address:
        started = time.monotonic()
        with pytest.raises(SchedulerError, match=says), DaskExecutor.connect(address):
            pass
        assert time.monotonic() - started < 5


def test_an_address_of_a_transport_dask_lacks_is_refused_at_once():
    with (
        pytest.raises(SchedulerError, match="unknown scheme 'http'"),
        DaskExecutor.connect("http://127.0.0.1:8786"),
    ):
        pass


def test_a_closed_port_is_named_without_waiting():
    with socket.create_server(("127.0.0.1", 0)) as unused:
        port = unused.getsockname()[1]
    started = time.monotonic()
    with (
        pytest.raises(SchedulerError, match="cannot reach the Dask scheduler"),
        DaskExecutor.connect(f"tcp://127.0.0.1:{port}"),
    ):
        pass
    assert time.monotonic() - started < 5
