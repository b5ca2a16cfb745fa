import { parentPort } from 'node:worker_threads';
import { Ao3FormatError } from '../formats/ao3Download.ts';
import { type ReadingAnswer, readAo3Download } from './ao3Reading.ts';

// The body of a reading thread (see ao3Reading.ts): for each download sent in, one answer out.

async function answer(name: string, bytes: Uint8Array): Promise<ReadingAnswer> {
  try {
    return {
      work: await readAo3Download({
        name,
        bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      }),
    };
  } catch (error) {
    // A parser that throws anything else (say, on nesting too deep) still only failed this file.
    if (error instanceof Ao3FormatError) return { refusal: error.message };
    return { refusal: `could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
}

parentPort?.on('message', async ({ name, bytes }: { name: string; bytes: Uint8Array }) => {
  parentPort?.postMessage(await answer(name, bytes));
});
