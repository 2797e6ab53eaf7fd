"""Rich text people write, made safe to show: an allow-list HTML sanitiser (nh3, the Python
binding of Rust's ammonia), applied on the server before anything is stored.

Only the tags and attributes listed here survive. Everything else goes: scripts and styles
with their content, event handlers (``onerror``, ``onclick`` …), ``style`` and ``class``
attributes, and links or images whose URL is not http(s) or mailto (``javascript:``,
``data:``). Links get ``rel="noopener noreferrer nofollow"``.
"""

from __future__ import annotations

import nh3

TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "div", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol",
        "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise(html: str) -> str:
    """``html`` with only the allowed markup left, whitespace at the ends trimmed."""
    cleaned = nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return cleaned.strip()
