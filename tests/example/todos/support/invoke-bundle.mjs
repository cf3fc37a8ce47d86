// Runs in a fresh `node` process: loads the Lambda bundle (a cold start), feeds it API Gateway
// REST proxy events one after another, and prints the proxy responses as one JSON array.
import { pathToFileURL } from 'node:url';

const [bundle, eventsJson] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const results = [];
for (const event of JSON.parse(eventsJson)) results.push(await handler(event, {}));
process.stdout.write(JSON.stringify(results));
