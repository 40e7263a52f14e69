"""A finished Briefing as JSON-ready data (``to_dict``): scores, labels and reasons included."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..models import Briefing, Item, Section
from .text import flat_text, path_text


def _number(value: float) -> float | None:
    """Return ``value`` as a plain float, or None when it is NaN or infinite (not JSON)."""
    number = float(value)
    return number if math.isfinite(number) else None


def _item_dict(item: Item) -> dict[str, Any]:
    return {
        "text": flat_text(item.text),
        "citations": [int(n) for n in item.citations],
        "label": item.label,
        "confidence": _number(item.confidence),
        "score": _number(item.score),
        "why": flat_text(item.why),
    }


def _sections_data(sections: Iterable[Section]) -> list[dict[str, Any]]:
    return [
        {
            "kind": section.kind,
            "title": section.title,
            "items": [_item_dict(item) for item in section.items],
        }
        for section in sections
        if section.items
    ]


def to_dict(briefing: Briefing) -> dict[str, Any]:
    """Return ``briefing`` (a Briefing) as JSON-ready data (dict); dates are ISO strings."""
    return {
        "title": flat_text(briefing.title),
        "date": briefing.date.isoformat(),
        "generated": briefing.generated.isoformat(),
        "coverage": flat_text(briefing.coverage),
        "method": briefing.method,
        "files_read": briefing.files_read,
        "articles_read": briefing.articles_read,
        "before_since": briefing.before_since,
        "sections": _sections_data(briefing.sections),
        "stories": [
            {
                "headline": flat_text(story.headline),
                "status": story.status or None,
                "sources": list(story.sources),
                "bottom_line": _item_dict(story.bottom_line) if story.bottom_line else None,
                "sections": _sections_data(story.sections),
            }
            for story in briefing.stories
        ],
        "also": [
            {
                "headline": flat_text(story.headline),
                "status": story.status or None,
                "sources": list(story.sources),
            }
            for story in briefing.also
        ],
        "left_out": briefing.left_out,
        "sources": [
            {
                "number": source.number,
                "title": flat_text(source.title),
                "source": flat_text(source.source),
                "published": source.published.isoformat() if source.published else None,
                "location": flat_text(source.location),
            }
            for source in briefing.sources
        ],
        "skipped": [
            {"path": path_text(skipped.path), "reason": flat_text(skipped.reason)}
            for skipped in briefing.skipped
        ],
    }

