#!/usr/bin/env node
// The `koa-apigateway` command: refuses an unsupported Node.js in one line, then runs the CLI router
// (src/cli/main.ts, built into dist/). Plain CommonJS with no dependency, so the check runs on any Node.js.
'use strict';
require('./check-node.cjs').exitUnlessSupported('koa-apigateway', process.argv.slice(2));
// V8's compiled code of the modules each command loads (Pulumi's, the package's, the app's) is kept on disk and
// reused by the next run, as tsc and npm do: a command starts ~0.5 s sooner (Node.js docs, "Module compile cache";
// NODE_DISABLE_COMPILE_CACHE=1 turns it off, NODE_COMPILE_CACHE=dir moves it).
require('node:module').enableCompileCache();
require('../dist/cli/main.js').main(process.argv.slice(2));
