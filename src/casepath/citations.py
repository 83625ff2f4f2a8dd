"""How a citation is written, in one place: reports, calendars and the rule views all print it so.

A cited document may have a public address (`url` in the workflow's `sources:`): `cite` can
add it, and `address_of` finds the address of a citation already written as text (reports
keep citations as text), so that an HTML report can link it.
"""

from __future__ import annotations

from collections.abc import Iterable

from casepath.locale import ENGLISH, translate
from casepath.workflow.spec import Citation, Workflow


def cite(spec: Workflow, citation: Citation, lang: str = ENGLISH, *, with_address: bool = False) -> str:
    """'Document title, section, para N' (with ' <https://…>' when asked and known), or
    'Modelling decision: label' (in `lang`)."""
    if citation.decision is not None:
        return translate("Modelling decision: {label}", lang, label=spec.decisions[citation.decision].label)
    assert citation.doc is not None
    document = spec.sources[citation.doc]
    text = f"{document.title}, {citation.section}"
    text += translate(", para {number}", lang, number=citation.para) if citation.para is not None else ""
    if with_address and document.url:
        text += f" <{document.url}>"
    return text


def cites(
    spec: Workflow, citations: Iterable[Citation], lang: str = ENGLISH, *, with_address: bool = False
) -> list[str]:
    """Each citation once, in order."""
    out: list[str] = []
    for citation in citations:
        text = cite(spec, citation, lang, with_address=with_address)
        if text not in out:
            out.append(text)
    return out


def address_of(spec: Workflow, text: str) -> str | None:
    """The public address of the document a written citation names (by its title or short name), or None."""
    for document in spec.sources.values():
        if document.url and (text.startswith(document.title) or (document.short and text.startswith(document.short))):
            return document.url
    return None


def addresses(spec: Workflow) -> list[tuple[str, str]]:
    """(name, address) of every source document that has an address, in the workflow's order."""
    return [(doc.short or doc.title, doc.url) for doc in spec.sources.values() if doc.url]
