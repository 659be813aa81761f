import { createWorld } from '../../src/testing/index';
import { call } from './helpers';

const CODE = `<p>Before</p><ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="m1"><ac:parameter ac:name="language">ts</ac:parameter><ac:plain-text-body><![CDATA[if (a < b && c) {
  return "<p>";
}]]></ac:plain-text-body></ac:structured-macro><h2>After &amp; more</h2>`;
const MACROS = `<ac:structured-macro ac:name="drawio-diagram" ac:macro-id="abc-123"><ac:parameter ac:name="diagramName">Flow</ac:parameter></ac:structured-macro><ac:structured-macro ac:name="info"><ac:rich-text-body><p>Read me</p><ac:structured-macro ac:name="status"><ac:parameter ac:name="title">OK</ac:parameter></ac:structured-macro></ac:rich-text-body></ac:structured-macro>`;

async function adfOf(body: string) {
  const world = createWorld();
  const page = world.addPage({ title: 'ADF', body });
  const answer = await call(world, 'GET', `/wiki/api/v2/pages/${page.id}?body-format=atlas_doc_format`);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.json.body.atlas_doc_format.value as string);
}

describe('storage → ADF (body-format=atlas_doc_format)', () => {
  test('a code macro is a codeBlock with its language and the CDATA verbatim; headings stay headings', async () => {
    const adf = await adfOf(CODE);
    expect(adf).toMatchObject({ version: 1, type: 'doc' });
    expect(adf.content).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'Before' }] },
      {
        type: 'codeBlock',
        attrs: { language: 'ts' },
        content: [{ type: 'text', text: 'if (a < b && c) {\n  return "<p>";\n}' }],
      },
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'After & more' }] },
    ]);
  });

  test('other macros are extension nodes with their key, parameters and id; a body makes a bodiedExtension', async () => {
    const adf = await adfOf(MACROS);
    expect(adf.content[0]).toEqual({
      type: 'extension',
      attrs: {
        extensionType: 'com.atlassian.confluence.macro.core',
        extensionKey: 'drawio-diagram',
        parameters: {
          macroParams: { diagramName: { value: 'Flow' } },
          macroMetadata: { macroId: { value: 'abc-123' }, schemaVersion: { value: '1' }, title: 'drawio-diagram' },
        },
        layout: 'default',
      },
    });
    expect(adf.content[1]).toMatchObject({
      type: 'bodiedExtension',
      attrs: { extensionKey: 'info' },
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Read me' }] },
        {
          type: 'extension',
          attrs: { extensionKey: 'status', parameters: { macroParams: { title: { value: 'OK' } } } },
        },
      ],
    });
  });
});
