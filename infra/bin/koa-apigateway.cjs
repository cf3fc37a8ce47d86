#!/usr/bin/env node
// The `koa-apigateway` command: refuses an unsupported Node.js in one line, then runs the CLI router
// (src/cli/main.ts, built into dist/). Plain CommonJS with no dependency, so the check runs on any Node.js.
'use strict';
require('./check-node.cjs').exitUnlessSupported('koa-apigateway', process.argv.slice(2));
require('../dist/cli/main.js').main(process.argv.slice(2));
