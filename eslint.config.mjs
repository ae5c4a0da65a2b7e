import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'data/**',
      'services/dashboard/public/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { project: './tsconfig.tests.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // an async method that happens not to await still promises what its interface says
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // broker and storage drivers stay behind the ports in libs/
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'pulsar-client', message: 'Only libs/bus talks to Pulsar; use the MessageBus port.' },
            {
              name: 'better-sqlite3',
              message: 'Open stores through @stockpulse/service-kit (openDatabase).',
            },
          ],
        },
      ],
    },
  },
  {
    // the libraries own the drivers; cross-service tests read stores directly to check what was stored
    files: ['libs/**/*.ts', 'tests/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // responses parsed in tests are checked by the assertions themselves
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // the dashboard's page: browser code, type-checked with its own (DOM) configuration
    files: ['services/dashboard/web/**/*.ts'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: {
        project: './services/dashboard/web/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
  prettier,
);
