"""What the dependency-graph picture shows: one node per file, or per folder for big trees.

A tree of up to ``max_file_nodes`` files is drawn file by file. A bigger one is drawn by folder:
starting from the root, the folder holding the most files is split into its subfolders (plus
one node for the files directly in it) while the picture stays under ``max_folder_nodes``; the
files of import cycles keep their own nodes, so every cycle stays visible.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from benchmig.analyzer._model import Analysis, FileReport

__all__ = ["GraphView", "ViewEdge", "ViewNode", "build_graph_view", "folder_of"]

ROLES = ("benchmark", "helper", "test", "other")


@dataclass(frozen=True)
class ViewNode:
    """A file or a folder of the picture."""

    id: str
    label: str
    group: str  # the folder box it is drawn in
    kind: str  # "file" or "folder"
    role: str  # the file's role, or the most common role of the folder's files
    roles: Mapping[str, int] = field(default_factory=dict)
    files: int = 1
    in_cycle: bool = False
    broken: bool = False  # a file that failed to parse (or a folder holding one)
    filter: str = ""  # what the file table is filtered by when the node is clicked
    tooltip: str = ""


@dataclass(frozen=True)
class ViewEdge:
    """``source`` imports or launches ``target`` (``count`` file edges for folder nodes)."""

    source: str
    target: str
    count: int = 1
    exact: bool = True  # at least one underlying edge was resolved exactly
    cycle: bool = False  # the edge lies on an import cycle
    line: int = 0  # the first import's line (file nodes)


@dataclass(frozen=True)
class GraphView:
    """Nodes and edges to lay out, and a sentence on what was simplified."""

    level: str  # "files" or "folders"
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    note: str = ""


def folder_of(path: str) -> str:
    """``a/b/`` for ``a/b/c.py``; ``""`` for a file at the root."""
    head, sep, _ = path.rpartition("/")
    return head + sep


def _dominant(roles: Counter[str]) -> str:
    return max(ROLES, key=lambda r: (roles[r], -ROLES.index(r)))


def _file_node(report: FileReport, in_cycle: bool) -> ViewNode:
    path = report.path
    blockers = len(report.migration.blockers)
    tooltip = (
        f"{path}\n{report.role} · {report.migration.strategy} · {report.facts.status}\n"
        f"{blockers} blocker(s) · imported by {report.fan_in} · imports {report.fan_out}"
    )
    return ViewNode(
        id=path,
        label=path.rsplit("/", 1)[-1],
        group=folder_of(path) or "./",
        kind="file",
        role=report.role,
        roles={report.role: 1},
        in_cycle=in_cycle,
        broken=report.facts.status == "parse_error",
        filter=path,
        tooltip=tooltip,
    )


def _cycle_files(analysis: Analysis, limit: int) -> tuple[set[str], int]:
    """Files of the smallest cycles, up to ``limit`` files; and how many cycles were left out."""
    chosen: set[str] = set()
    left_out = 0
    for cycle in sorted(analysis.graph.cycles, key=lambda c: (len(c), c)):
        if len(chosen) + len(cycle) > limit:
            left_out += 1
            continue
        chosen.update(cycle)
    return chosen, left_out


def _cycle_edges(analysis: Analysis) -> set[tuple[str, str]]:
    member = {p: i for i, cycle in enumerate(analysis.graph.cycles) for p in cycle}
    return {
        (e.source, e.target)
        for e in analysis.graph.edges
        if e.resolution == "exact"
        and e.source in member
        and member[e.source] == member.get(e.target, -1)
    }


def _aggregate(
    analysis: Analysis, node_of: Mapping[str, str], cycle_edges: set[tuple[str, str]]
) -> tuple[ViewEdge, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    exact: set[tuple[str, str]] = set()
    cycle: set[tuple[str, str]] = set()
    first_line: dict[tuple[str, str], int] = {}
    for edge in analysis.graph.local_edges():
        if edge.source not in node_of or edge.target not in node_of:
            continue
        key = (node_of[edge.source], node_of[edge.target])
        if key[0] == key[1]:
            continue
        counts[key] += 1
        first_line.setdefault(key, edge.line)
        if edge.resolution == "exact":
            exact.add(key)
        if (edge.source, edge.target) in cycle_edges:
            cycle.add(key)
    return tuple(
        ViewEdge(a, b, n, (a, b) in exact, (a, b) in cycle, first_line[(a, b)])
        for (a, b), n in sorted(counts.items())
    )


def _file_view(analysis: Analysis) -> GraphView:
    cycle_members = {p for cycle in analysis.graph.cycles for p in cycle}
    nodes = tuple(_file_node(f, f.path in cycle_members) for f in analysis.files)
    node_of = {f.path: f.path for f in analysis.files}
    return GraphView("files", nodes, _aggregate(analysis, node_of, _cycle_edges(analysis)))


@dataclass
class _Tree:
    """File counts of a folder tree (folders end with ``/``; the root is ``""``)."""

    below: Counter[str] = field(default_factory=Counter)
    own: Counter[str] = field(default_factory=Counter)
    children: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, path: str) -> None:
        folder = folder_of(path)
        self.own[folder] += 1
        self.below[""] += 1
        prefix = ""
        for part in folder.split("/")[:-1]:
            self.children[prefix].add(prefix + part + "/")
            prefix += part + "/"
            self.below[prefix] += 1


@dataclass(frozen=True)
class FolderNode:
    """A folder of the picture: its files not shown by a more detailed folder node."""

    folder: str  # "" for the root
    label: str
    group: str


def choose_folders(paths: Iterable[str], max_nodes: int) -> tuple[dict[str, str], list[FolderNode]]:
    """Map each path to a folder node (its id is the folder, ``./`` for the root).

    One subfolder at a time is given its own node: the biggest not yet shown of the node that
    holds the most files, until ``max_nodes``. A node keeps the files of its subfolders that
    were not split out (labelled ``(rest)``) and its own files (``*.py`` once every subfolder
    has its node). Deterministic: ties are broken by name.
    """
    paths = list(paths)
    tree = _Tree()
    for path in paths:
        tree.add(path)
    pending = {"": _by_size(tree, "")}
    held = {"": tree.below[""]}
    while len(held) < max_nodes:
        open_ = [f for f in held if pending[f]]
        if not open_:
            break
        parent = max(open_, key=lambda f: (held[f], f))
        child = pending[parent].pop(0)
        held[child] = tree.below[child]
        pending[child] = _by_size(tree, child)
        held[parent] -= tree.below[child]
        if held[parent] == 0:
            del held[parent]
    mapping = {}
    for path in paths:
        folder = folder_of(path)
        while folder not in held:
            folder = folder_of(folder[:-1])
        mapping[path] = folder or "./"
    return mapping, [_describe(tree, f, pending[f]) for f in sorted(held)]


def _by_size(tree: _Tree, folder: str) -> list[str]:
    return sorted(tree.children[folder], key=lambda c: (-tree.below[c], c))


def _describe(tree: _Tree, folder: str, pending: list[str]) -> FolderNode:
    name = folder or "./"
    parent = (folder_of(folder[:-1]) if folder else "") or "./"
    split = len(tree.children[folder]) - len(pending)
    if not split:
        return FolderNode(folder, name, parent)
    return FolderNode(folder, f"{name}*.py" if not pending else f"{name} (rest)", name)


def _folder_node(node: FolderNode, members: Sequence[FileReport], cyclic: set[str]) -> ViewNode:
    roles = Counter(f.role for f in members)
    summary = ", ".join(f"{roles[r]} {r}" for r in ROLES if roles[r])
    broken = sum(f.facts.status == "parse_error" for f in members)
    in_cycles = sum(f.path in cyclic for f in members)
    tooltip = (
        f"{node.label} — {len(members)} file(s): {summary}"
        + (f"\n{broken} failed to parse" if broken else "")
        + (f"\n{in_cycles} in import cycles" if in_cycles else "")
    )
    return ViewNode(
        id=node.folder or "./",
        label=node.label,
        group=node.group,
        kind="folder",
        role=_dominant(roles),
        roles={r: roles[r] for r in ROLES if roles[r]},
        files=len(members),
        in_cycle=in_cycles > 0,
        broken=broken > 0,
        filter=node.folder,
        tooltip=tooltip,
    )


def _folder_view(
    analysis: Analysis, max_nodes: int, max_cycle_files: int, max_edges: int
) -> GraphView:
    cycle_files, left_out = _cycle_files(analysis, max_cycle_files)
    cyclic = {p for cycle in analysis.graph.cycles for p in cycle}
    rest = [f.path for f in analysis.files if f.path not in cycle_files]
    node_of, folders = choose_folders(rest, max(1, max_nodes - len(cycle_files)))
    members: dict[str, list[FileReport]] = defaultdict(list)
    for path, node in node_of.items():
        members[node].append(analysis.file(path))
    nodes = [_folder_node(f, members[f.folder or "./"], cyclic) for f in folders]
    nodes += [_file_node(analysis.file(p), True) for p in sorted(cycle_files)]
    node_of.update({p: p for p in cycle_files})
    edges = _aggregate(analysis, node_of, _cycle_edges(analysis))
    hidden = 0
    if len(edges) > max_edges:
        kept = tuple(e for e in edges if e.count > 1 or e.cycle)
        hidden, edges = len(edges) - len(kept), kept
    note = (
        f"{len(analysis.files):,} files drawn as {len(members):,} folders"
        + (f" plus the {len(cycle_files)} files of small import cycles" if cycle_files else "")
        + (f"; {left_out} larger cycles show as red folders and links" if left_out else "")
        + (f"; {hidden} single-import links between folders are not drawn" if hidden else "")
        + ". Click a folder to list its files."
    )
    return GraphView("folders", tuple(nodes), edges, note)


def build_graph_view(
    analysis: Analysis,
    *,
    max_file_nodes: int = 400,
    max_folder_nodes: int = 130,
    max_cycle_files: int = 40,
    max_edges: int = 250,
) -> GraphView:
    """The picture of ``analysis``: file by file up to ``max_file_nodes``, else by folder."""
    if len(analysis.files) <= max_file_nodes:
        return _file_view(analysis)
    return _folder_view(analysis, max_folder_nodes, max_cycle_files, max_edges)
