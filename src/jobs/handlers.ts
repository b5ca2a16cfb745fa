import type { QuireConfig } from '../config.ts';
import { DATA_EXPORT_JOB } from '../services/dataExport.ts';
import { IMPORT_UPLOAD_JOB } from '../services/imports.ts';
import { dataExportJobHandler } from './dataExportJob.ts';
import { FILTER_TAGS_JOB, rebuildFilterTagsJob } from './filterTagsJob.ts';
import { importUploadJobHandler } from './importUploadJob.ts';
import { MAIL_JOB, mailJobHandler } from './mail.ts';
import type { JobHandler } from './queue.ts';
import { REINDEX_JOB, reindexWorksJob } from './reindexJob.ts';
import { PRUNE_SEARCH_LOG_JOB, pruneSearchLogJob } from './searchLogJob.ts';

/** Every kind of job this archive runs, by name. */
export function jobHandlers(config: QuireConfig): Record<string, JobHandler> {
  return {
    [MAIL_JOB]: mailJobHandler(config.mail),
    [FILTER_TAGS_JOB]: rebuildFilterTagsJob,
    [REINDEX_JOB]: reindexWorksJob,
    [PRUNE_SEARCH_LOG_JOB]: pruneSearchLogJob,
    [IMPORT_UPLOAD_JOB]: importUploadJobHandler(config.imports),
    [DATA_EXPORT_JOB]: dataExportJobHandler,
  };
}
