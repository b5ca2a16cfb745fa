import fs from 'node:fs/promises';
import path from 'node:path';
import {
  type ImportFailure,
  type ImportFile,
  isDownloadFileName,
  unpackDownloads,
} from '../services/imports.ts';

/** The files named on the command line, folders walked in name order, zips of downloads opened. */
export async function collectImportFiles(
  paths: string[],
): Promise<{ files: ImportFile[]; unreadable: ImportFailure[] }> {
  const files: ImportFile[] = [];
  const unreadable: ImportFailure[] = [];

  async function visit(target: string): Promise<void> {
    const stat = await fs.stat(target).catch(() => null);
    if (!stat) {
      unreadable.push({ label: target, reason: 'no such file or folder' });
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of (await fs.readdir(target)).sort()) {
        const child = path.join(target, entry);
        const childStat = await fs.stat(child).catch(() => null);
        if (childStat?.isDirectory() || isDownloadFileName(entry) || /\.zip$/i.test(entry))
          await visit(child);
      }
      return;
    }
    const unpacked = await unpackDownloads({
      label: target,
      name: path.basename(target),
      bytes: await fs.readFile(target),
    });
    files.push(...unpacked.files);
    unreadable.push(...unpacked.unreadable);
  }

  for (const target of paths) await visit(target);
  return { files, unreadable };
}
