"""One lock per key, so that concurrent first calls (threads of a Dask scheduler or a web
server) build a derivative or import its module once while unrelated keys do not wait."""
import threading


class KeyedLocks:
    """``locks(key)`` is the same re-entrant lock for equal keys, created on first use.

    Locks are kept for the life of the process: there is one per compiled derivative or
    generated module, which the caches beside them keep anyway."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks = {}

    def __call__(self, key):
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                # re-entrant: a thread that comes back for its own key gets a traceback of the
                # recursion instead of hanging
                lock = self._locks[key] = threading.RLock()
            return lock
