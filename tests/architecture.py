# SPDX-License-Identifier: EUPL-1.2
"""An import-linter contract for the hub's apps (DESIGN decision 11, STYLE 3 and 6b).

The apps are found the way settings.py finds them (every folder of hub/ with an apps.py that
is not part of the foundation), so an app added later is checked without anyone listing it:

1. the foundation (core, accounts, tenancy, geo, catalog, portal) never imports an app;
2. an app imports another app only through its `services` or `selectors` module.

The layers of the foundation and the absence of cycles are import-linter's own contracts
(pyproject.toml, [tool.importlinter]).
"""

from __future__ import annotations

from pathlib import Path

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck

ROOT = Path(__file__).resolve().parent.parent


def apps(root: Path, foundation: set[str]) -> list[str]:
    return sorted(
        f"hub.{folder.name}"
        for folder in (root / "hub").iterdir()
        if (folder / "apps.py").is_file() and f"hub.{folder.name}" not in foundation
    )


def _app_of(module: str, known: list[str]) -> str | None:
    return next((a for a in known if module == a or module.startswith(a + ".")), None)


class AppBoundariesContract(Contract):
    type_name = "app_boundaries"

    foundation = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())  # the modules apps may share
    root = fields.StringField(required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        base = Path(self.root) if self.root else ROOT  # type: ignore[arg-type]
        foundation = set(self.foundation)  # type: ignore[arg-type]
        known = apps(base, foundation)
        shared = set(self.public)  # type: ignore[arg-type]
        broken: list[str] = []
        for importer in sorted(graph.modules):
            source = _app_of(importer, known)
            in_foundation = _app_of(importer, sorted(foundation)) is not None
            if source is None and not in_foundation:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = _app_of(imported, known)
                if target is None or target == source:
                    continue
                lines = ", ".join(
                    str(d["line_number"])
                    for d in graph.get_import_details(importer=importer, imported=imported)
                )
                if in_foundation:
                    broken.append(
                        f"{importer} (foundation) imports the app module {imported} "
                        f"(l.{lines}): register a hook in hub/core/registry.py instead"
                    )
                elif imported.split(".")[2:3] not in ([m] for m in shared):
                    broken.append(
                        f"{importer} imports {imported} (l.{lines}): apps talk to each other "
                        f"only through {' or '.join(sorted(shared))}"
                    )
        return ContractCheck(kept=not broken, metadata={"broken": broken, "apps": known})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["broken"]:
            output.print_error(line)
            output.new_line()
