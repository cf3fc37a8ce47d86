// Preloaded into a process under test (node --expose-gc --import this-file): once a second, a full
// garbage collection, then the live heap on stderr. Live heap after a full GC is what leaks show in;
// RSS also follows V8's heap-sizing heuristics, which grow the heap faster on a busy machine.
if (typeof globalThis.gc === 'function') {
  setInterval(() => {
    globalThis.gc();
    process.stderr.write(`heap-probe ${process.memoryUsage().heapUsed}\n`);
  }, 1000).unref();
}
