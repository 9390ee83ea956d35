"""Attach SQLAlchemy event listeners once per target, reliably.

``event.contains`` cannot be trusted for a ``sessionmaker``: its listeners are registered on
a class-level collection keyed by ``id(target)`` that outlives the factory, so a new factory
allocated at a closed one's address looks as if it already had them and would be left without
its guards. A weak mapping from the live target itself has no such ghosts.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import event

Listener = Callable[..., Any]
_attached: weakref.WeakKeyDictionary[Any, set[tuple[str, Listener]]] = weakref.WeakKeyDictionary()


def listen_once(target: Any, listeners: Mapping[str, Listener]) -> None:
    """``event.listen(target, name, fn)`` for each pair not yet attached to this target."""
    done = _attached.setdefault(target, set())
    for name, fn in listeners.items():
        if (name, fn) not in done:
            event.listen(target, name, fn)
            done.add((name, fn))
