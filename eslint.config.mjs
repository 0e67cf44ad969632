// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeBan = {
  paths: [{ name: 'vscode', message: 'Only src/extension may import vscode: keep core, server, device, providers and cli usable from the CLI and tests.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'out-*/**', '.cache/**', 'node_modules/**', 'test-results/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
      // The typescript-eslint version also catches `import x = require('vscode')` and type imports.
      '@typescript-eslint/no-restricted-imports': ['error', vscodeBan],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: vscodeBan.paths[0].message },
      ],
    },
  },
  {
    // The VS Code layer and the tests that run inside VS Code are the only places vscode is allowed.
    files: ['src/extension/**/*.ts', 'test/integration/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': 'off',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // DESIGN "Layers": core sits at the bottom, so it imports nothing from the layers above it.
    // Only relative specifiers that climb out of core (`../server`, `../../cli/...`) name them;
    // core's own folders (protocol, version, ...) never start with those names.
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          ...vscodeBan,
          patterns: [
            {
              regex: '^(\\.\\./)+(server|device|cli|extension|providers)(/|$)',
              message: 'src/core may not import from server, device, cli, extension or providers: move what both need into core.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
