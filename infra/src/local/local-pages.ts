import { docsPage } from './docs';
import type { PlainAnswer } from './request';

/**
 * Stage 2, the emulator's own pages (not API Gateway's): reads the method and path; answers `GET`/`HEAD`
 * `/openapi.json` (the document `openapi(baseUrl)` returns) and `/docs…` (Swagger UI, ./docs.ts) when the
 * gateway has an OpenAPI document; else undefined, and the request goes on to the stage (an unknown path
 * such as `/docs` without a document is then the gateway's 403, docs/apigateway-behaviour.md §1.7).
 */
export async function localPage(method: string, rawPath: string, openapi: ((baseUrl: string) => unknown) | undefined, baseUrl: string): Promise<PlainAnswer | undefined> {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (rawPath === '/openapi.json' && openapi) {
    return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(openapi(baseUrl), null, 2) };
  }
  if (rawPath === '/docs' || rawPath.startsWith('/docs/')) {
    const page = openapi ? await docsPage(rawPath) : undefined;
    return page && { status: page.status, headers: { 'Content-Type': page.contentType }, body: page.body };
  }
  return undefined;
}
