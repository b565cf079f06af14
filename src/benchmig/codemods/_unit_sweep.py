"""Sweeps: a loop over parameter values on the path to the timed region becomes params axes.

``for bs in BATCH_SIZES`` is one axis (or the hardware list, for a loop over devices);
``for k, v in TABLE.items()`` an axis of keys with ``v`` looked up; a loop that unpacks each
value is one axis per name over ``itertools.product``, else one axis of tuples. Progress bars
around the iterable are seen through. Values that cannot be known make the unit unsafe.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from benchmig.codemods._unit_eval import UNKNOWN, ParamRef
from benchmig.codemods._unit_plan import Builder, Unsafe, config_ref, hardware_ref, jsonable
from benchmig.codemods._unit_vocab import (
    DEVICE_NAMES,
    code,
    hardware_in_text,
    natural_param_name,
    qualnames_of,
    without_progress_bar,
)

__all__ = ["sweep", "sweep_source"]


def sweep_source(node: cst.BaseExpression) -> cst.BaseExpression:
    """``[int(b) for b in args.batch_sizes.split(",")]`` -> ``args.batch_sizes``."""
    for _ in range(6):
        if isinstance(node, cst.ListComp | cst.GeneratorExp):
            node = node.for_in.iter
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and (node.func.attr.value in {"split", "items", "keys", "values", "strip"})
        ):
            node = node.func.value
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Name)
            and node.args
            and (node.func.value in {"list", "sorted", "tuple", "reversed", "set"})
        ):
            node = node.args[0].value
        else:
            break
    return node


def _sweep_values(b: Builder, statement: cst.For) -> tuple[str, str | None, list[Any]]:
    target, iterable = statement.target, without_progress_bar(statement.iter, b.ctx.resolve)
    value_var: str | None = None
    if isinstance(target, cst.Tuple) and len(target.elements) == 2:
        names = [e.value for e in target.elements]
        is_items = isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute)
        if is_items and all(isinstance(n, cst.Name) for n in names):
            assert isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute)
            if iterable.func.attr.value == "items":
                table = b.value(iterable.func.value)
                key, value = names
                assert isinstance(key, cst.Name) and isinstance(value, cst.Name)
                if isinstance(table, dict):
                    return key.value, value.value, list(table)
    if not isinstance(target, cst.Name):
        raise b.unsafe(statement, f"the loop `for {code(target)} in ...` unpacks several values")
    data = _known_values(b, statement, iterable, f"`for {target.value} in {code(statement.iter)}`")
    return target.value, value_var, data


def _names_hardware(var: str, source_name: str | None) -> bool:
    """Whether the loop variable ``var`` (over ``source_name``) is the hardware to run on."""
    natural = natural_param_name(var, source_name)
    return var in DEVICE_NAMES or natural in {"hardware", "device"}


def _hardware_loop(b: Builder, statement: cst.For) -> bool:
    target = statement.target
    if not isinstance(target, cst.Name):
        return False
    source = sweep_source(without_progress_bar(statement.iter, b.ctx.resolve))
    source_name = code(source) if isinstance(source, cst.Name | cst.Attribute) else None
    return _names_hardware(target.value, source_name)


def sweep(b: Builder, statement: cst.For) -> None:
    """A loop over parameter values: one params axis (or the hardware list)."""
    if _unpacking_sweep(b, statement):
        return
    try:
        var, value_var, values = _sweep_values(b, statement)
    except Unsafe:
        if not _hardware_loop(b, statement):
            raise
        # `for hw in [h for h in HARDWARE if available(h)]`: the runner skips absent hardware
        # itself, so the hardware the file knows of stands for the list built at run time.
        assert isinstance(statement.target, cst.Name)
        var, value_var, values = statement.target.value, None, []
        b.warn(
            statement,
            f"the hardware of `for {var} in {code(statement.iter)}` is chosen at run time: "
            "the registration lists the hardware the file names, and the runner skips "
            "what is not present",
        )
    iterable = without_progress_bar(statement.iter, b.ctx.resolve)
    _axis(b, var, values, sweep_source(iterable))
    if value_var is not None:
        assert isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute)
        table = iterable.func.value
        subscript = cst.Subscript(table, [cst.SubscriptElement(cst.Index(cst.Name(var)))])
        b.bind(value_var, subscript)
        b.env[value_var] = UNKNOWN


def _axis(b: Builder, var: str, values: list[Any], source: cst.BaseExpression) -> None:
    """The loop variable ``var`` takes ``values`` (read from ``source``): a params axis, or the
    hardware list when it names a device."""
    source_name = code(source) if isinstance(source, cst.Name | cst.Attribute) else None
    natural = natural_param_name(var, source_name)
    dest = b.dest_of(source)
    if _names_hardware(var, source_name):
        known = [h for v in values for h in hardware_in_text(str(v))[:1]]
        b.hardware.extend(h for h in dict.fromkeys(known) if h not in b.hardware)
        b.hardware_vars.add(var)
        b.env[var] = UNKNOWN
        if dest is not None:
            b.setting_dest["hardware"] = dest
        b.bind(var, hardware_ref())
    else:
        key = b.add_param(natural, values, dest)
        b.bind(var, config_ref(key))
        b.env[var] = ParamRef(key)
        b.var_keys[var] = key


def _unpacked_names(target: cst.BaseExpression) -> list[str] | None:
    """``m, k, n`` / ``(m, k, n)`` / ``[m, k, n]``: the names, or None for anything else
    (one name, nesting, a starred or attribute target)."""
    if not isinstance(target, cst.Tuple | cst.List) or len(target.elements) < 2:
        return None
    names = []
    for element in target.elements:
        if isinstance(element, cst.StarredElement) or not isinstance(element.value, cst.Name):
            return None
        names.append(element.value.value)
    return names if len(set(names)) == len(names) else None


def _unpacking_sweep(b: Builder, statement: cst.For) -> bool:
    """A loop that unpacks each value into several names.

    ``for dtype, bs in itertools.product(DTYPES, SIZES)`` is one params axis per name (the
    runner's grid is that product); ``for m, k, n in SHAPES``, ``zip(...)`` or ``enumerate(...)``
    is one axis whose values are the tuples, unpacked at the top of ``setup()``. False when the
    loop is no such loop (one name, ``for k, v in table.items()``), so the caller goes on.
    """
    names = _unpacked_names(statement.target)
    if names is None:
        return False
    iterable = without_progress_bar(statement.iter, b.ctx.resolve)
    func = iterable.func if isinstance(iterable, cst.Call) else None
    if isinstance(func, cst.Attribute) and func.attr.value == "items":
        return False  # a table's keys and values: _sweep_values
    written = f"for {code(statement.target)} in {code(statement.iter)}"
    product = _product_arguments(iterable, b)
    if product is not None and len(product) == len(names):
        axes = []
        for name, argument in zip(names, product, strict=True):
            values = _known_values(b, statement, argument, f"`{code(argument)}` in `{written}`")
            axes.append((name, values, sweep_source(argument)))
        for name, values, source in axes:
            _axis(b, name, values, source)
        return True
    rows = _known_values(b, statement, iterable, f"`{written}`")
    if not all(isinstance(r, list) and len(r) == len(names) for r in rows):
        raise b.unsafe(
            statement, f"the values of `{written}` do not unpack into {len(names)} names"
        )
    devices = [n for n in names if _names_hardware(n, None)]
    if devices:  # the hardware is the runner's to choose, not a value paired with others
        raise b.unsafe(statement, f"`{written}` pairs the device `{devices[0]}` with other values")
    key = b.add_param("_".join(names), rows)
    b.emit(cst.parse_statement(f"{', '.join(names)} = {code(config_ref(key))}"))
    for name in names:
        b.env[name] = UNKNOWN
    return True


def _product_arguments(iterable: cst.BaseExpression, b: Builder) -> list[cst.BaseExpression] | None:
    """The iterables of ``itertools.product(a, b, ...)`` (no ``repeat=``), else None."""
    if not isinstance(iterable, cst.Call) or "itertools.product" not in qualnames_of(
        iterable, b.ctx.resolve
    ):
        return None
    if any(arg.keyword is not None or arg.star for arg in iterable.args):
        return None
    return [arg.value for arg in iterable.args]


def _known_values(
    b: Builder, statement: cst.For, node: cst.BaseExpression, subject: str
) -> list[Any]:
    """What ``node`` iterates, as a non-empty JSON list (a dict's keys); ``Unsafe`` naming
    ``subject`` when that cannot be known."""
    value = b.value(node)
    if isinstance(value, dict):
        value = list(value)
    data = jsonable(value)
    if not isinstance(data, list) or not data:
        raise b.unsafe(
            statement, f"the values of {subject} cannot be known without running the code"
        )
    return data
