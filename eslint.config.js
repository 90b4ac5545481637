// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node built-ins that do I/O, and libraries that open connections, files or servers. */
const nodeIoModules = [
  'fs', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls', 'child_process', 'cluster',
  'worker_threads', 'readline', 'inspector', 'v8', 'vm', 'repl',
];
const ioLibraries = [
  'modesl', 'ioredis', 'fastify', 'drachtio-srf', 'node-cron', 'prom-client', 'kysely', 'pg', 'better-sqlite3',
];
/** Bare module specifiers only (never a relative path such as `../cluster/x.js`), `node:` optional. */
const modulesRegex = (names) => `^(node:)?(${names.map((n) => n.replace(/\./g, '\\.')).join('|')})(/.*)?$`;

const ioImportPatterns = [
  { group: ['node:*'], message: 'src/core is pure: no Node built-ins (I/O belongs in adapters).' },
  { regex: modulesRegex([...nodeIoModules, 'os', 'process', 'timers', 'crypto', 'perf_hooks', 'events', ...ioLibraries, 'pino', 'yaml']),
    message: 'src/core is pure: I/O, timers and libraries with side effects belong in adapters.' },
];

/*
 * The layers, by the top-level folder of src/ an import reaches. The patterns match a path
 * segment wherever it appears (`../compose/x.js`, `../../../compose/x.js`), so they hold at any
 * folder depth; the price is that a layer's own subfolders must not reuse these names.
 */
const wiring = ['**/compose', '**/compose/**', '**/main', '**/main.js', '**/cli', '**/cli.js', '**/cli/**'];
const appImportPatterns = [
  { group: [...wiring, '**/adapters/**', '**/settings/**', '**/prompts/**', '**/dialplan/**'],
    message: 'src/app uses core, app and ports only: adapters, settings and wiring come in through the composition root (src/compose).' },
  // Types only: the registry's schema and the logger's interface (their modules also load files / open streams).
  { group: ['**/config/**'], allowTypeImports: true, message: 'src/app may only `import type` from src/config.' },
  { group: ['**/lib/logger', '**/lib/logger.js'], allowTypeImports: true, message: 'src/app gets its logger passed in: `import type` only.' },
  { regex: modulesRegex([...nodeIoModules, ...ioLibraries]),
    message: 'src/app does no I/O: it goes through ports that adapters implement.' },
  { regex: modulesRegex(['pino']), allowTypeImports: true, message: 'src/app gets its logger passed in: `import type` only.' },
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
          { group: [...wiring, '**/app/**', '**/adapters/**', '**/lib/**', '**/settings/**', '**/prompts/**', '**/dialplan/**'],
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
    // app: the use cases over ports. It never reaches adapters, wiring or I/O.
    files: ['src/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: appImportPatterns }] },
  },
  {
    // adapters implement ports; only src/compose, src/main.ts and src/cli wire them together.
    files: ['src/adapters/**/*.ts', 'src/adapters/**/*.js'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: wiring, message: 'src/adapters never import the wiring (src/compose, src/main.ts, src/cli): only those wire.' },
      ] }],
    },
  },
);
