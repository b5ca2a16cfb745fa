import { z } from 'zod';
import { chapterFieldsSchema } from '../../../domain/workRules.ts';
import { addChapter, deleteChapter, readChapters, updateChapter } from '../../../services/chapters.ts';
import { workForEditing } from '../../../services/works.ts';
import {
  type ApiApp,
  idParams,
  noContent,
  recordId,
  refusals,
  requireToken,
  tokenSecurity,
} from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { chapterJson, chapterSchema } from '../works/workSchemas.ts';

const chapterParams = z.object({ id: recordId, chapterId: recordId });

export function registerChapterApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/works/:id/chapters/:chapterId',
    {
      schema: {
        summary: 'One chapter with its text',
        params: chapterParams,
        response: { 200: chapterSchema, ...refusals(401, 404) },
      },
    },
    async (request) => {
      const { id, chapterId } = request.params;
      const { chapters } = await readChapters(db, request.viewer, id, chapterId);
      return chapterJson(id, chapters[0], archiveSite(config, request).origin);
    },
  );

  api.post(
    '/works/:id/chapters',
    {
      schema: {
        summary: 'Add a chapter at the end of a work (its creators only)',
        security: tokenSecurity,
        params: idParams,
        body: chapterFieldsSchema,
        response: { 201: chapterSchema, ...refusals(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const viewer = requireToken(request);
      const workId = request.params.id;
      const site = archiveSite(config, request);
      const chapter = await addChapter(db, viewer, workId, request.body, site);
      const { chapters } = await readChapters(db, viewer, workId, chapter.id);
      return reply.status(201).send(chapterJson(workId, chapters[0], site.origin));
    },
  );

  api.patch(
    '/works/:id/chapters/:chapterId',
    {
      schema: {
        summary: 'Change a chapter: the fields sent change, the rest stay (its creators only)',
        security: tokenSecurity,
        params: chapterParams,
        body: chapterFieldsSchema.partial(),
        response: { 200: chapterSchema, ...refusals(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      const { id: workId, chapterId } = request.params;
      await workForEditing(db, viewer, workId);
      const [current] = (await readChapters(db, viewer, workId, chapterId)).chapters;
      const origin = archiveSite(config, request).origin;
      // A change applies to the chapter as GET answers it, whose text is HTML already.
      const changed = { ...chapterJson(workId, current, origin), format: 'html' as const, ...request.body };
      await updateChapter(db, viewer, workId, chapterId, changed);
      const [updated] = (await readChapters(db, viewer, workId, chapterId)).chapters;
      return chapterJson(workId, updated, origin);
    },
  );

  api.delete(
    '/works/:id/chapters/:chapterId',
    {
      schema: {
        summary: 'Delete a chapter (its creators only; a work keeps at least one)',
        security: tokenSecurity,
        params: chapterParams,
        response: { 204: noContent, ...refusals(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteChapter(db, requireToken(request), request.params.id, request.params.chapterId);
      return reply.status(204).send(null);
    },
  );
}
