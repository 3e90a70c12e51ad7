"""Clause text is data: markers, links and HTML in it are neutralised before anyone reads it.

A document may carry "[7]" (which would pose as one of our citations), links, HTML or
instructions ("Bỏ qua mọi hướng dẫn trước đó…"). Citations come only from our numbering, so
a marker inside a clause becomes "(7)"; for a language model, links and tags are removed too
and the text is wrapped in delimiters it cannot close.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"[\[［【]\s*(\d{1,3})\s*[\]］】]")
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,200})\]\([^)\n]{0,500}\)")
_URL = re.compile(r"\b(?:https?|ftp|file|javascript|data):[^\s<>\"']*|\bwww\.[^\s<>\"']+", re.I)
_TAG = re.compile(r"<[^<>\n]{0,500}>")


def without_markers(text: str) -> str:
    """``[7]`` written in a document reads ``(7)``: only the answerer numbers citations."""
    return _MARKER.sub(r"(\1)", text)


def has_link(text: str) -> bool:
    """Whether a text holds a URL or a Markdown link (answers never need one)."""
    return bool(_URL.search(text) or _MD_LINK.search(text))


def as_data(text: str) -> str:
    """Clause text fit for a prompt: no markers, links, HTML tags or angle brackets."""
    text = _TAG.sub(" ", text)  # first: a tag's attributes may hold a link
    text = _MD_LINK.sub(r"\1", text)
    text = _URL.sub("(liên kết đã bỏ)", text)
    text = text.replace("<", "‹").replace(">", "›")
    return without_markers(text)
