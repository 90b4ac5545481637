/**
 * The wall board: static HTML, CSS and plain ES modules served by the router itself (no build
 * step, nothing fetched from elsewhere). The files are public; the numbers they show come from
 * /api/stats and /api/stream, which need a token.
 * Assets are read once at registration from ./assets next to this module — in src/ under tsx and
 * vitest, in dist/ after `npm run build` copies them (scripts/copy-assets.js).
 */
import { readFile, readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { RouteAccess } from '../auth/index.js';
import { HttpError } from '../errors/index.js';
import { textResponse } from '../schemas.js';

const ASSETS_DIR = new URL('./assets/', import.meta.url);

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Security headers by @fastify/helmet, on the board's routes only (this plugin's scope).
 * no-referrer: the page may be opened with ?token= (it moves it to sessionStorage at once) and
 * the address must not travel on in a Referer. The CSP allows nothing but this origin: the
 * board's own module scripts, styles and the stream; no inline script, no frames.
 */
const HELMET = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"],
      baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' as const },
  frameguard: { action: 'deny' as const },
  // Served over plain HTTP on the center's network as often as behind TLS: HSTS is the proxy's call.
  strictTransportSecurity: false,
};

const HEADERS = { 'cache-control': 'no-cache' } as const;

const access: RouteAccess = { roles: 'public' };

interface Asset { readonly body: Buffer; readonly type: string }

async function readAssets(dir: URL): Promise<Map<string, Asset>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new Error(`wall board assets missing at ${fileURLToPath(dir)} (run \`npm run build\`, which copies them): ${(err as Error).message}`, { cause: err });
  }
  const assets = new Map<string, Asset>();
  for (const name of names) {
    const type = TYPES[extname(name)];
    if (type !== undefined) assets.set(name, { body: await readFile(new URL(name, dir)), type });
  }
  if (!assets.has('index.html')) throw new Error(`wall board: no index.html in ${fileURLToPath(dir)}`);
  return assets;
}

export interface BoardOptions {
  /** where the asset files are; default ./assets next to this module */
  readonly assetsDir?: URL;
  /** demo mode: a banner on the board says the calls are synthetic */
  readonly demo?: boolean;
}

const DEMO_BANNER = '<p class="demo-banner" id="demo-banner">演示模式 DEMO — 模拟来电与坐席，不是真实话务 · simulated calls and agents, not real traffic</p>';

export function boardPlugin(options: BoardOptions = {}) {
  return async (app: FastifyInstance): Promise<void> => {
    // Read once: a fixed set of files, so a request path can never name anything else.
    const assets = await readAssets(options.assetsDir ?? ASSETS_DIR);
    await app.register(helmet, HELMET);
    const plain = assets.get('index.html');
    const index = plain === undefined || options.demo !== true ? plain
      : { ...plain, body: Buffer.from(plain.body.toString('utf8').replace('<body>', `<body>\n  ${DEMO_BANNER}`)) };

    app.get('/board', { config: { access }, schema: { response: { 200: textResponse('text/html', 'the wall board page') } } }, (_req, reply) => reply.headers(HEADERS).type(index?.type ?? 'text/html').send(index?.body));

    app.get<{ Params: { file: string } }>('/board/:file', {
      config: { access },
      schema: {
        params: { type: 'object', required: ['file'], additionalProperties: false, properties: { file: { type: 'string', maxLength: 64 } } },
        response: { 200: { description: 'a board file (HTML, CSS, JavaScript, SVG)', content: { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } }, 'image/svg+xml': { schema: { type: 'string' } } } } },
      },
    }, (req, reply) => {
      const asset = assets.get(req.params.file);
      if (asset === undefined) throw new HttpError(404, 'HOTLINE_ERR_NOT_FOUND', 'no such board file');
      return reply.headers(HEADERS).type(asset.type).send(asset.body);
    });
  };
}
