"""Wire values (from :mod:`._unstructure`) to XML text, element by element.

The text is built directly (no tree): every field is an element named after it, a list
is a wrapper element holding one element per item (named after the item's type, e.g.
``<activity>``, or ``<item>`` for scalars), and only text of ``str`` fields can need
escaping. A carriage return is written ``&#13;`` so that it survives the XML parser's
line-end normalisation.
"""

from __future__ import annotations

from typing import Any, Final

from ssbx_model.codec._plan import CASE, ListOf, Node, Obj, Scalar

__all__ = ["case_xml", "escape"]

_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def escape(text: str) -> str:
    """``text`` as XML character data."""
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def _scalar_text(node: Scalar, value: Any) -> str:
    if node.kind == "str":
        return escape(value)
    if node.kind == "bool":
        return "true" if value else "false"
    return str(value)


def _write(node: Node, tag: str, value: Any, out: list[str], indent: str | None) -> None:
    if isinstance(node, Scalar):
        out.append(f"<{tag}>{_scalar_text(node, value)}</{tag}>")
        return
    inner = None if indent is None else indent + "  "
    if isinstance(node, ListOf):
        if not value:
            out.append(f"<{tag}/>")
            return
        out.append(f"<{tag}>")
        for item in value:
            if inner is not None:
                out.append(inner)
            _write(node.item, node.item_tag, item, out, inner)
        if indent is not None:
            out.append(indent)
        out.append(f"</{tag}>")
        return
    _object(node, tag, value, out, indent, "")


def _object(
    obj: Obj, tag: str, value: dict[str, Any], out: list[str], indent: str | None, attributes: str
) -> None:
    out.append(f"<{tag}{attributes}>")
    inner = None if indent is None else indent + "  "
    for f in obj.fields:
        item = value.get(f.name)
        if item is None:
            continue
        if inner is not None:
            out.append(inner)
        _write(f.node, f.name, item, out, inner)
    if indent is not None:
        out.append(indent)
    out.append(f"</{tag}>")


def case_xml(
    value: dict[str, Any], out: list[str], *, indent: str | None = None, attributes: str = ""
) -> None:
    """Append the ``<case>`` element of one case's wire value to ``out``.

    ``indent`` is the newline and indentation before the element (None: compact);
    ``attributes`` is written into the start tag (the root's namespace and version).
    """
    _object(CASE, "case", value, out, indent, attributes)
