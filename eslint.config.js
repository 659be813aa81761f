// `npm run lint` runs this (and `prettier --check`). Formatting is prettier's job, so no stylistic rules here.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'data/',
      'public/',
      'test-artifacts/',
      '**/*.cjs',
      'docs/api/',
      'docs/.vitepress/cache/',
      'docs/.vitepress/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Comma expressions only save bytes the minifier saves anyway, and cost every reader.
      'no-sequences': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Tests and benches talk to untyped JSON bodies all day; `any` there is a convenience, not a design.
    files: ['test/**', 'bench/**', 'examples/**/*.test.{ts,tsx}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The create command and the scripts of the apps it creates run on Node.
    files: ['packages/**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
  },
);
