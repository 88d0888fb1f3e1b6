"""The one error the catalogue loader raises, naming the file, the entry and the reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a catalogue file."""

    file: str  # file name, e.g. "ltdkt2022_nd98_2023.toml"
    entry: str  # "[basis]", "award CSTDCS (entry 2)", "award entry 3" …
    reason: str  # what is wrong, with the field path first

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.reason}"


class CatalogueError(Exception):
    """The catalogue files are broken; nothing was loaded.

    `problems` lists every problem found (not just the first), so that an officer can fix a
    file in one pass.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = [str(problem) for problem in self.problems]
        head = "Catalogue not loaded: "
        if len(lines) == 1:
            return head + lines[0]
        return head + f"{len(lines)} problems:\n" + "\n".join(f"- {line}" for line in lines)
