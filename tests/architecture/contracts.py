"""A contract type import-linter lacks: no import cycle between any two modules of a package
(import-linter's `acyclic_siblings` compares packages, which would forbid two capabilities
that use each other's services; a module cycle is what makes import order fragile)."""

from __future__ import annotations

import sys

from importlinter import Contract, ContractCheck, fields, output


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose: bool) -> ContractCheck:
        roots = list(self.packages)  # type: ignore[arg-type]
        modules = {m for m in graph.modules
                   if any(m == root or m.startswith(root + ".") for root in roots)}
        edges = {m: sorted(t for t in graph.find_modules_directly_imported_by(m)
                           if t in modules and t != m) for m in sorted(modules)}
        cycles = [sorted(c) for c in _strongly_connected(edges) if len(c) > 1]
        return ContractCheck(kept=not cycles, metadata={"cycles": sorted(cycles)})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(" <-> ".join(cycle))
            output.new_line()


def _strongly_connected(edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the strongly connected components of the import graph."""
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            found.append(component)

    for node in edges:
        if node not in index:
            visit(node)
    return found
