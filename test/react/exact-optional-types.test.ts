import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const consumer = join(root, 'test/react/fixtures/exact-optional-consumer.tsx');

/** The consumer's diagnostics under the repository's compiler options with `overrides`. */
function diagnosticsWith(overrides: ts.CompilerOptions): string[] {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const program = ts.createProgram([consumer], { ...parsed.options, ...overrides, noEmit: true });
  return (
    ts
      .getPreEmitDiagnostics(program)
      // The consumer's own errors: what an app with this setting sees (the kit's sources are not compiled by apps).
      .filter((diagnostic) => diagnostic.file?.fileName === consumer)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
  );
}

describe('types under exactOptionalPropertyTypes', () => {
  it("RequestState's children get `data` as defined (no TS18048)", () => {
    expect(diagnosticsWith({ exactOptionalPropertyTypes: true, strict: true })).toEqual([]);
  }, 60_000);
});
