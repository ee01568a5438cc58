"""The last check of a run: no cassette written during it holds a live secret.

Every cassette is scrubbed before it is written, so this guard finding
anything means a cassette reached the disk some other way, or scrubbing has
a gap. Either way the run fails loudly and names the file.
"""

from __future__ import annotations

from pathlib import Path

from ..secrets import SecretRegistry
from .persister import strings_of

CASSETTE_SUFFIXES = (".yaml", ".yml", ".json")


def cassettes_written_since(folder: Path, since: float) -> list[Path]:
    """Return the cassette files under ``folder`` changed at ``since`` or later."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*"):
        if path.suffix in CASSETTE_SUFFIXES and path.is_file():
            try:
                if path.stat().st_mtime >= since:
                    found.append(path)
            except OSError:
                continue
    return found


def leaked_secrets(paths: list[Path], secrets: SecretRegistry) -> dict[Path, list[str]]:
    """Return, for each file that holds a known secret, the secrets' kinds."""
    if not len(secrets):
        return {}
    leaks: dict[Path, list[str]] = {}
    for path in dict.fromkeys(paths):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        texts = [text, *strings_of(_parsed(text))]
        found = sorted({kind for part in texts for kind in secrets.find_in(part)})
        if found:
            leaks[path] = found
    return leaks


def _parsed(text: str) -> object:
    """Return the document a cassette holds; YAML escapes what it writes
    (``é`` as ``\\xE9``), so a secret is looked for in its strings too."""
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def describe(leaks: dict[Path, list[str]]) -> list[str]:
    """Return the lines that tell the user what leaked and what to do."""
    lines = [
        "archsession: SECRET FOUND IN A CASSETTE WRITTEN BY THIS RUN. Do not "
        "commit it: delete the file, rotate the secret, and record again."
    ]
    for path, kinds in leaks.items():
        lines.append(f"archsession:   {path}: {', '.join(kinds)}")
    return lines
