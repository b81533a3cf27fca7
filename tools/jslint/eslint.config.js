// ESLint's recommended rules, and a few that catch what review used to:
// unused code, loose equality, shadowed names. Paths are from the
// repository's root, where make lint runs it.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    rules: {
      'no-unused-vars': ['error', { args: 'after-used', ignoreRestSiblings: true }],
      // x == null is the one test for null or undefined.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-shadow': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['explorer/web/js/**/*.js', 'playground/web/**/*.js'],
    ignores: ['playground/web/vendor/**'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  {
    // The vendored bundles the page loads before its script.
    files: ['playground/web/**/*.js'],
    languageOptions: { globals: { React: 'readonly', ReactDOM: 'readonly', GraphiQL: 'readonly', GraphiQLPluginExplorer: 'readonly' } },
  },
  {
    files: ['explorer/e2e/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      // The scenarios' callbacks run in the page, where the audit loads axe.
      globals: { ...globals.node, ...globals.browser, axe: 'readonly' },
    },
  },
  { ignores: ['**/node_modules/**', 'playground/web/vendor/**', 'playground/node_modules/**'] },
];
