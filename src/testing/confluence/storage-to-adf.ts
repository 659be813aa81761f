/**
 * Storage format (XHTML with `ac:` macros) → ADF, for `body-format=atlas_doc_format`. A documented subset: no
 * maintained converter on npm is small enough for a browser-safe testing kit (Atlassian's own transformers pull in the
 * editor and ProseMirror), and apps mostly need two things from the ADF: their macro, and code that stays code.
 *
 * - `<ac:structured-macro ac:name="code">` (and `noformat`) → `codeBlock` with `attrs.language` and the
 *   `<ac:plain-text-body>` CDATA as its text, verbatim;
 * - any other macro → an `extension` node (`bodiedExtension` when it has an `<ac:rich-text-body>`, whose content is
 *   converted the same way) with `extensionType: 'com.atlassian.confluence.macro.core'`, `extensionKey` the macro
 *   name, and `parameters.macroParams` / `parameters.macroMetadata` in Confluence's shape;
 * - `<h1>`…`<h6>` → `heading`; every other block (paragraphs, list items, table cells) → a `paragraph` of its text.
 *
 * Marks, lists, tables, links, mentions and images are flattened to text [gap].
 */

type AdfNode = Record<string, unknown>;

const MACRO_OPEN = '<ac:structured-macro';
const MACRO_CLOSE = '</ac:structured-macro>';
const CODE_MACROS = new Set(['code', 'noformat']);

const decodeEntities = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');

const textOf = (xhtml: string) =>
  decodeEntities(
    xhtml
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );

/** Where the macro opened at `start` closes (after its closing tag), counting nested macros. */
function macroEnd(storage: string, start: number): number {
  let depth = 0;
  let position = start;
  for (;;) {
    const open = storage.indexOf(MACRO_OPEN, position);
    const close = storage.indexOf(MACRO_CLOSE, position);
    if (close < 0) return storage.length; // unclosed: the rest is the macro
    if (open >= 0 && open < close) {
      depth++;
      position = open + MACRO_OPEN.length;
    } else {
      depth--;
      position = close + MACRO_CLOSE.length;
      if (depth === 0) return position;
    }
  }
}

/** The text blocks between macros: headings, and a paragraph per other block. */
function textBlocks(xhtml: string): AdfNode[] {
  const nodes: AdfNode[] = [];
  for (const part of xhtml.split(/(?=<h[1-6][\s>])|<\/(?:p|h[1-6]|li|td|th)>/)) {
    const heading = /^<h([1-6])[\s>]/.exec(part);
    const text = textOf(part);
    if (!text) continue;
    const content = [{ type: 'text', text }];
    nodes.push(
      heading ? { type: 'heading', attrs: { level: Number(heading[1]) }, content } : { type: 'paragraph', content },
    );
  }
  return nodes;
}

/** A macro's own tags (not those of macros nested in its body). */
function ownPart(macro: string): string {
  const body = macro.search(/<ac:rich-text-body>/);
  return body < 0 ? macro : macro.slice(0, body);
}

function macroNode(macro: string): AdfNode {
  const head = /^<ac:structured-macro\b([^>]*)>/.exec(macro)?.[1] ?? '';
  const name = /ac:name="([^"]*)"/.exec(head)?.[1] ?? 'unknown';
  const macroId = /ac:macro-id="([^"]*)"/.exec(head)?.[1];
  const own = ownPart(macro);
  const parameters: Record<string, { value: string }> = {};
  for (const [, key, value] of own.matchAll(/<ac:parameter ac:name="([^"]*)"\s*>([\s\S]*?)<\/ac:parameter>/g)) {
    parameters[key!] = { value: decodeEntities(value!) };
  }
  if (CODE_MACROS.has(name)) {
    const cdata = /<ac:plain-text-body><!\[CDATA\[([\s\S]*?)\]\]><\/ac:plain-text-body>/.exec(own)?.[1] ?? '';
    const language = parameters.language?.value;
    return {
      type: 'codeBlock',
      attrs: language ? { language } : {},
      ...(cdata ? { content: [{ type: 'text', text: cdata }] } : {}),
    };
  }
  const attrs = {
    extensionType: 'com.atlassian.confluence.macro.core',
    extensionKey: name,
    parameters: {
      macroParams: parameters,
      macroMetadata: {
        ...(macroId ? { macroId: { value: macroId } } : {}),
        schemaVersion: { value: '1' },
        title: name,
      },
    },
    layout: 'default',
  };
  const richBody = /<ac:rich-text-body>([\s\S]*)<\/ac:rich-text-body>\s*<\/ac:structured-macro>$/.exec(macro)?.[1];
  if (richBody === undefined) return { type: 'extension', attrs };
  const content = blocks(richBody);
  return { type: 'bodiedExtension', attrs, content: content.length ? content : [{ type: 'paragraph', content: [] }] };
}

function blocks(storage: string): AdfNode[] {
  const nodes: AdfNode[] = [];
  let position = 0;
  for (;;) {
    const start = storage.indexOf(MACRO_OPEN, position);
    if (start < 0) break;
    nodes.push(...textBlocks(storage.slice(position, start)));
    const end = macroEnd(storage, start);
    nodes.push(macroNode(storage.slice(start, end)));
    position = end;
  }
  nodes.push(...textBlocks(storage.slice(position)));
  return nodes;
}

/** ADF as v2 sends it: a JSON *string* in `body.atlas_doc_format.value`. */
export function storageToAdf(storage: string): string {
  return JSON.stringify({ version: 1, type: 'doc', content: blocks(storage) });
}
