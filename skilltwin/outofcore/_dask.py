"""Dask plumbing: importing it on demand, connecting to a scheduler, partitioning claims."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from skilltwin.errors import ConfigurationError

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["claims_collection", "connect", "heap_kept", "is_dask", "partition_by_employee",
           "require_dask"]

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc mallopt parameters
_KEPT_TRIM, _KEPT_MMAP = 512 << 20, 32 << 20  # 32 MiB: glibc's own largest mmap threshold
_GLIBC_MMAP_DEFAULT = 128 << 10
# Dask settings of the LocalCluster connect("local") starts. The profiler samples every
# worker's stack 100 times a second for the dashboard's profile page (~10% of a worker's CPU
# while it scores); every process checks its event loop every 20 ms and reads the system's
# counters twice a second, which costs ~0.07 CPU-seconds per second of a 2-worker cluster.
_LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}
_heap_lock = threading.Lock()
_heap_users = 0


def require_dask() -> Any:
    """``dask.dataframe``, or a clear error when the ``scale`` extra is not installed."""
    try:
        import dask.dataframe as dd
    except ImportError:
        raise ConfigurationError(
            "Dask is not installed; install the scale extra: pip install 'skilltwin[dask]'."
        ) from None
    return dd


def is_dask(value: object) -> bool:
    """Whether ``value`` is a Dask collection (without importing Dask for pandas input)."""
    return type(value).__module__.startswith(("dask", "dask_expr"))


def connect(scheduler: str = "local", *, timeout: float = 5.0,
            workers: int | None = None) -> Client:
    """A ``distributed.Client``: ``"local"`` starts a LocalCluster on this machine (``workers``
    processes, one thread each, without the workers' statistical profiler and with less
    frequent health checks); ``"tcp://HOST:PORT"`` (or any address Dask accepts) joins a
    running scheduler, giving up after ``timeout`` seconds.
    """
    require_dask()
    import dask
    from distributed import Client, LocalCluster

    if scheduler == "local":
        with dask.config.set(_LOCAL_CLUSTER_CONFIG):
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=":0")
        return Client(cluster)  # type: ignore[no-untyped-call]
    try:
        return Client(scheduler, timeout=timeout)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigurationError(
            f"cannot reach the Dask scheduler at {scheduler!r} within {timeout:g} s ({exc}); "
            "check the address (tcp://HOST:PORT) and that the scheduler is running, or use "
            "--scheduler local."
        ) from None


def claims_collection(claims: object, *, partition_rows: int) -> Any:
    """Claims as a Dask DataFrame: from a Dask DataFrame, a pandas DataFrame (partitioned so
    each employee's claims stay together) or a .parquet/.csv path (Parquet files written
    with ``employee_id`` as their sorted index keep that partitioning: no shuffle)."""
    dd = require_dask()
    if is_dask(claims):
        return claims
    if isinstance(claims, pd.DataFrame):
        return _from_pandas(dd, claims, partition_rows)
    from skilltwin.outofcore.claims import claims_path

    path = claims_path(str(claims))
    if path.suffix.lower() == ".csv":
        return dd.read_csv(str(path), dtype=str, keep_default_na=False, na_values=[""],
                           blocksize="64MB")
    if path.suffix.lower() in (".parquet", ".pq") or path.is_dir():
        return dd.read_parquet(str(path), calculate_divisions=True)
    raise ConfigurationError(
        f"claims file {path}: unknown format {path.suffix!r}; give a .parquet or .csv file."
    )


def _from_pandas(dd: Any, frame: pd.DataFrame, partition_rows: int) -> Any:
    from skilltwin.outofcore.claims import canonical_employees, require_columns

    require_columns(frame.columns)
    frame = canonical_employees(frame)  # one spelling per identity key, bad ids refused
    codes, _ = pd.factorize(frame["employee_id"].astype("str"), sort=True)
    ordered = frame.iloc[np.argsort(codes, kind="stable")]  # claim order kept per employee
    ordered = ordered.set_index(ordered["employee_id"].astype("str").rename("_employee"))
    parts = max(1, -(-len(frame) // partition_rows))
    return dd.from_pandas(ordered, npartitions=parts, sort=True)


def partition_by_employee(claims: Any) -> Any:
    """The claims with every employee's rows inside one partition.

    Frames indexed by employee (known divisions, as :func:`claims_collection` makes from
    pandas or as written by ``to_parquet`` of such a frame) are used as they are; others are
    shuffled once on ``employee_id`` (the only shuffle: scores are never shuffled).
    """
    from skilltwin.outofcore.claims import require_columns

    require_columns([*claims.columns, claims.index.name])
    if claims.known_divisions and claims.index.name in ("_employee", "employee_id"):
        return claims
    if "employee_id" not in claims.columns:
        claims = claims.reset_index()
    return claims.shuffle(on="employee_id")


@contextmanager
def heap_kept() -> Iterator[None]:
    """Keep freed memory in the process heap while the block does its work, then give it back.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_`` set, which on glibc also
    fixes the mmap threshold at 128 KiB: every array above that size (score blocks, sparse
    products) is mapped afresh and its pages faulted in again, which made scoring a
    partition ~40% slower in a worker than in a plain process. Inside the block the
    thresholds are those glibc reaches by itself; afterwards they are set back to the
    worker's and the freed memory is returned to the system (``malloc_trim``), as Dask
    intends. Does nothing elsewhere (other C libraries, or no such variable set).
    """
    global _heap_users
    libc = _glibc() if "MALLOC_TRIM_THRESHOLD_" in os.environ else None
    if libc is None:
        yield
        return
    with _heap_lock:
        _heap_users += 1
        if _heap_users == 1:
            libc.mallopt(_M_TRIM_THRESHOLD, _KEPT_TRIM)
            libc.mallopt(_M_MMAP_THRESHOLD, _KEPT_MMAP)
    try:
        yield
    finally:
        with _heap_lock:
            _heap_users -= 1
            if _heap_users == 0:
                libc.mallopt(_M_TRIM_THRESHOLD, _trim_setting())
                libc.mallopt(_M_MMAP_THRESHOLD, _GLIBC_MMAP_DEFAULT)
                libc.malloc_trim(0)


def _trim_setting() -> int:
    try:
        return int(os.environ["MALLOC_TRIM_THRESHOLD_"])
    except ValueError:
        return _GLIBC_MMAP_DEFAULT


def _glibc() -> Any:
    """The C library when it is glibc (which has ``mallopt``), else ``None``."""
    import ctypes
    import platform

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
