import { existsSync, readFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';
import { renderMarkdown, type Results } from './report';
import { RESULTS_FILE } from './results-file';

/**
 * `npm run bench` output: progress (the bench's console lines) on stderr, and on success the
 * results table, alone, on stdout, so `npm run bench > table.md` captures just the table.
 */
export default class BenchReporter implements Reporter {
  onUserConsoleLog(log: { content: string }) {
    process.stderr.write(log.content);
  }

  onTestRunEnd(modules: readonly TestModule[], errors: readonly unknown[]) {
    let failed = errors.length > 0;
    for (const error of errors)
      process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const result = test.result();
        if (result.state === 'failed') {
          failed = true;
          for (const e of result.errors ?? []) process.stderr.write(`${e.stack ?? e.message}\n`);
        }
      }
      for (const e of mod.errors()) {
        failed = true;
        process.stderr.write(`${e.stack ?? e.message}\n`);
      }
    }
    // The bench deletes the file when it starts, so a table here is always this run's.
    if (failed || !existsSync(RESULTS_FILE)) {
      process.stderr.write('bench failed: no table\n');
      process.exitCode = 1;
      return;
    }
    const results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Results;
    process.stdout.write(renderMarkdown(results));
    process.stderr.write(`\nwrote ${RESULTS_FILE}\n`);
  }
}
