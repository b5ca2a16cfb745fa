import type { QuireConfig } from '../config.ts';
import { readAo3DownloadInThread, readingHeapMb } from '../services/ao3Reading.ts';
import { failQueuedUpload, importQueuedUpload } from '../services/imports.ts';
import { type JobHandler, MAX_ATTEMPTS } from './queue.ts';

// One job per uploaded file (queued by services/imports.ts with the file itself). A file that cannot be
// read is reported in the upload's outcome and the job succeeds; only trouble outside the file (the
// database away, say) fails the job, which the queue offers again, until the last try gives up on it.

function uploadIdOf(payload: unknown): number {
  const uploadId = (payload as { uploadId?: unknown } | null)?.uploadId;
  if (typeof uploadId !== 'number' || !Number.isSafeInteger(uploadId))
    throw new Error('an import-upload job needs {uploadId: number}');
  return uploadId;
}

export function importUploadJobHandler(limits: QuireConfig['imports']): JobHandler {
  const heapMb = readingHeapMb(limits.maxFileBytes);
  return async (job, db) => {
    const uploadId = uploadIdOf(job.payload);
    try {
      await importQueuedUpload(db, uploadId, limits, (file) => readAo3DownloadInThread(file, heapMb));
    } catch (error) {
      if (job.attempts < MAX_ATTEMPTS) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      await failQueuedUpload(
        db,
        uploadId,
        `The import failed ${MAX_ATTEMPTS} times; the last time: ${reason}`,
      );
    }
  };
}
