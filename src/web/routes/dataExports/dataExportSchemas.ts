import { z } from 'zod';
import type { DataExportState } from '../../../services/dataExport.ts';
import { isoTime } from '../../api/apiContract.ts';

// The JSON shape of "Download my data" in API v1 (private to its member).

export const dataExportSchema = z
  .object({
    status: z.enum(['none', 'queued', 'ready', 'failed', 'expired']).meta({
      description:
        'none: never asked; queued: being gathered; ready: download it; failed or expired: ask again',
    }),
    requested_at: isoTime.nullable(),
    ready_at: isoTime.nullable(),
    expires_at: isoTime.nullable().meta({ description: 'Until when the zip is offered' }),
    byte_size: z.number().int(),
    download_url: z
      .string()
      .nullable()
      .meta({ description: 'While ready: GET it with your token (the page link needs your session)' }),
  })
  .meta({ id: 'DataExport' });

export function dataExportJson(state: DataExportState, origin: string): z.output<typeof dataExportSchema> {
  return {
    status: state.status,
    requested_at: state.requestedAt,
    ready_at: state.readyAt,
    expires_at: state.expiresAt,
    byte_size: state.byteSize,
    download_url: state.status === 'ready' ? `${origin}/api/v1/account/data_export/download` : null,
  };
}

/** The zip's file name: the archive's, the member's and the day's. */
export function dataExportFileName(username: string, readyAt: string): string {
  return `quire-data-${username}-${readyAt.slice(0, 10)}.zip`;
}
