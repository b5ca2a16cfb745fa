import { addUserRelation, removeUserRelation } from '../../../services/muting.ts';
import { listUserRelations, RELATION_TABLES } from '../../../services/userRelations.ts';
import { type ApiApp, noContent, refusals, requireToken, tokenSecurity } from '../../api/apiContract.ts';
import type { WebDependencies } from '../../context.ts';
import {
  loginParams,
  relatedUserJson,
  relatedUsersSchema,
  relationAnswerSchema,
  relationRequestSchema,
} from './userRelationSchemas.ts';

/** How the summaries speak of each kind, and what it does. */
const WORDING = {
  mute: { verb: 'Mute', done: 'muted', effect: 'their works and comments are hidden from you' },
  block: { verb: 'Block', done: 'blocked', effect: 'they cannot comment on or leave kudos on your works' },
};

/** /mutes and /blocks answer alike: the caller's own list of users, with add and remove. */
export function registerUserRelationApi(api: ApiApp, { archive }: WebDependencies): void {
  const db = archive.db;

  for (const kind of ['mute', 'block'] as const) {
    const wording = WORDING[kind];
    const collection = `/${RELATION_TABLES[kind]}`;

    api.get(
      collection,
      {
        schema: {
          summary: `The users you ${wording.done}, newest first`,
          security: tokenSecurity,
          response: { 200: relatedUsersSchema, ...refusals(401) },
        },
      },
      async (request) => {
        const viewer = requireToken(request);
        const users = await listUserRelations(db, viewer, viewer.id, kind);
        return { items: users.map(relatedUserJson) };
      },
    );

    api.post(
      collection,
      {
        schema: {
          summary: `${wording.verb} a user (not yourself): ${wording.effect}`,
          security: tokenSecurity,
          body: relationRequestSchema,
          response: {
            201: relationAnswerSchema.meta({ description: `Now ${wording.done}` }),
            200: relationAnswerSchema.meta({ description: `Already ${wording.done}: nothing changed` }),
            ...refusals(400, 401, 404),
          },
        },
      },
      async (request, reply) => {
        const { username, created } = await addUserRelation(
          db,
          requireToken(request),
          kind,
          request.body.user,
        );
        return reply.status(created ? 201 : 200).send({ user: username });
      },
    );

    api.delete(
      `${collection}/:login`,
      {
        schema: {
          summary: `Un${wording.verb.toLowerCase()} a user (nothing to do if they were not ${wording.done})`,
          security: tokenSecurity,
          params: loginParams,
          response: { 204: noContent, ...refusals(400, 401, 404) },
        },
      },
      async (request, reply) => {
        await removeUserRelation(db, requireToken(request), kind, request.params.login);
        return reply.status(204).send(null);
      },
    );
  }
}
