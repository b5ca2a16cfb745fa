import fs from 'node:fs/promises';
import path from 'node:path';
import { readZipEntries, ZipRejectedError } from '../formats/safeZip.ts';

/** One file to import: where it came from (for the report) and its bytes. */
export interface ImportFile {
  label: string;
  name: string;
  bytes: Buffer;
}

export interface UnreadableFile {
  label: string;
  reason: string;
}

const ZIP_MAGIC = 0x04034b50;
const DOWNLOAD_FILE = /\.(?:html?|epub)$/i;

function isEpub(name: string, bytes: Buffer): boolean {
  return (
    /\.epub$/i.test(name) ||
    bytes.subarray(0, 200).toString('latin1').includes('mimetypeapplication/epub+zip')
  );
}

/**
 * The files named on the command line, folders walked in name order, and zips of downloads opened
 * (an EPUB is a zip too, but it is one download, not a folder of them).
 */
export async function collectImportFiles(
  paths: string[],
): Promise<{ files: ImportFile[]; unreadable: UnreadableFile[] }> {
  const files: ImportFile[] = [];
  const unreadable: UnreadableFile[] = [];

  async function visit(target: string): Promise<void> {
    let stat: Awaited<ReturnType<typeof fs.stat>>;
    try {
      stat = await fs.stat(target);
    } catch {
      unreadable.push({ label: target, reason: 'no such file or folder' });
      return;
    }
    if (stat.isDirectory()) {
      const entries = (await fs.readdir(target)).sort();
      for (const entry of entries) {
        const child = path.join(target, entry);
        const childStat = await fs.stat(child).catch(() => null);
        if (childStat?.isDirectory() || DOWNLOAD_FILE.test(entry) || /\.zip$/i.test(entry))
          await visit(child);
      }
      return;
    }
    const bytes = await fs.readFile(target);
    const name = path.basename(target);
    if (bytes.length >= 4 && bytes.readUInt32LE(0) === ZIP_MAGIC && !isEpub(name, bytes)) {
      try {
        const entries = await readZipEntries(bytes, (entryName) => DOWNLOAD_FILE.test(entryName));
        for (const [entryName, entryBytes] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
          files.push({
            label: `${target}:${entryName}`,
            name: path.posix.basename(entryName),
            bytes: entryBytes,
          });
        }
      } catch (error) {
        if (!(error instanceof ZipRejectedError)) throw error;
        unreadable.push({ label: target, reason: error.message });
      }
      return;
    }
    files.push({ label: target, name, bytes });
  }

  for (const target of paths) await visit(target);
  return { files, unreadable };
}
