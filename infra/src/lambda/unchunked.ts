import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';

/** A Node request listener: what serverless-http calls for each invocation with its own request and response. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Returns `app`'s request listener for serverless-http, with chunked framing switched off on the response it is given,
 * so the proxy result's body is exactly the bytes the app wrote (serverless-http#308).
 *
 * An app that sets `Transfer-Encoding: chunked` (`ctx.set`, or `writeHead` before writing or piping into `ctx.res`)
 * makes Node's ServerResponse frame each write as an HTTP/1.1 chunk (RFC 9112 §7.1). serverless-http 4.0.0 collects
 * those bytes and, seeing the header or `response.chunkedEncoding`, strips the framing by splitting the body at every
 * CRLF (lib/provider/aws/format-response.js): a CRLF inside the data is taken for framing, so the CSV
 * `id,name\r\n1,alpha\r\n2,beta\r\n` arrived as `id,name2,beta`, and chunk sizes count bytes where it cuts characters.
 * Here Node never frames (`chunkedEncoding` stays false whatever the headers say), and once the app has ended the
 * response, `getHeaders()` leaves `transfer-encoding` out, so serverless-http neither parses the body nor passes the header on:
 * API Gateway frames the response itself and would remap a Lambda's Transfer-Encoding (developer guide, "Important
 * notes", headers that may be remapped to `x-amzn-Remapped-*`; docs/apigateway-behaviour.md §6.13). While the app
 * runs it still sees its own header (`ctx.response.get`, `hasHeader`). A Koa stream body without that header was
 * never framed (serverless-http's response does not chunk by default) and is unchanged.
 */
export function unchunked(app: Koa): RequestListener {
  const listener = app.callback();
  return (req, res) => {
    Object.defineProperty(res, 'chunkedEncoding', { configurable: true, get: () => false, set: () => {} });
    const getHeaders = res.getHeaders;
    res.getHeaders = function withoutFraming(this: ServerResponse) {
      const headers = getHeaders.call(this);
      // Once ended, only serverless-http reads them (and may not wait for 'finish': a response ended at once is done).
      if (this.writableEnded) delete headers['transfer-encoding'];
      return headers;
    };
    // A body stream that fails after the headers went out: Koa destroys the response (as it drops the socket of a
    // real one), which emits neither 'finish' nor 'error', so serverless-http would wait until the function times out.
    // Its 'error' ends the invocation at once as a function error (API Gateway answers 502), the app's error logged.
    const destroy = res.destroy;
    let failedOnce = false;
    res.destroy = function failed(this: ServerResponse, error?: Error) {
      const result = destroy.call(this, error);
      if (!this.writableFinished && !failedOnce) {
        failedOnce = true;
        const cause = error ?? new Error('The response was destroyed before it ended');
        // Only while someone waits for it (serverless-http's finish): an 'error' nobody listens to would crash the process.
        process.nextTick(() => this.listenerCount('error') > 0 && this.emit('error', cause));
      }
      return result;
    };
    return listener(req, res);
  };
}
