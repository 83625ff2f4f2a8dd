"""Finding, reading and checking a workflow file: by name (shipped with casepath) or by path."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from casepath import yamlfile
from casepath.messages import explain
from casepath.problems import InputProblem
from casepath.workflow import cache, translation
from casepath.workflow.compiled import CompiledWorkflow
from casepath.workflow.reuse import resolve_passages
from casepath.workflow.spec import Workflow

DEFAULT = "denmark"
_REPO_WORKFLOWS = Path(__file__).resolve().parents[3] / "workflows"


def builtin_names() -> list[str]:
    # `denmark.da.yaml` beside `denmark.yaml` is its Danish texts, not a workflow.
    return sorted({p.stem for folder in _folders() for p in folder.glob("*.yaml") if "." not in p.stem})


def _folders() -> list[Path]:
    out = []
    packaged = resources.files("casepath") / "workflows"
    if packaged.is_dir():
        out.append(Path(str(packaged)))
    if _REPO_WORKFLOWS.is_dir():  # running from a source checkout (editable install)
        out.append(_REPO_WORKFLOWS)
    return out


def find(ref: str) -> Path:
    """The file for a workflow reference: a shipped name such as "denmark", or a path."""
    if "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml")):
        return Path(ref)
    for folder in _folders():
        candidate = folder / f"{ref}.yaml"
        if candidate.is_file():
            return candidate
    names = ", ".join(builtin_names()) or "none"
    raise InputProblem(f"unknown workflow {ref!r} (shipped: {names}; or give a path to a .yaml file)")


def load(ref: str | Path = DEFAULT, lang: str = "en") -> CompiledWorkflow:
    """Load, check and compile a workflow, its texts in `lang` (English needs no translation file).

    Results are cached by file, language and the modification times of the files read."""
    path = Path(ref) if isinstance(ref, Path) else find(ref)
    stamps = [_stamp(path)]
    if lang != "en":
        from casepath import locale

        locale.check(lang)
        stamps.append(_stamp(translation.file_for(path, lang)))
    return _load_cached(str(path), lang, tuple(stamps))


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=16)
def _load_cached(path: str, lang: str, _stamps: tuple[int, ...]) -> CompiledWorkflow:
    if lang == "en":
        return _load_english(path)
    english = load(Path(path))  # the English file must hold together before its texts are replaced
    other = translation.file_for(Path(path), lang)
    if not other.is_file():
        raise InputProblem(f"the workflow has no texts in {lang!r} (no file {other.name} beside it)", file=path)
    doc = yamlfile.load(path)
    texts = translation.read(other, doc, lang)
    return english.in_language(translated_spec(translation.apply(doc, texts)), lang, translation.fact_labels(texts))


def _load_english(path: str) -> CompiledWorkflow:
    """Read, check and compile the file, or take what an earlier process made of the same bytes."""
    text = yamlfile.read_text(Path(path))
    name = cache.key(path, "en", text.encode("utf-8"))
    kept = cache.read(name)
    if isinstance(kept, CompiledWorkflow) and kept.file == path and kept.lang == "en":
        return kept
    compiled = compile_document(yamlfile.parse(text, path))
    cache.write(name, compiled)
    return compiled


def translated_spec(doc: yamlfile.Document) -> Workflow:
    """The workflow of a document whose texts were replaced by translations (`translation.apply`).

    Only texts differ from the English document, which was checked and compiled already, and
    the translation file's placeholders were checked: validating the document is all that is
    left (no check, no compiling — the language's view shares the English workflow's engine)."""
    doc = resolve_passages(doc)
    try:
        return Workflow.model_validate(doc.data)
    except ValidationError as err:
        raise explain(err, doc, Workflow) from None


def compile_document(doc: yamlfile.Document) -> CompiledWorkflow:
    """Check a parsed workflow document and compile it."""
    from casepath.workflow.check import check  # here: a workflow from the cache is not checked again

    if not isinstance(doc.data, dict):
        raise doc.problem("a workflow file is a mapping with casepath_workflow: 1 at the top")
    for place, problem in translation.unnamed_texts(doc.data)[:1]:
        raise doc.problem(problem, place)
    doc = resolve_passages(doc)  # {passage: ID} -> the citation it names, before anything reads a citation
    try:
        spec = Workflow.model_validate(doc.data)
    except ValidationError as err:
        raise explain(err, doc, Workflow) from None
    check(spec, doc)
    return CompiledWorkflow(spec, doc.file)
