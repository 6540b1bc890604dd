"""One way to turn a stored row into a dataclass: each field from the column of the same name, converted by
the field's declared type (epoch seconds to aware datetimes, 0/1 to bools, "HH:MM" to times).

A field stored differently (a duration in seconds, JSON, an enum) is passed explicitly::

    from_row(CheckIn, row, window=timedelta(seconds=row["window_seconds"]))
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, time
from typing import Any, TypeVar

from bot.db.codec import from_epoch, time_from_text

T = TypeVar("T")

Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _optional(convert: Convert) -> Convert:
    def maybe(value: Any) -> Any:
        return None if value is None else convert(value)

    return maybe


_BY_TYPE: dict[Any, Convert] = {datetime: from_epoch, bool: bool, time: time_from_text}


def _converter(hint: Any) -> Convert:
    if hint in _BY_TYPE:
        return _BY_TYPE[hint]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and args[0] in _BY_TYPE:
            return _optional(_BY_TYPE[args[0]])
    return _identity


_PLANS: dict[type, tuple[tuple[str, Convert], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, Convert], ...]:
    """The (field, converter) pairs of a dataclass, computed once per class."""
    plan = _PLANS.get(cls)
    if plan is not None:
        return plan
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    hints = typing.get_type_hints(cls)
    plan = tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls) if f.init)
    _PLANS[cls] = plan
    return plan


def from_row(cls: type[T], row: Mapping[str, Any] | Any, **given: Any) -> T:
    """``cls`` built from ``row``; keyword arguments supply (or override) fields not stored as-is."""
    values = {}
    for name, convert in _plan(cls):
        if name in given:
            values[name] = given[name]
        else:
            values[name] = convert(row[name])
    return cls(**values)
