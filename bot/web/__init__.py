"""Web app: care-team API and pages, the patient's own copy, and (optionally) the chat.

``bot.web.app.create_app`` builds the Sanic app; ``python -m bot.web`` serves it. This
module holds the small helpers the blueprints share.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable, TypeVar

T = TypeVar("T")


async def run_sync(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking work (database, PDF) in the default thread pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(fn, *args, **kwargs))


def render(request, template: str, status: int = 200, headers=None, **context: Any):
    """Render a Jinja2 template (autoescaped) into an HTML response."""
    from sanic import response

    from bot.web.security import csrf_token

    context.setdefault("csrf_token", csrf_token(request))
    context.setdefault("user", getattr(request.ctx, "user", None))
    context.setdefault("role", getattr(request.ctx, "role", None))
    html = request.app.ctx.jinja.get_template(template).render(**context)
    return response.html(html, status=status, headers=headers)


def json_error(message_nl: str, status: int, headers=None):
    """The API's error shape: ``{"error": "<Dutch message>", "status": <code>}``."""
    from sanic import response

    return response.json(
        {"error": message_nl, "status": status}, status=status, headers=headers, ensure_ascii=False
    )
