'use strict';
/**
 * Runs dynalite (a DynamoDB-protocol server on LevelDB) in a process of its own, for
 * service/infra/local-dynamo.ts. dynalite's memory grows with every request it serves (mostly LevelDB's, outside
 * the JS heap); inside the gateway's process that made `STORAGE=dynamodb npm start` grow without bound
 * (122 -> 773 MB over 12,000 requests in a red-team run). Options come as JSON in argv[2]; the bound port (or the listen error) goes back over IPC.
 * The process ends when its parent goes away (the IPC channel closes) or on SIGTERM.
 */
const dynalite = require('dynalite');

const options = JSON.parse(process.argv[2] || '{}');
const server = dynalite({ ...(options.path && { path: options.path }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });

server.once('error', (err) => {
  process.send({ error: { code: err.code, message: err.message } }, () => process.exit(1));
});
server.listen(options.port || 0, '127.0.0.1', () => process.send({ port: server.address().port }));

function stop() {
  // SDK clients keep sockets alive; without this, close waits for them to idle out.
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('disconnect', stop);
