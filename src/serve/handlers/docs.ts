/**
 * /openapi.json and the /docs page. Swagger UI's files come from the swagger-ui-dist
 * package on disk, never a CDN; each asset is a fixed name mapped to a fixed file, so no
 * part of the request path is ever used to open a file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { HandlerContext } from '../context.js';
import { reply, replyJson, type Exchange } from '../exchange.js';
import { buildOpenApi } from '../openapi.js';

/** swagger-ui sets inline styles and data: images; scripts only from this origin */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>irisops API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
});
`;

export const DOCS_ASSETS: Record<string, { file: string | null; type: string }> = {
  '/docs/swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  '/docs/swagger-ui-bundle.js': {
    file: 'swagger-ui-bundle.js',
    type: 'text/javascript; charset=utf-8',
  },
  '/docs/favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
  '/docs/init.js': { file: null, type: 'text/javascript; charset=utf-8' },
};

function swaggerDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}

export function createDocsHandlers(ctx: HandlerContext) {
  const openapi = JSON.stringify(buildOpenApi(ctx.serviceVersion));
  // read on first use: most servers are never asked for the docs
  const cache = new Map<string, Buffer>();
  const dir = swaggerDir();

  function asset(ex: Exchange): void {
    const entry = DOCS_ASSETS[ex.path];
    if (!entry) return;
    let bytes = cache.get(ex.path);
    if (!bytes) {
      bytes = entry.file ? readFileSync(path.join(dir, entry.file)) : Buffer.from(INIT);
      cache.set(ex.path, bytes);
    }
    reply(ctx, ex, 200, entry.type, bytes, {
      'cache-control': 'public, max-age=3600',
      'content-security-policy': DOCS_CSP,
    });
  }

  return {
    openapi: (ex: Exchange) => replyJson(ctx, ex, 200, openapi),
    page: (ex: Exchange) =>
      reply(ctx, ex, 200, 'text/html; charset=utf-8', PAGE, {
        'content-security-policy': DOCS_CSP,
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      }),
    asset,
  };
}
