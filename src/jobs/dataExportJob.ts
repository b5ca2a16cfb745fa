import {
  buildDataExport,
  expireDataExport,
  failDataExport,
  parseDataExportJob,
} from '../services/dataExport.ts';
import { type JobHandler, MAX_ATTEMPTS } from './queue.ts';

// "Download my data": one job makes the member's zip (services/dataExport.ts queues it), another, booked
// for when it expires, drops its bytes. A zip that cannot be made after the last try is marked failed,
// so the member's page says so and they may ask again.
export const dataExportJobHandler: JobHandler = async (job, db) => {
  const task = parseDataExportJob(job.payload);
  if ('expire' in task) return expireDataExport(db, task.expire);
  try {
    await buildDataExport(db, task.exportId, { origin: task.origin, name: task.archiveName });
  } catch (error) {
    if (job.attempts >= MAX_ATTEMPTS) await failDataExport(db, task.exportId);
    throw error;
  }
};
