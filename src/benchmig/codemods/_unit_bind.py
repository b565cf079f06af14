"""Give a unit's parameters their values: from the call that runs it, from defaults, from options.

``benchmark_cnn(batch_sizes, args.image_size, ...)`` called from ``main()`` binds
``image_size = self.config["image_size"]`` (a param at its option default), a swept list keeps
its values for the sweep inside, counts stay literal (they become runner settings), device
arguments become ``self.hardware``. A method's legacy object is the caller's receiver, or is
built from its ``__init__`` defaults (an ``argparse.Namespace`` of the option defaults when it
takes ``args``).
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from benchmig.codemods._unit_context import CallSite, FileContext, Scope
from benchmig.codemods._unit_eval import (
    UNKNOWN,
    Evaluator,
    Namespace,
    ObjectValue,
    Opaque,
    ParamRef,
)
from benchmig.codemods._unit_plan import (
    Builder,
    config_ref,
    hardware_ref,
    jsonable,
    literal,
    py,
)
from benchmig.codemods._unit_syntax import (
    block_module,
    find_all,
    method_call,
    self_attribute,
    single_small,
    used_names,
)
from benchmig.codemods._unit_translate import translate_expr
from benchmig.codemods._unit_vocab import DEVICE_NAMES, singular

__all__ = [
    "bind_call",
    "bind_entry",
    "call_arguments",
    "construct",
    "count_names",
    "object_value",
    "snake",
]

NAMESPACE_PARAMS = frozenset({"args", "opts", "options", "flags", "ns", "namespace", "cli_args"})


def snake(name: str) -> str:
    """``ModelBenchmark`` -> ``model_benchmark``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _positional_params(scope: Scope) -> list[cst.Param]:
    """The parameters a positional argument can fill (``self`` excluded for methods)."""
    if scope.params is None:
        return []
    params = [*scope.params.posonly_params, *scope.params.params]
    if scope.cls is not None and params:
        params = params[1:]
    return params


def _star_params(scope: Scope) -> list[cst.Param]:
    """``*args`` and ``**kwargs``, where the scope has them."""
    if scope.params is None:
        return []
    found = (scope.params.star_arg, scope.params.star_kwarg)
    return [p for p in found if isinstance(p, cst.Param)]


def _params(scope: Scope) -> list[cst.Param]:
    if scope.params is None:
        return []
    return _positional_params(scope) + list(scope.params.kwonly_params)


def call_arguments(
    call: cst.Call, scope: Scope, *, rest: bool = False
) -> dict[str, cst.BaseExpression] | None:
    """Param name -> argument expression of a call; None for a call that unpacks (``f(*xs)``),
    and for arguments no named parameter takes (``time_call(fn, x, y)`` to ``def
    time_call(func, *args)``) unless ``rest``: then the callee's ``*args`` gets them as a tuple
    and its ``**kwargs`` as a dict (empty when the call gives none)."""
    if any(a.star for a in call.args):
        return None
    positional_params = _positional_params(scope)
    star = scope.params.star_arg if rest and scope.params is not None else None
    star_kwargs = scope.params.star_kwarg if rest and scope.params is not None else None
    mapping: dict[str, cst.BaseExpression] = {}
    positional = [a.value for a in call.args if a.keyword is None]
    extra = positional[len(positional_params) :]
    if extra and not isinstance(star, cst.Param):
        return None
    for param, value in zip(positional_params, positional, strict=False):
        mapping[param.name.value] = value
    if isinstance(star, cst.Param):
        mapping[star.name.value] = cst.Tuple([cst.Element(v) for v in extra])
    names = {p.name.value for p in _params(scope)}
    keywords: list[cst.DictElement] = []
    for arg in call.args:
        if arg.keyword is not None:
            if arg.keyword.value in names:
                mapping[arg.keyword.value] = arg.value
            elif isinstance(star_kwargs, cst.Param):
                key = cst.SimpleString(repr(arg.keyword.value))
                keywords.append(cst.DictElement(key, arg.value))
            else:
                return None
    if isinstance(star_kwargs, cst.Param):
        mapping[star_kwargs.name.value] = cst.Dict(keywords)
    return mapping


def object_value(ctx: FileContext, env: dict[str, Any], cls: str, call: cst.Call) -> ObjectValue:
    """The attributes ``cls.__init__`` sets, as far as they can be known for ``call``."""
    result = ObjectValue(cls)
    init = ctx.scopes.get(f"{cls}.__init__")
    if init is None or init.params is None:
        return result
    evaluator = Evaluator(env)
    local: dict[str, Any] = dict(ctx.constants)
    given = call_arguments(call, init) or {}
    for param in _params(init):
        name = param.name.value
        if name in given:
            local[name] = evaluator.value(given[name])
        elif param.default is not None:
            local[name] = Evaluator(ctx.constants).value(param.default)
        else:
            local[name] = UNKNOWN
    star = init.params.star_kwarg
    if isinstance(star, cst.Param):
        known = {p.name.value for p in _params(init)}
        local[star.name.value] = {
            a.keyword.value: evaluator.value(a.value)
            for a in call.args
            if a.keyword is not None and a.keyword.value not in known
        }
    for statement in init.body:
        _init_statement(statement, local, result)
    return result


def _init_statement(statement: cst.BaseStatement, local: dict[str, Any], obj: ObjectValue) -> None:
    small = single_small(statement)
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        attr = self_attribute(small.targets[0].target)
        if attr is not None:
            obj.attrs[attr] = Evaluator({**local, "self": obj}).value(small.value)
            source = small.value
            owner = source.value if isinstance(source, cst.Attribute) else None
            if isinstance(owner, cst.Name) and isinstance(local.get(owner.value), Namespace):
                assert isinstance(source, cst.Attribute)
                obj.origins[attr] = source.attr.value
            return
    for node in find_all(statement, lambda n: isinstance(n, cst.AssignTarget)):
        assert isinstance(node, cst.AssignTarget)
        attr = self_attribute(node.target)
        if attr is not None:
            obj.attrs[attr] = UNKNOWN


_COUNT_KEYWORDS = frozenset(
    {"number", "repeat", "repeats", "iterations", "iters", "runs", "n", "times", "warmup"}
)


def count_names(scope: Scope) -> set[str]:
    """Names a scope uses as repetition counts: ``range(n)``, ``timeit(..., number=n)``."""
    names: set[str] = set()
    for node in find_all(block_module(scope.body), lambda n: isinstance(n, cst.Call)):
        assert isinstance(node, cst.Call)
        func = node.func
        if isinstance(func, cst.Name) and func.value == "range" and len(node.args) == 1:
            names.update(used_names([node.args[0].value]))
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in _COUNT_KEYWORDS:
                names.update(used_names([arg.value]))
    return names


def _value_binding(
    b: Builder, name: str, node: cst.BaseExpression, value: Any, counts: set[str]
) -> cst.BaseExpression | None:
    """What ``name`` is bound to when its argument is ``node`` (value ``value``)."""
    if name in DEVICE_NAMES:
        if isinstance(value, str):
            b.hardware.extend(h for h in [value.lower()] if h not in b.hardware)
        b.hardware_vars.add(name)
        b.env[name] = UNKNOWN
        return hardware_ref()
    if isinstance(value, Namespace) or method_call(node, "parse_args"):  # bench(p.parse_args())
        b.bind_namespace(name)
        return None
    if isinstance(value, ParamRef | ObjectValue | Opaque):
        b.env[name] = value
        if isinstance(value, ParamRef):
            b.var_keys[name] = value.key
        return translate_expr(b, node)
    data = jsonable(value)
    if data is UNKNOWN:
        b.env[name] = UNKNOWN
        return translate_expr(b, node)
    b.env[name] = value
    dest = b.dest_of(node) or b.origin.get(name)
    if dest is not None:
        b.origin[name] = dest
    role = b.ctx.options[dest].role if dest is not None else None
    if name in counts or role in {"count", "storage"}:
        return literal(data)
    key = b.add_param(name, [data], dest)
    b.var_keys[name] = key
    return config_ref(key)


def _emit_bindings(b: Builder, bindings: list[tuple[str, cst.BaseExpression]]) -> None:
    targets = {name for name, _ in bindings}
    clash = any(set(used_names([cst.Expr(expr)])) & (targets - {name}) for name, expr in bindings)
    if not clash or len(bindings) < 2:
        for name, expr in bindings:
            b.bind(name, expr)
        return
    target = cst.Tuple([cst.Element(cst.Name(n)) for n, _ in bindings])
    value = cst.Tuple([cst.Element(e) for _, e in bindings])
    b.emit(cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target)], value)]))


def _receiver(b: Builder, site: CallSite, callee: Scope) -> str | None:
    receiver = site.receiver
    if receiver is None or callee.cls is None:
        return b.alias
    if isinstance(receiver, cst.Name):
        return b.alias if receiver.value == "self" else receiver.value
    if isinstance(receiver, cst.Call):
        alias = b.fresh(snake(callee.cls))
        b.bind(alias, translate_expr(b, receiver))
        b.env[alias] = object_value(b.ctx, b.env, callee.cls, receiver)
        return alias
    raise b.unsafe(receiver, "the legacy object is not a plain name or constructor call")


def bind_call(b: Builder, site: CallSite, callee: Scope) -> None:
    """Bind the callee's params from the call site (in the caller's context), then enter it."""
    arguments = call_arguments(site.call, callee, rest=True)
    if arguments is None:
        raise b.unsafe(site.call, "the call passes *args/**kwargs or unknown keywords")
    alias = _receiver(b, site, callee)
    bindings: list[tuple[str, cst.BaseExpression]] = []
    stars = _star_params(callee)
    # `*args` / `**kwargs` are what the caller passed through, never a parameter of their own
    counts = count_names(callee) | {p.name.value for p in stars}
    for param in [*_params(callee), *stars]:
        name = param.name.value
        node = arguments.get(name, param.default)
        if node is None:
            raise b.unsafe(site.call, f"the call gives no value for parameter {name!r}")
        source_env = b.env if name in arguments else {**b.ctx.constants}
        value = Evaluator(source_env).value(node)
        bound = _value_binding(b, name, node, value, counts)
        if bound is not None:
            bindings.append((name, bound))
    b.alias = alias
    if alias is not None:
        b.env["self"] = b.env.get(alias, UNKNOWN)
    _emit_bindings(b, bindings)


def _entry_value(b: Builder, scope: Scope, param: cst.Param) -> tuple[cst.BaseExpression, Any]:
    name = param.name.value
    if param.default is not None:
        return param.default, Evaluator(b.ctx.constants).value(param.default)
    option = b.ctx.options.get(name)
    if option is not None:
        value = list(option.values) if option.is_list else option.default
        data = jsonable(value)
        if data is UNKNOWN:
            raise b.unsafe(
                param,
                f"parameter {name!r} of {scope.name} takes the option of the same name, whose "
                "default cannot be known without running the code",
            )
        b.origin[name] = name
        return literal(data), value
    plural = [o for o in b.ctx.options.values() if o.is_list and singular(o.dest) == name]
    if plural:
        key = b.add_param(name, list(plural[0].values), plural[0].dest)
        b.var_keys[name] = key
        return config_ref(key), ParamRef(key)
    if name in NAMESPACE_PARAMS and b.ctx.options:
        return cst.Name(name), b.ctx.namespace()
    if name in DEVICE_NAMES:
        return hardware_ref(), UNKNOWN
    raise b.unsafe(
        param,
        f"parameter {name!r} of {scope.name} has no value: it is never called "
        "here with arguments that can be known",
        missing_value=True,
    )


def bind_entry(b: Builder, scope: Scope) -> None:
    """Bind a unit that nothing in the file calls: defaults, options of the same name, args."""
    if scope.cls is not None:
        b.alias = construct(b, scope.cls)
        b.env["self"] = b.env.get(b.alias, UNKNOWN)
    bindings: list[tuple[str, cst.BaseExpression]] = []
    counts = count_names(scope)
    for param in _params(scope):
        node, value = _entry_value(b, scope, param)
        bound = _value_binding(b, param.name.value, node, value, counts)
        if bound is not None:
            bindings.append((param.name.value, bound))
    _emit_bindings(b, bindings)


def construct(b: Builder, cls: str) -> str:
    """Build the legacy object from its ``__init__`` defaults; the local that holds it."""
    init = b.ctx.scopes.get(f"{cls}.__init__")
    keywords: list[str] = []
    if init is not None:
        for param in _params(init):
            name = param.name.value
            if name in DEVICE_NAMES:
                keywords.append(f"{name}=self.hardware")
            elif param.default is not None:
                continue
            elif name in NAMESPACE_PARAMS and b.ctx.options:
                args = b.fresh("args")
                b.emit(b.namespace_statement(args))
                b.env[args] = b.ctx.namespace()
                keywords.append(f"{name}={args}")
            elif name in b.ctx.options:
                keywords.append(f"{name}={py(jsonable(b.ctx.options[name].default))}")
            else:
                raise b.unsafe(
                    init.node,
                    f"{cls}() needs {name!r}, which has no known value",
                    missing_value=True,
                )
    call = cst.parse_expression(f"{cls}({', '.join(keywords)})")
    assert isinstance(call, cst.Call)
    alias = b.fresh(snake(cls))
    b.bind(alias, call)
    b.env[alias] = object_value(b.ctx, b.env, cls, call)
    return alias
