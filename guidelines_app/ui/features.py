"""The main window's features by name: what each feature's ``install(window)``
returned, reachable without patching attributes onto the window.

    history = window.features.get("history", HistoryFeature)  # typed
    window.features["history"]                                # untyped

The features are installed on first need (``ui.feature_loader``): asking for
one here installs them all first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


class Features:
    def __init__(self) -> None:
        self._by_name: dict[str, Any] = {}
        self._loader: Callable[[], None] | None = None

    def set_loader(self, loader: Callable[[], None]) -> None:
        """What installs the features when one is first asked for."""
        self._loader = loader

    def ensure_loaded(self) -> None:
        loader, self._loader = self._loader, None
        if loader is not None:
            loader()

    def add(self, name: str, feature: Any) -> None:
        if name in self._by_name:
            raise ValueError(f"a feature named {name!r} is already installed")
        self._by_name[name] = feature

    def get(self, name: str, kind: type[T]) -> T:
        """The feature installed as *name*, checked to be a *kind*."""
        self.ensure_loaded()
        feature = self._by_name[name]
        if not isinstance(feature, kind):
            raise TypeError(f"feature {name!r} is a {type(feature).__name__}, not a {kind.__name__}")
        return feature

    def __getitem__(self, name: str) -> Any:
        self.ensure_loaded()
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        self.ensure_loaded()
        return name in self._by_name

    def __iter__(self) -> Iterator[str]:
        self.ensure_loaded()
        return iter(self._by_name)
