import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { tempDir } from '../../support/files';
import { startProcess } from '../../support/process';

// Starts a process that starts another (like tsx starting the gateway), records both pids and a temporary folder
// it made, then fails without stopping or removing anything: the setup file must still take the whole group down
// and remove the folder.
it('fails while a process tree is running', async () => {
  const script = "const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log('grandchild ' + c.pid); setInterval(() => {}, 1000);";
  const p = startProcess(process.execPath, ['-e', script]);
  const m = await p.waitFor(/grandchild (\d+)/);
  const dir = tempDir('leaky-');
  writeFileSync(`${dir}/left-behind.txt`, 'the setup file removes this folder');
  writeFileSync(process.env.LEAK_PID_FILE!, `${p.pgid} ${m[1]} ${dir}`);
  expect('this test').toBe('failing on purpose');
});
