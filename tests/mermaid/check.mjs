// Check a Mermaid diagram with Mermaid's own parser, headless (no browser).
//
//   node tests/mermaid/check.mjs < diagram.mmd
//
// Exit 0 and print what Mermaid understood as JSON (nodes and edges, with their labels
// decoded as Mermaid shows them); exit 1 with Mermaid's message on a parse error.
// Mermaid's sanitizer needs a DOM, so jsdom provides one before Mermaid is loaded.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('');
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import('mermaid');

// What Mermaid does to an entity code (`#59;`) before drawing: its markers back to `&#59;`,
// then the browser reads the HTML entity.
function shown(text) {
  const html = String(text ?? '').replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
  const area = window.document.createElement('textarea');
  area.innerHTML = html;
  return area.value;
}

const text = readFileSync(0, 'utf8');
try {
  await mermaid.parse(text);
} catch (err) {
  process.stderr.write(`mermaid: ${err.message}\n`);
  process.exit(1);
}
const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
const understood = { type: diagram.type, nodes: [], edges: [] };
if (typeof diagram.db.getData === 'function') {
  const data = diagram.db.getData();
  understood.nodes = data.nodes.map((n) => ({
    id: n.id, label: shown(n.label), parent: n.parentId ?? null, shape: n.shape,
    classes: String(n.cssClasses ?? '').split(/\s+/).filter(Boolean),
  }));
  understood.edges = data.edges.map((e) => ({ start: e.start, end: e.end, label: shown(e.label) }));
}
process.stdout.write(JSON.stringify(understood) + '\n');
