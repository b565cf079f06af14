"""``remove-sys-path-hacks``: delete ``sys.path`` hacks and import what they served from the root.

Legacy scripts reach siblings and parent folders with ``sys.path.insert(0, dirname(__file__))``.
After migration the framework's loader puts the tree root (and a script's own folder, like
pytest) on ``sys.path``, so each hack can go: imports it served from another folder become
absolute imports from the root (``from timing import Timer`` -> ``from common.timing import
Timer``); imports of the script's own (non-package) folder stay as they are.

The whole file is left alone, with a warning saying why, when anything makes that unsafe: a
hack whose folder is computed or outside the tree, an ambiguous import, dynamic imports, a file
other files import (its hack changes their ``sys.path`` too), an ``import a.b`` form, or a
module reached through the hack that itself relies on that folder being on ``sys.path``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.codemod import CodemodContext

from benchmig.analyzer import Analysis, FileFacts, ImportRecord, ImportResolution
from benchmig.analyzer._resolve import Resolver, search_folders, sys_path_folders
from benchmig.codemods._support import (
    FastCommand,
    call_name,
    file_facts,
    import_resolutions,
    tree_analysis,
    tree_resolver,
)

__all__ = ["HackPlan", "RemoveSysPathHacksCommand", "plan_hack_removal"]

_OPERATIONS = frozenset({"insert", "append"})
_PATH_WORDS = frozenset(
    [
        "os",
        "path",
        "Path",
        "pathlib",
        "str",
        "abspath",
        "dirname",
        "join",
        "realpath",
        "normpath",
        "parent",
        "parents",
        "resolve",
        "absolute",
        "__file__",
    ]
)
_MAX_CHAIN = 4
_HACKABLE = frozenset({"sys_path_hack", "script_dir"})  # a hack may put the own folder first
_PATH_MODULES = frozenset({"os", "sys", "Path", "pathlib"})
_EMPTY = cst.Module(body=[])
_IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")
_DYNAMIC = re.compile(rb"\b(import_module|__import__)\s*\(")


@dataclass(frozen=True)
class HackPlan:
    """What to do with one file: hack lines to delete, imports to rewrite, or why not."""

    remove_lines: frozenset[int] = frozenset()
    rewrites: tuple[tuple[int, str, str], ...] = ()  # (line, module as written, new module)
    warnings: tuple[str, ...] = ()
    folders: tuple[str, ...] = field(default=())  # root-relative folders the hacks added


def _keep(path: str, line: int, why: str) -> HackPlan:
    return HackPlan(warnings=(f"{path}:{line}: sys.path hack left in place: {why}",))


def _dotted(folder: str) -> str | None:
    parts = [p for p in folder.split("/") if p]
    return ".".join(parts) if all(_IDENTIFIER.match(p) for p in parts) else None


def _serving_folder(
    resolver: Resolver, facts: FileFacts, record: ImportRecord, folders: Sequence[str]
) -> str | None:
    """The first folder on the file's ``sys.path`` that answers ``record``."""
    for folder, _, _ in search_folders(facts, resolver.packages):
        if folder in folders or folder == posixpath.dirname(facts.path):
            found = resolver.resolve(facts, record, [(folder, "probe", False)])
            if found.resolution == "exact" and found.via == "probe":
                return folder
    return None


def _blocked_by_file(facts: FileFacts, data: bytes, analysis: Analysis | None) -> HackPlan | None:
    path = facts.path
    hacks = facts.idioms_of("sys_path_hack")
    for idiom in hacks:
        if idiom.attrs.get("operation") not in _OPERATIONS:
            return _keep(path, idiom.line, "only sys.path.insert/append statements are removed")
    if len(sys_path_folders(facts)) != len(hacks):
        line = hacks[0].line
        return _keep(path, line, "the folder it adds is computed or outside the tree")
    if analysis is None:
        return _keep(path, hacks[0].line, "no tree to check the imports against")
    if analysis.graph.fan_in.get(path, 0):
        return _keep(
            path, hacks[0].line, "other files import this one and may rely on its sys.path change"
        )
    match = _DYNAMIC.search(data)
    if match:
        line = data.count(b"\n", 0, match.start()) + 1
        return _keep(path, line, "dynamic imports may rely on the folders it adds")
    return None


def plan_hack_removal(
    facts: FileFacts,
    data: bytes,
    analysis: Analysis | None,
    resolutions: Sequence[ImportResolution],
) -> HackPlan:
    """Decide, without touching the tree, whether the file's hacks can go and what changes."""
    hacks = facts.idioms_of("sys_path_hack")
    if not hacks:
        return HackPlan()
    blocked = _blocked_by_file(facts, data, analysis)
    if blocked is not None or analysis is None:
        return blocked or HackPlan()
    folders = tuple(dict.fromkeys(folder for folder, _ in sys_path_folders(facts)))
    own = posixpath.dirname(facts.path)
    resolver = tree_resolver(analysis)
    own_package = own in resolver.packages
    on_path_after = {""} | ({own} if not own_package else set())
    rewrites: list[tuple[int, str, str]] = []
    reached: list[str] = []
    for record, resolved in zip(facts.imports, resolutions, strict=True):
        if resolved.resolution == "ambiguous":
            return _keep(facts.path, record.line, f"import '{record.module}' is ambiguous")
        if resolved.resolution != "exact" or resolved.via not in _HACKABLE or record.level:
            continue
        folder = _serving_folder(resolver, facts, record, folders)
        if folder is None or folder not in folders:
            continue  # found without any hack (a plain script's own folder): unaffected
        reached.extend(resolved.targets)
        if folder in on_path_after:
            continue
        prefix = _dotted(folder)
        if prefix is None:
            return _keep(facts.path, record.line, f"folder '{folder}' is not importable by name")
        if not record.names and "." in record.module:
            return _keep(facts.path, record.line, f"'import {record.module}' binds a package")
        rewrites.append((record.line, record.module, f"{prefix}.{record.module}"))
    problem = _relies_on_removed(analysis, reached, set(folders) - on_path_after)
    if problem is not None:
        return _keep(facts.path, hacks[0].line, problem)
    return HackPlan(frozenset(h.line for h in hacks), tuple(rewrites), (), folders)


def _relies_on_removed(analysis: Analysis, start: Sequence[str], removed: set[str]) -> str | None:
    """A module reached through the hack that imports siblings of a folder no longer on path."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        path = todo.pop()
        report = analysis.by_path.get(path)
        if path in seen or report is None:
            continue
        seen.add(path)
        for record, resolved in zip(report.facts.imports, report.imports, strict=False):
            if resolved.resolution != "exact":
                continue
            if resolved.via == "script_dir" and posixpath.dirname(path) in removed:
                return (
                    f"{path}:{record.line} imports '{record.module}' as a top-level module, "
                    f"which only works while '{posixpath.dirname(path)}' is on sys.path; make "
                    "that import relative or absolute first"
                )
            todo.extend(resolved.targets)
    return None


def _is_hack_call(node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.Call):
        return False
    name = call_name(node.func)
    return (
        name is not None
        and name.endswith(("sys.path.insert", "sys.path.append"))
        and (name.split(".")[0] in ("sys", "_sys"))
    )


class RemoveSysPathHacksCommand(FastCommand):
    """Delete ``sys.path`` hacks whose imports resolve from the tree root; rewrite those imports."""

    NAME = "remove-sys-path-hacks"
    DESCRIPTION = "Remove sys.path.insert/append hacks and import their targets from the tree root."
    # No metadata: hacks are matched by shape, imports by module, unused imports by name count
    # (scope analysis would cost several times the parse on every file with a hack).

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        self.plan = HackPlan()
        self.removed_names: set[str] = set()
        self.emptied: set[int] = set()  # ids of original blocks whose statements all went
        self.import_names: set[str] = set()  # names the removed code used (maybe now unused)

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """Plan from the facts first: metadata is only computed when a hack goes."""
        facts = file_facts(self.context, tree)
        if not facts.idioms_of("sys_path_hack"):
            return tree
        analysis = tree_analysis(self.context)
        resolutions = import_resolutions(analysis, facts)
        self.plan = plan_hack_removal(facts, tree.bytes, analysis, resolutions)
        for warning in self.plan.warnings:
            self.warn(warning)
        if not self.plan.remove_lines:
            return tree
        return _strip_leading_blank(tree, super().transform_module(tree))

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        """Remove the planned hacks, rewrite the planned imports, drop leftover variables."""
        updated = super().transform_module_impl(tree)
        updated, dropped = _drop_unused_path_variables(updated, self.removed_names)
        for node in dropped:
            self.import_names |= _all_names(node)
        return _drop_unused_imports(updated, self.import_names & _PATH_MODULES)

    def _is_planned_hack(self, statement: cst.BaseSmallStatement) -> bool:
        # The plan removes every insert/append hack of the file or none (see plan_hack_removal).
        return isinstance(statement, cst.Expr) and _is_hack_call(statement.value)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        """Drop hack statements (the whole line when nothing else is on it)."""
        keep = [s for s in original_node.body if not self._is_planned_hack(s)]
        if len(keep) == len(original_node.body):
            return updated_node
        for statement in original_node.body:
            if self._is_planned_hack(statement):
                self._note_removed(statement)
        if not keep:
            return cst.RemoveFromParent()
        kept = [u for o, u in zip(original_node.body, updated_node.body, strict=True) if o in keep]
        last = kept[-1]
        if isinstance(last, cst.Expr | cst.Assign | cst.Import | cst.ImportFrom):
            kept[-1] = last.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(body=kept)

    def _note_removed(self, statement: cst.BaseSmallStatement) -> None:
        self.import_names |= _all_names(statement)
        self.removed_names |= _names_in(statement)

    def leave_If(
        self, original_node: cst.If, updated_node: cst.If
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        """``if p not in sys.path: sys.path.insert(0, p)`` goes as a whole once emptied."""
        if (
            original_node.orelse is None
            and id(original_node.body) in self.emptied
            and "sys.path" in _EMPTY.code_for_node(original_node.test)
        ):
            self.import_names |= _all_names(original_node.test)
            self.removed_names |= _names_in(original_node.test)
            return cst.RemoveFromParent()
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        """A block emptied by a removal keeps a ``pass`` (unless its ``if`` goes too)."""
        if original_node.body and not updated_node.body:
            self.emptied.add(id(original_node))
            return updated_node.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return updated_node

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        """``from bench_utils import x`` -> ``from benchmarks.bench_utils import x``."""
        if updated_node.relative or updated_node.module is None:
            return updated_node
        written = call_name(updated_node.module)
        new = self._rewrite_for(original_node, written)
        if new is None:
            return updated_node
        return updated_node.with_changes(module=_dotted_expr(new))

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        """``import timing`` -> ``import common.timing as timing`` (the bound name is kept)."""
        names = []
        for alias in updated_node.names:
            written = call_name(alias.name)
            new = self._rewrite_for(original_node, written)
            if new is None or written is None:
                names.append(alias)
                continue
            bound = alias.asname or cst.AsName(name=cst.Name(written))
            names.append(alias.with_changes(name=_dotted_expr(new), asname=bound))
        return updated_node.with_changes(names=names)

    def _rewrite_for(self, node: cst.CSTNode, written: str | None) -> str | None:
        # One module name resolves one way in a file: match rewrites by the name as written.
        for _, module, new in self.plan.rewrites:
            if module == written:
                return new
        return None


def _strip_leading_blank(before: cst.Module, after: cst.Module) -> cst.Module:
    """Removing the first statements must not leave the file starting with blank lines."""
    starts_blank = bool(before.header) or (
        bool(before.body) and any(line.comment is None for line in before.body[0].leading_lines)
    )
    if not after.body or starts_blank or after.header:
        return after
    first = after.body[0]
    lines = list(first.leading_lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    return after.with_changes(body=[first.with_changes(leading_lines=lines), *after.body[1:]])


def _dotted_expr(dotted: str) -> cst.Attribute | cst.Name:
    parts = dotted.split(".")
    expr: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        expr = cst.Attribute(value=expr, attr=cst.Name(part))
    return expr


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def _names_in(node: cst.CSTNode) -> set[str]:
    collector = _NameCollector()
    node.visit(collector)
    return collector.names - {"sys", "os", "path", "Path", "str", "__file__"}


def _uses(text: str, name: str) -> int:
    """How often ``name`` appears as a word in ``text`` (strings and comments count too: a
    false "used" keeps an import or a variable, the safe side)."""
    return len(re.findall(rf"(?<![\w.]){re.escape(name)}\b", text))


def _assignment(statement: cst.BaseStatement) -> tuple[str, set[str]] | None:
    """``(name, names its value uses)`` of a module-level ``name = value`` line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    return (target.value, _all_names(assign.value)) if isinstance(target, cst.Name) else None


def _path_variables(body: Sequence[cst.BaseStatement]) -> set[str]:
    """Module-level names assigned a path built from ``__file__`` (or from such names)."""
    found: set[str] = set()
    for statement in body:
        assigned = _assignment(statement)
        if assigned is None:
            continue
        name, used = assigned
        if used <= _PATH_WORDS | found and used & ({"__file__"} | found):
            found.add(name)
    return found


def _drop_unused_path_variables(
    tree: cst.Module, candidates: set[str]
) -> tuple[cst.Module, list[cst.CSTNode]]:
    """The tree without module-level path variables nothing reads any more (following chains:
    ``parent = dirname(here)`` then ``here = dirname(__file__)``), and the statements dropped."""
    dropped: list[cst.CSTNode] = []
    for _ in range(_MAX_CHAIN):
        text = tree.code
        unused = {n for n in candidates & _path_variables(tree.body) if _uses(text, n) == 1}
        if not unused:
            break
        kept: list[cst.BaseStatement] = []
        for statement in tree.body:
            assigned = _assignment(statement)
            (dropped if assigned and assigned[0] in unused else kept).append(statement)
        tree = tree.with_changes(body=kept)
        candidates = set().union(*(_all_names(s) for s in dropped)) - _PATH_WORDS
    return tree, dropped


def _all_names(node: cst.CSTNode) -> set[str]:
    collector = _NameCollector()
    node.visit(collector)
    return collector.names


def _pruned(aliases: Sequence[cst.ImportAlias], unused: set[str]) -> list[cst.ImportAlias] | None:
    kept = [a for a in aliases if _bound_name(a) not in unused]
    if len(kept) == len(aliases):
        return None
    if kept:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return kept


def _prune_line(line: cst.SimpleStatementLine, unused: set[str]) -> cst.SimpleStatementLine | None:
    small: list[cst.BaseSmallStatement] = []
    for statement in line.body:
        names = None
        if isinstance(statement, cst.Import | cst.ImportFrom) and not isinstance(
            statement.names, cst.ImportStar
        ):
            names = _pruned(statement.names, unused)
        if names is None:
            small.append(statement)
        elif names:
            small.append(statement.with_changes(names=names))
    if not small:
        return None
    small[-1] = small[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return line.with_changes(body=small)


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    written = call_name(alias.name) or ""
    return written.split(".")[0]


def _import_text(tree: cst.Module) -> str:
    return "\n".join(
        tree.code_for_node(s)
        for s in tree.body
        if isinstance(s, cst.SimpleStatementLine)
        and any(isinstance(x, cst.Import | cst.ImportFrom) for x in s.body)
    )


def _drop_unused_imports(tree: cst.Module, candidates: set[str]) -> cst.Module:
    """Remove module-level imports of ``candidates`` that nothing in the module uses any more
    (a name used anywhere, even shadowed or in a string, keeps its import: the safe side)."""
    if not candidates:
        return tree
    text, imports = tree.code, _import_text(tree)
    unused = {n for n in candidates if _uses(text, n) == _uses(imports, n)}
    if not unused:
        return tree
    body: list[cst.BaseStatement] = []
    for statement in tree.body:
        if isinstance(statement, cst.SimpleStatementLine):
            pruned = _prune_line(statement, unused)
            if pruned is None:
                continue
            statement = pruned
        body.append(statement)
    if body and len(body) < len(tree.body) and tree.body[0] is not body[0]:
        body[0] = body[0].with_changes(leading_lines=tree.body[0].leading_lines)
    return tree.with_changes(body=body)
