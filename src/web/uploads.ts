import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { megabytes, type UploadLimits } from '../services/imports.ts';

// Files sent with a form stream to disk as they arrive, each counted against its route's limit, so no
// request holds a file in memory and an oversized one is refused at the byte that crosses the limit, not
// after the whole of it has arrived. Only a route that declares `config.uploads` takes files at all; every
// other form refuses the first file it is sent. Whatever a request saved is deleted once it is answered.

export interface SavedUpload {
  /** The name the browser gave the file ('' when the form was sent without one). */
  fileName: string;
  /** Where it waits on disk while the request is answered. */
  path: string;
  byteSize: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The files this request saved to disk, in the order they were sent. */
    savedUploads: { folder: string; files: SavedUpload[] } | null;
  }
  interface FastifyContextConfig {
    uploads?: UploadLimits;
  }
}

/** Form fields besides the files (the CSRF token and the like): room for their bytes in an upload. */
const FORM_FIELDS_ALLOWANCE = 64 * 1024;
/** Left behind only by a process that stopped mid-request; swept when the next one starts. */
const STALE_AFTER_MS = 60 * 60_000;

class UploadRefusedError extends Error {
  readonly code = 'upload_refused';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Stops taking in the rest of a refused upload at once (the form parser would otherwise read and drop all
 * of it before the refusal got through); the connection closes after the answer.
 */
function refusal(request: FastifyRequest, statusCode: number, message: string): UploadRefusedError {
  request.raw.unpipe();
  request.raw.pause();
  return new UploadRefusedError(statusCode, message);
}

function limitsSentence(limits: UploadLimits): string {
  if (limits.maxFiles === 1) return `An upload may hold one file of up to ${megabytes(limits.maxFileBytes)}.`;
  return `An upload may hold ${limits.maxFiles} files of up to ${megabytes(limits.maxFileBytes)} each.`;
}

/** The route options that let a route take files within these limits. */
export function uploadRoute(limits: UploadLimits) {
  return {
    uploads: limits,
    // Busboy's own count stops one file later, so that the file over the count gets this archive's message.
    multipartOptions: { limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles + 1 } },
  };
}

/** The files a request saved, with a name (a form sent with an empty file field has a nameless one). */
export function savedUploads(request: FastifyRequest): SavedUpload[] {
  return (request.savedUploads?.files ?? []).filter((file) => file.fileName !== '');
}

async function saveUpload(request: FastifyRequest, part: MultipartFile, uploadFolder: string): Promise<void> {
  const limits = request.routeOptions.config.uploads;
  if (!limits) throw refusal(request, 400, 'This form takes no files.');
  const tooLarge = () =>
    refusal(
      request,
      413,
      `“${part.filename}” is larger than the ${megabytes(limits.maxFileBytes)} one file may be. ${limitsSentence(limits)}`,
    );
  // A file that arrived in one piece with the form may have crossed the limit before this is called.
  if (part.file.truncated) throw tooLarge();
  part.file.once('limit', () => part.file.destroy(tooLarge()));
  request.savedUploads ??= { folder: path.join(uploadFolder, randomUUID()), files: [] };
  const saved = request.savedUploads;
  if (saved.files.length === limits.maxFiles)
    throw refusal(request, 413, `That is more files than one upload may hold. ${limitsSentence(limits)}`);
  const file: SavedUpload = {
    fileName: part.filename,
    path: path.join(saved.folder, String(saved.files.length)),
    byteSize: 0,
  };
  saved.files.push(file);
  await fs.mkdir(saved.folder, { recursive: true });
  const target = createWriteStream(file.path);
  await pipeline(part.file, target);
  file.byteSize = target.bytesWritten;
}

async function discardUploads(request: FastifyRequest): Promise<void> {
  if (request.savedUploads) await fs.rm(request.savedUploads.folder, { recursive: true, force: true });
}

async function sweepStaleUploads(uploadFolder: string): Promise<void> {
  const entries = await fs.readdir(uploadFolder).catch(() => []);
  for (const entry of entries) {
    const folder = path.join(uploadFolder, entry);
    const stat = await fs.stat(folder).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > STALE_AFTER_MS)
      await fs.rm(folder, { recursive: true, force: true });
  }
}

export async function registerUploads(app: FastifyInstance, uploadFolder: string): Promise<void> {
  await sweepStaleUploads(uploadFolder);
  app.decorateRequest('savedUploads', null);
  // An upload that says it is larger than the route's limits is refused before a byte of it is read.
  app.addHook('onRequest', async (request) => {
    const limits = request.routeOptions.config.uploads;
    const declared = Number(request.headers['content-length']);
    if (limits && declared > limits.maxFiles * limits.maxFileBytes + FORM_FIELDS_ALLOWANCE) {
      throw new UploadRefusedError(
        413,
        `That upload is ${megabytes(declared)}, more than one upload may be. ${limitsSentence(limits)}`,
      );
    }
  });
  // Fields, CSRF token included, join the body; files go to disk through saveUpload.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    limits: { fields: 20 },
    onFile(part) {
      return saveUpload(this, part, uploadFolder);
    },
  });
  // The rest of a refused upload may still be on its way: close the connection rather than take it in.
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof UploadRefusedError) reply.header('connection', 'close');
  });
  // Gone before the answer leaves, so that whoever gets it finds nothing left on disk.
  app.addHook('onSend', async (request) => discardUploads(request));
  app.addHook('onRequestAbort', discardUploads);
}
