"""Generated Python source, compiled and registered so that tracebacks show its lines.

The codec's readers and the model's type checks are Python functions generated once, when
their module is imported, from a description (the wire plan, a class's type hints). They
are compiled under a file name of their own and registered with :mod:`linecache` through
its public :func:`linecache.lazycache` and the import system's ``get_source`` protocol, so
a traceback through them shows the generated line that raised, like any other source.
"""

from __future__ import annotations

import linecache
from typing import Any, Final

__all__ = ["compile_generated"]


class _GeneratedSource:
    """A loader in the sense of :func:`linecache.lazycache`: it gives the source text of
    one generated module (``get_source``), and nothing else."""

    def __init__(self, source: str) -> None:
        self._source = source

    def get_source(self, name: str) -> str:
        """The generated source (``name`` is the generated module's name)."""
        return self._source


_PREFIX: Final = "ssbx_model generated: "


def compile_generated(source: str, name: str, namespace: dict[str, Any]) -> dict[str, Any]:
    """Run generated ``source`` in ``namespace`` (which it fills) and return ``namespace``.

    ``name`` says what the code is (``"json reader"``); the code's file name is
    ``ssbx_model generated: <name>``. The namespace gets ``__name__`` and ``__loader__``,
    which :mod:`traceback` and :func:`linecache.lazycache` use to find the source again,
    even after :func:`linecache.clearcache`.
    """
    filename = f"{_PREFIX}{name}"
    namespace["__name__"] = f"ssbx_model.generated.{name.replace(' ', '_')}"
    namespace["__loader__"] = _GeneratedSource(source)
    code = compile(source, filename, "exec")
    exec(code, namespace)
    linecache.lazycache(filename, namespace)
    return namespace
