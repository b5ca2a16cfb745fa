import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { WebDependencies } from '../context.ts';

export function registerHealthRoutes(app: FastifyInstance, { archive }: WebDependencies): void {
  // For load balancers: 200 only once the database answers.
  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(archive.db);
      return { status: 'ok', database: archive.dialect };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: archive.dialect });
    }
  });
}
