import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const outerLayers = ['**/api/**', '**/realtime/**', '**/jobs/**', '**/server.js', '**/worker.js'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'web/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Dependencies point inward: the domain never reaches for the delivery layers.
    files: ['models/**/*.ts', 'routing-rules/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: outerLayers, message: 'models/ and routing-rules/ must not import api/, realtime/, jobs/ or the process files' }] }],
    },
  },
  {
    files: ['routing-rules/**/*.ts'],
    ignores: ['routing-rules/default-rules.ts', 'routing-rules/gazetteer.ts', 'routing-rules/catalogue-files.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...outerLayers, '**/infra/**', 'pg', 'ioredis', 'bullmq'], message: 'the rule engine is pure: no I/O' }] }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
