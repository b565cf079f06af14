"""Read a legacy benchmark tree statically and map it: facts, graph, clusters, roles, plan.

Nothing analysed is ever imported or run. The CLI's ``migrate analyze`` is a thin wrapper::

    analysis = analyze_paths([Path("legacy")], jobs=None, excludes=(), use_cache=True)
    write_analysis(analysis, Path("migration-report"))   # analysis.json + GraphML
    again = load_analysis(Path("migration-report/analysis.json"))
"""

from __future__ import annotations

from benchmig.analyzer._analysis import (
    ANALYSIS_KIND as ANALYSIS_KIND,
)
from benchmig.analyzer._analysis import (
    ANALYSIS_SCHEMA_VERSION as ANALYSIS_SCHEMA_VERSION,
)
from benchmig.analyzer._analysis import (
    analysis_from_dict as analysis_from_dict,
)
from benchmig.analyzer._analysis import (
    analysis_to_dict as analysis_to_dict,
)
from benchmig.analyzer._analysis import (
    load_analysis as load_analysis,
)
from benchmig.analyzer._analysis import (
    render_analysis as render_analysis,
)
from benchmig.analyzer._analysis import (
    to_networkx as to_networkx,
)
from benchmig.analyzer._analysis import (
    write_analysis as write_analysis,
)
from benchmig.analyzer._cache import default_cache_dir as default_cache_dir
from benchmig.analyzer._classify import CODEMODS as CODEMODS
from benchmig.analyzer._classify import Blocker as Blocker
from benchmig.analyzer._classify import Migration as Migration
from benchmig.analyzer._clusters import Cluster as Cluster
from benchmig.analyzer._discover import Discovery as Discovery
from benchmig.analyzer._discover import discover as discover
from benchmig.analyzer._extract import extract_facts as extract_facts
from benchmig.analyzer._facts import IDIOM_KINDS as IDIOM_KINDS
from benchmig.analyzer._facts import FileError as FileError
from benchmig.analyzer._facts import FileFacts as FileFacts
from benchmig.analyzer._facts import Idiom as Idiom
from benchmig.analyzer._facts import ImportRecord as ImportRecord
from benchmig.analyzer._graph import Edge as Edge
from benchmig.analyzer._graph import GraphFacts as GraphFacts
from benchmig.analyzer._graph import ImportResolution as ImportResolution
from benchmig.analyzer._graph import MigrationStep as MigrationStep
from benchmig.analyzer._graph import Unresolved as Unresolved
from benchmig.analyzer._model import Analysis as Analysis
from benchmig.analyzer._model import FileReport as FileReport
from benchmig.analyzer._pipeline import RunStats as RunStats
from benchmig.analyzer._run import analyze_paths as analyze_paths

__all__ = [
    "ANALYSIS_KIND",
    "ANALYSIS_SCHEMA_VERSION",
    "CODEMODS",
    "IDIOM_KINDS",
    "Analysis",
    "Blocker",
    "Cluster",
    "Discovery",
    "Edge",
    "FileError",
    "FileFacts",
    "FileReport",
    "GraphFacts",
    "Idiom",
    "ImportRecord",
    "ImportResolution",
    "Migration",
    "MigrationStep",
    "RunStats",
    "Unresolved",
    "analysis_from_dict",
    "analysis_to_dict",
    "analyze_paths",
    "default_cache_dir",
    "discover",
    "extract_facts",
    "load_analysis",
    "render_analysis",
    "to_networkx",
    "write_analysis",
]
