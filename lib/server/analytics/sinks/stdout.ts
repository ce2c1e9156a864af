import { toWire } from '../events';
import type { Batch, Sink } from './sink';

/** One JSON object per line on stdout (NDJSON): the development default, and any log shipper's. */
export class StdoutSink implements Sink {
  readonly name = 'stdout';

  constructor(private readonly out: (text: string) => unknown = (t) => process.stdout.write(t)) {}

  write(batch: Batch): Promise<void> {
    let text = '';
    for (const event of batch.events) text += `${JSON.stringify({ analytics: toWire(event) })}\n`;
    this.out(text);
    return Promise.resolve();
  }
}
