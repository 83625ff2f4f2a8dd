"""Danish throughout: every bundled example, through every command and format, with `--lang da`, and not
one English word of casepath's own vocabulary, nor one raw workflow id, in what a person reads.

Only the source documents' own words may stay English: their titles, the sections cited in them, and
their addresses (they are removed before the check, exactly as casepath writes them). What counts as
read: the text of text, Markdown, walk, timeline, compare, explain, rules and agenda output; the
visible text and tool tips of the HTML page (not its script or style); the texts of the calendar
(SUMMARY, DESCRIPTION…, not the property names); the labels of the diagrams.
"""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from casepath import api, cli, yamlfile
from casepath.citations import cite
from casepath.workflow.spec import Citation

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CASELOAD = ROOT / "examples" / "caseload"

# casepath's own English words: headings, statuses, field names, connectives. None is a Danish word
# (so "for", "at", "to", "is", "status", "note" and "by" are not here: Danish has them too).
ENGLISH = set(
    re.findall(
        r"\S+",
        """
    the and or otherwise if then when with without from until since before after of in on are was
    not no yes none unknown any every each this that which what where who how why
    case step steps event events state states track tracks deadline deadlines entitlement entitlements rule rules
    source sources how: sources: reason kind where until days months weeks hours automatic changed
    upcoming met missed expired replaced ended cancelled running passed due soon today tomorrow
    happened report outcome progress warning warnings assumed assumption assumptions decision decisions
    what's cannot can happen happens next back quit press enter previous first last
    """,
    )
)


def _workflow():
    return api.load_workflow("denmark", lang="da")


def _ids() -> set[str]:
    """Every id a scenario or the workflow uses: events, states, deadlines, entitlements, tracks,
    outcomes, parameters, and the values of choice fields."""
    spec = api.load_workflow("denmark").spec
    ids = set(spec.events) | set(spec.deadlines) | set(spec.entitlements) | set(spec.tracks) | set(spec.outcomes)
    ids |= set(spec.parameters) | {s for t in spec.tracks.values() for s in t.states}
    fields = [*spec.person.fields.values(), *(f for e in spec.events.values() for f in e.fields.values())]
    ids |= {v for f in fields for v in f.values or []}
    return ids - {"start"}  # a Danish word too ("refleksionsperiodens start")


IDS = _ids()


def _citations(value: object, found: list[Citation]) -> list[Citation]:
    """Every citation anywhere in the workflow."""
    if isinstance(value, Citation):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _citations(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _citations(item, found)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _citations(getattr(value, name), found)
    return found


def _sources_words() -> list[str]:
    """The source documents' own words as casepath writes them: citations, titles, short names."""
    spec = _workflow().spec
    texts = set()
    for citation in _citations(spec, []):
        if citation.doc is not None:
            texts.add(cite(spec, citation, "da"))
            short = spec.sources[citation.doc].short  # reports may shorten the title
            if short:
                texts.add(short + cite(spec, citation, "da")[len(spec.sources[citation.doc].title) :])
    for document in spec.sources.values():
        texts |= {document.title, *([document.short] if document.short else [])}
    # longest first, so that a title inside a citation does not leave the rest of it behind
    return sorted((" ".join(t.split()) for t in texts), key=len, reverse=True)


SOURCES = _sources_words()


def _shown_strings(data: object, key: str = "") -> list[str]:
    """The texts the step-through's script puts on the page from its data (not `status`, a class name, nor
    `states`, which marks the diagrams)."""
    if key in ("status", "states"):
        return []
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _shown_strings(v, k)]
    if isinstance(data, list):
        return [s for v in data for s in _shown_strings(v, key)]
    return []


class _Visible(html.parser.HTMLParser):
    """The text a reader sees on an HTML page, and its tool tips; not its script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "alt", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


TITLES = [yamlfile.load(p).data["title"] for p in [*EXAMPLES, *sorted(CASELOAD.glob("*.yaml"))]]
"""The scenarios' own titles: the user's words, in the language the user wrote them in."""


def readable(text: str, format: str) -> str:
    """What a person reads of an output, whitespace collapsed, without the sources' own words and
    without the titles the scenario files give themselves."""
    if format == "html":
        page = _Visible()
        page.feed(text)
        steps = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', text, re.S)
        text = "\n".join(page.parts + [s for data in steps for s in _shown_strings(json.loads(data))])
    elif format == "ics":
        text = re.sub(r"\r?\n[ \t]", "", text)  # unfold
        values = []
        for line in text.splitlines():
            name, _, value = line.partition(":")
            if name.split(";")[0] in ("SUMMARY", "DESCRIPTION", "LOCATION", "X-WR-CALNAME", "X-WR-CALDESC"):
                values.append(value.replace("\\n", " ").replace("\\,", ",").replace("\\;", ";"))
        text = "\n".join(values)
    elif format == "dot":
        text = "\n".join(re.findall(r'label="((?:[^"\\]|\\.)*)"', text)).replace("\\n", " ")
    elif format == "mermaid":
        text = "\n".join(a or b for a, b in re.findall(r'state "([^"]*)"| : ([^\n]*)', text))
    text = " ".join(text.split())
    text = re.sub(r"<?https?://[^\s>]+>?", " ", text)
    text = re.sub(r"\S+\.ya?ml\b", " ", text)  # the user's file names
    text = re.sub(r"--[a-z][a-z-]*", " ", text)  # command-line options are what one types
    for words in [*SOURCES, *TITLES]:
        text = text.replace(words, " ")
    return text


def leaks(text: str) -> list[str]:
    """English words and raw ids in a text, each with a little of what surrounds it."""
    found = []
    for match in re.finditer(r"[A-Za-zæøåÆØÅ_'’:]+", text):
        token = match.group().strip("'’:")
        raw = match.group().rstrip("'’")
        word = token.lower()
        english = word in ENGLISH or raw.lower() in ENGLISH
        if english or token in IDS:
            found.append(text[max(0, match.start() - 30) : match.end() + 30])
    return found


def run(capsys, *args: str) -> str:
    code = cli.main([*args])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return out


FORMATS = ["text", "markdown", "html", "ics"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_in_every_report_format_is_danish(capsys, example: Path) -> None:
    for format in FORMATS:
        out = run(capsys, "simulate", str(example), "--lang", "da", "--format", format)
        assert leaks(readable(out, format)) == [], format


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_walked_and_compared_is_danish(capsys, example: Path) -> None:
    out = run(capsys, "walk", str(example), "--all", "--lang", "da")
    assert leaks(readable(out, "text")) == [], "walk"
    out = run(capsys, "compare", str(example), "--as-of", "2012-06-01", "--lang", "da")
    assert leaks(readable(out, "text")) == [], "compare"


def test_timeline_rules_agenda_graph_and_explain_are_danish(capsys) -> None:
    said = {
        "timeline": run(
            capsys,
            "timeline",
            "--identified",
            "2022-03-10",
            "--residence",
            "undocumented",
            "--extension-requested",
            "2022-04-01",
            "--reason",
            "cooperation_on_return",
            "--lang",
            "da",
        ),
        "rules": run(capsys, "rules", "--as-of", "2013-03-01", "--lang", "da"),
        "changes": run(capsys, "rules", "--changes", "--lang", "da"),
        "agenda": run(capsys, "agenda", str(CASELOAD), "--from", "2022-05-23", "--lang", "da"),
        "explain": run(capsys, "explain", "--lang", "da"),
    }
    for term in ("reflection_maximum", "udrejsefrist", "pathway.extended", "contact_person", "identified"):
        said[f"explain {term}"] = run(capsys, "explain", term, "--lang", "da")
    for name, out in said.items():
        assert leaks(readable(out, "text")) == [], name
    for format in ("mermaid", "dot"):
        out = run(capsys, "graph", "--format", format, "--lang", "da")
        assert leaks(readable(out, format)) == [], format
    for format in ("html", "ics", "markdown"):
        out = run(capsys, "agenda", str(CASELOAD), "--from", "2022-05-23", "--lang", "da", "--format", format)
        assert leaks(readable(out, format)) == [], f"agenda {format}"


def test_the_check_finds_english_and_ids() -> None:
    """The checker itself can fail: an English word, a raw id and a status word are caught."""
    assert leaks(readable("Frist: 2022-04-09 (Sources: x)", "text"))
    assert leaks(readable("Hændelse: reflection_end", "text"))
    assert leaks(readable("<p>Udrejsefrist <em>met</em></p>", "html"))
    assert leaks(readable("SUMMARY:Due soon: Udrejsefrist\r\n", "ics"))
    assert not leaks(readable("Udrejsefrist 2022-07-08 overholdt", "text"))
    # the sources' own words are not a leak
    assert not leaks(readable("Kilder: " + SOURCES[0], "text"))


def test_the_official_danish_terms() -> None:
    """domain.md §7 and issue 13: the terms CMM and the statutes use, not the odd or wrong ones."""
    spec = _workflow().spec
    texts = " ".join(
        [spec.entitlements[e].label for e in spec.entitlements]
        + [s.label for t in spec.tracks.values() for s in t.states.values()]
        + [e.label for e in spec.events.values()]
        + list(spec.outcomes.values())
    )
    for wrong in ("Strafrihed", "beskyttet bolig", "Advokatbistand", "Hjemrejst", "forberedt hjemrejse", "givet"):
        assert wrong not in texts, wrong
    assert spec.entitlements["non_punishment"].label.startswith("Straffrihed")
    assert spec.entitlements["legal_assistance_at_trial"].label.startswith("Bistandsadvokat")
    assert "anden sikker indkvartering" in spec.entitlements["safe_accommodation"].label
    assert spec.tracks["pathway"].states["returned"].label == "Rejst hjem med forberedt hjemsendelse"
    assert spec.events["extension_granted"].label == "Forlængelse meddelt"
    assert spec.events["residence_permit_granted"].label == "Opholdstilladelse meddelt"
    from casepath import locale

    catalog = locale.catalog("da")
    assert "ÅÅÅÅ-MM-DDTtt:mm" in catalog["Date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM for a time)"]
    assert "i forløben tid" in catalog["{start} + {length}, in real elapsed hours; {why}"]
