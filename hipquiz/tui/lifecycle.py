"""Callbacks that outlive their screen.

A callback queued with ``call_after_refresh``, a timer, a worker's ``finally`` or a modal's result
callback may run after the user has left the screen (answer, then Escape at once). By then the
screen is off the stack and its widgets are being removed: any query would raise NoMatches.
Such callbacks are decorated with :func:`while_shown` and do nothing once their screen is gone.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar

from textual.dom import DOMNode, NoScreen

Method = TypeVar("Method", bound=Callable[..., Any])


def is_shown(node: DOMNode) -> bool:
    """Whether ``node`` is still part of a screen on the app's stack (under a modal counts)."""
    try:
        return node.is_attached and node.screen in node.app.screen_stack
    except NoScreen:  # the node has already left its screen
        return False


def while_shown(method: Method) -> Method:
    """Make a widget's or screen's method do nothing once its screen has been dismissed."""
    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def guarded_async(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
            if is_shown(self):
                return await method(self, *args, **kwargs)
            return None

        return guarded_async  # type: ignore[return-value]

    @functools.wraps(method)
    def guarded(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
        if is_shown(self):
            return method(self, *args, **kwargs)
        return None

    return guarded  # type: ignore[return-value]
