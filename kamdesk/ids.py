"""Client-generated identifiers (UUID version 7: time-ordered, so B-tree inserts stay local)."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A UUIDv7 string; monotonic within this process even when the clock stalls or steps back."""
    global _last_ms, _counter
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        if now_ms <= _last_ms:
            _counter += 1
            if _counter > 0xFFF:  # 12-bit counter exhausted: borrow the next millisecond
                _last_ms += 1
                _counter = 0
            now_ms = _last_ms
        else:
            _last_ms = now_ms
            _counter = 0
        rand_a = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (now_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= rand_a << 64
    value |= 0b10 << 62
    value |= rand_b
    return str(uuid.UUID(int=value))


def uuid7_batch(count: int) -> list[str]:
    """``count`` UUIDv7 strings at once (bulk seeding); still monotonic with ``uuid7()``."""
    global _last_ms, _counter
    with _lock:
        now_ms = max(time.time_ns() // 1_000_000, _last_ms + 1)
        # spread the batch over as many milliseconds as the 12-bit counter needs
        _last_ms = now_ms + count // 0x1000
        _counter = 0
    noise = os.urandom(8 * count)
    ids: list[str] = []
    for i in range(count):
        ms = now_ms + (i >> 12)
        rand_b = int.from_bytes(noise[8 * i : 8 * i + 8], "big") & ((1 << 62) - 1)
        value = ((ms & ((1 << 48) - 1)) << 80) | (0x7 << 76) | ((i & 0xFFF) << 64)
        h = f"{value | (0b10 << 62) | rand_b:032x}"
        ids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return ids
