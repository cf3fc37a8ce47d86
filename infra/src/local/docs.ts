import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The Swagger UI files we serve, from the installed swagger-ui-dist package (no CDN). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

export interface LocalPage {
  status: number;
  contentType: string;
  body: Buffer | string;
}

/** Returns the local-only page for `pathname` (`/docs`, its assets), or undefined when it is not one. */
export async function docsPage(pathname: string): Promise<LocalPage | undefined> {
  if (pathname === '/docs' || pathname === '/docs/') return { status: 200, contentType: 'text/html; charset=utf-8', body: DOCS_HTML };
  const asset = /^\/docs\/([\w.-]+)$/.exec(pathname)?.[1];
  if (!asset || !Object.hasOwn(ASSETS, asset)) return undefined;
  const dir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  return { status: 200, contentType: ASSETS[asset]!, body: await readFile(path.join(dir, asset)) };
}

// The key entered under "Authorize" is kept across reloads (persistAuthorization) and sent as x-api-key.
const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>API docs (local)</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '/openapi.json',
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'BaseLayout',
    });
  </script>
</body>
</html>
`;
