// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node built-ins and I/O libraries the pure core must never reach. */
const ioModules = [
  'fs', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls', 'child_process', 'cluster',
  'worker_threads', 'os', 'process', 'timers', 'readline', 'crypto', 'perf_hooks', 'events',
  'modesl', 'ioredis', 'fastify', 'drachtio-srf', 'pino', 'node-cron', 'prom-client', 'yaml',
];
const ioImportPatterns = [
  { group: ['node:*'], message: 'src/core is pure: no Node built-ins (I/O belongs in adapters).' },
  ...ioModules.map((name) => ({
    group: [name, `${name}/*`],
    message: 'src/core is pure: I/O, timers and libraries with side effects belong in adapters.',
  })),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', 'dialplans/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  {
    // The wall board's browser modules: plain ES modules run as-is by the browser (no build step),
    // linted with the browser's globals instead of Node's.
    files: ['src/adapters/http/board/assets/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(['window', 'document', 'sessionStorage', 'EventSource', 'fetch', 'setInterval',
        'clearInterval', 'setTimeout', 'clearTimeout', 'performance', 'URL', 'console'].map((g) => [g, 'readonly'])),
    },
  },
  {
    // The pure core: no I/O, no timers, no clock, no randomness, nothing outside src/core.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...ioImportPatterns,
          { group: ['**/app/**', '**/adapters/**', '**/lib/**', '**/main*', '**/cli*'],
            message: 'src/core imports nothing outside src/core.' },
          // The registry's types come from its schema; its values (loader, I/O) never do.
          { group: ['**/config/**'], allowTypeImports: true,
            message: 'src/core may only `import type` from src/config.' },
        ],
      }],
      'no-restricted-globals': ['error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask',
          'fetch', 'process', 'require', 'performance', 'crypto', 'Buffer'].map((name) => ({
          name, message: 'src/core is pure: time, ids and I/O come in through ports.',
        })),
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'src/core is pure: use the Clock port.' },
        { object: 'Math', property: 'random', message: 'src/core is pure: use the IdGen/Random port.' },
        { object: 'performance', property: 'now', message: 'src/core is pure: use the Clock port.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/core is pure: use the Clock port.' },
        { selector: "ImportExpression", message: 'src/core is pure: no dynamic imports.' },
      ],
    },
  },
  {
    // app wires core to ports; it never reaches into adapters.
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/adapters/**', '../main*', '../cli*'], message: 'src/app depends on core and ports only.' },
      ] }],
    },
  },
);
