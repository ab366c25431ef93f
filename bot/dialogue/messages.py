"""The shape of what the assistant says: channel-independent outgoing messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass
class Button:
    title: str
    payload: str

    def to_dict(self) -> Dict[str, str]:
        return {"title": self.title, "payload": self.payload}


@dataclass
class Message:
    """One outgoing message: text (with optional buttons) or a custom JSON payload."""

    text: Optional[str] = None
    buttons: List[Button] = field(default_factory=list)
    custom: Optional[Dict[str, Any]] = None

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        if self.text is not None:
            out["text"] = self.text
        if self.buttons:
            out["buttons"] = [b.to_dict() for b in self.buttons]
        if self.custom is not None:
            out["custom"] = self.custom
        return out


def inform_payload(code: str) -> str:
    """Button payload that carries an option code (see docs/architecture.md)."""
    return '/inform{"code": "%s"}' % code
