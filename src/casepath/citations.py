"""How a citation is written, in one place: reports, calendars and the rule views all print it so."""

from __future__ import annotations

from collections.abc import Iterable

from casepath.locale import ENGLISH, translate
from casepath.workflow.spec import Citation, Workflow


def cite(spec: Workflow, citation: Citation, lang: str = ENGLISH) -> str:
    """'Document title, section, para N', or 'Modelling decision: label' (in `lang`)."""
    if citation.decision is not None:
        return translate("Modelling decision: {label}", lang, label=spec.decisions[citation.decision].label)
    assert citation.doc is not None
    text = f"{spec.sources[citation.doc].title}, {citation.section}"
    return text + (f", para {citation.para}" if citation.para is not None else "")


def cites(spec: Workflow, citations: Iterable[Citation], lang: str = ENGLISH) -> list[str]:
    """Each citation once, in order."""
    out: list[str] = []
    for citation in citations:
        text = cite(spec, citation, lang)
        if text not in out:
            out.append(text)
    return out
