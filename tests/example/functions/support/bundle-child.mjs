// One Lambda function instance in its own process: loads the bundle given as argv[2] (its cold start), then invokes
// its `handler` once per POST on a loopback port, the body an API Gateway event (JSON), answering the proxy result
// (JSON; 500 with the error's stack if the handler throws). Prints `READY <port>` once listening.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const { handler } = await import(pathToFileURL(process.argv[2]).href);
const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };
const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    const result = await handler(JSON.parse(Buffer.concat(chunks).toString('utf8')), context);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err?.stack ?? err));
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`));
