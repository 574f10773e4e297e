"""agent_console.models is one module per area, reached through the package by name
(models/__init__.py WHERE): every model must be listed there, where it really is."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import pytest

from agent_console import models


def defined_models() -> dict[str, str]:
    """Every dataclass defined in an area module -> that module's short name."""
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"agent_console.models.{info.name}")
        for name, value in vars(module).items():
            if dataclasses.is_dataclass(value) and value.__module__ == module.__name__:
                found[name] = info.name
    return found


def test_every_model_is_listed_where_it_is_defined() -> None:
    assert defined_models() == models.WHERE


@pytest.mark.parametrize("name", sorted(models.WHERE))
def test_the_package_gives_each_model(name: str) -> None:
    value = getattr(models, name)
    assert value.__name__ == name
    assert value.__module__ == f"agent_console.models.{models.WHERE[name]}"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018


def test_type_checkers_see_the_same_names() -> None:
    """pyright cannot follow __getattr__: __all__ and the TYPE_CHECKING imports spell WHERE
    out, and must not drift from it."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(models))
    seen: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(models.__name__):
            for alias in node.names:
                seen[alias.name] = (node.module or "").rsplit(".", 1)[-1]
    assert seen == models.WHERE
    assert models.__all__ == sorted(models.WHERE)
