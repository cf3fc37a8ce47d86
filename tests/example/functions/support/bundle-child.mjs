// One Lambda function instance in its own process: loads the bundle given as argv[2] (its cold start) and invokes
// its `handler` for each event the parent sends over IPC ({ id, event }), answering { id, result } or { id, error }.
import { pathToFileURL } from 'node:url';

const { handler } = await import(pathToFileURL(process.argv[2]).href);
const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };
process.on('message', async ({ id, event }) => {
  try {
    process.send({ id, result: await handler(event, context) });
  } catch (err) {
    process.send({ id, error: String(err?.stack ?? err) });
  }
});
process.send({ ready: true });
