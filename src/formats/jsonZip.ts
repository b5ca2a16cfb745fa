import yazl from 'yazl';

// Zips of JSON files (the export bundle, a member's own data): pure, from plain values to bytes.

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/**
 * Zip bytes of these entries: values are written as indented JSON, strings and bytes as they are. Every entry
 * carries the one date given, so the same content gives the same bytes.
 */
export async function zipEntries(entries: [name: string, value: unknown][], date: Date): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, value] of entries)
    zip.addBuffer(
      Buffer.isBuffer(value) ? value : typeof value === 'string' ? Buffer.from(value, 'utf8') : json(value),
      name,
      { mtime: date },
    );
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
