import yauzl from 'yauzl';

// Reading zips that came from elsewhere (downloads, export bundles) without trusting them: entry
// count and inflated size are capped (zip bombs), and entries that would land outside the archive's
// own folder are skipped (path traversal). Everything stays in memory; nothing is written to disk.

export class ZipRejectedError extends Error {}

export interface ZipLimits {
  maxUncompressedBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxUncompressedBytes: 50 * 1024 * 1024, maxEntries: 10_000 };

/** Relative, inside the archive: no absolute paths, drive letters, backslashes, NULs or ".." segments. */
export function isSafeZipPath(name: string): boolean {
  if (name === '' || name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return false;
  if (name.includes('\\') || name.includes('\0')) return false;
  return !name.split('/').some((segment) => segment === '..');
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Inflates the entries `wanted` accepts into memory, by name, within the limits. */
export async function readZipEntries(
  bytes: Buffer,
  wanted: (name: string) => boolean,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<Map<string, Buffer>> {
  let zip: yauzl.ZipFile;
  try {
    // decodeStrings: false so that an entry with an unsafe name is skipped here rather than failing the
    // whole file (yauzl rejects the archive outright when it validates names itself).
    zip = await yauzl.fromBufferPromise(bytes, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw new ZipRejectedError(`unreadable zip (${reason(error)})`);
  }
  if (zip.entryCount > limits.maxEntries) {
    throw new ZipRejectedError(`${zip.entryCount} zip entries (the limit is ${limits.maxEntries})`);
  }
  const files = new Map<string, Buffer>();
  let total = 0;
  let seen = 0;
  const tooBig = () =>
    new ZipRejectedError(`more than ${limits.maxUncompressedBytes} bytes uncompressed (zip bomb?)`);
  try {
    for await (const entry of zip.eachEntry()) {
      if (++seen > limits.maxEntries)
        throw new ZipRejectedError(`more than ${limits.maxEntries} zip entries`);
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileName as unknown as Buffer,
        entry.extraFields,
        false,
      );
      if (!isSafeZipPath(name) || name.endsWith('/') || !wanted(name)) continue;
      if (entry.isEncrypted() || !entry.canDecodeFileData()) continue;
      if (total + entry.uncompressedSize > limits.maxUncompressedBytes) throw tooBig();
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > limits.maxUncompressedBytes) {
          stream.destroy();
          throw tooBig();
        }
        chunks.push(chunk);
      }
      files.set(name, Buffer.concat(chunks));
    }
  } catch (error) {
    if (error instanceof ZipRejectedError) throw error;
    throw new ZipRejectedError(`corrupt zip (${reason(error)})`);
  }
  return files;
}
