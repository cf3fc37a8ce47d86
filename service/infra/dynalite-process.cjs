'use strict';
/**
 * Runs dynalite (a DynamoDB-protocol server on LevelDB) in a process of its own, for
 * service/infra/local-dynamo.ts. dynalite's memory grows with every request it serves (mostly LevelDB's, outside
 * the JS heap: 63 -> 1,007 MB over 60,000 requests in a red-team run); inside the gateway's process that made
 * `STORAGE=dynamodb npm start` grow without bound. Here it is bounded: past `maxRssBytes` the process tells its
 * parent, which sends it no more requests, stops it once those in flight are answered, and starts the next.
 *
 * The process starts on standby (Node booted, dynalite loaded, no folder open) and opens the data folder and
 * listens when its parent sends `{ start: options }`, options as { path, maxRssBytes, checkEveryMs }: the next
 * process is ready before the current one goes, so a handover costs only opening the folder. The bound port
 * (or the listen error) goes back over IPC. The process ends when its parent goes away (the IPC channel
 * closes) or on SIGTERM.
 */
const dynalite = require('dynalite');

// The LevelDB files hold the user's data: readable by the user only (0600 files, 0700 folders).
process.umask(0o077);

let server;

function start(options) {
  server = dynalite({ ...(options.path && { path: options.path }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.once('error', (err) => {
    process.send({ error: { code: err.code, message: err.message } }, () => process.exit(1));
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));

  // Past the bound: the parent is told once; it drains the requests in flight, then stops this process.
  if (options.maxRssBytes > 0) {
    const watch = setInterval(() => {
      const rss = process.memoryUsage.rss();
      if (rss <= options.maxRssBytes) return;
      clearInterval(watch);
      process.send({ recycling: { rss } });
    }, options.checkEveryMs || 1000);
    watch.unref();
  }
}

function stop() {
  if (!server) process.exit(0);
  // SDK clients keep sockets alive; without this, close waits for them to idle out.
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}

process.on('message', (m) => {
  if (m && m.start && !server) start(m.start);
});
process.on('SIGTERM', stop);
process.on('disconnect', stop);
process.send({ standby: true });
