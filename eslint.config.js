import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const outerLayers = ['**/api/**', '**/realtime/**', '**/jobs/**', '**/scripts/**', '**/server.js', '**/worker.js'];

// What realtime/ and jobs/ must not reach: the HTTP layer's wiring (app, context, routes and routers),
// the scripts and the process files. The views they share with the API (presenters, labels,
// schemas of public inputs, token checks, signatures) are allowed: a socket push and a message to a
// citizen show a case exactly as the REST answer does.
const httpWiring = ['**/api/app.js', '**/api/context.js', '**/api/http/**', '**/api/**/*.router.js', '**/scripts/**', '**/server.js', '**/worker.js'];

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
      'no-restricted-imports': ['error', { patterns: [{ group: outerLayers, message: 'models/ and routing-rules/ must not import api/, realtime/, jobs/, scripts/ or the process files' }] }],
    },
  },
  {
    // Entry points stay thin and side by side: neither calls into the other or into the HTTP wiring.
    files: ['realtime/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...httpWiring, '**/jobs/**'], message: 'realtime/ imports models/, infra/ and shared views of api/, never jobs/, routers or process files' }] }],
    },
  },
  {
    files: ['jobs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...httpWiring, '**/realtime/**'], message: 'jobs/ imports models/, infra/ and shared views of api/, never realtime/, routers or process files' }] }],
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
