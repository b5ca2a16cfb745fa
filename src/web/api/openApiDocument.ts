import type { FastifyInstance } from 'fastify';

/** The generated OpenAPI document, as /api/v1/openapi.json serves it, written out with stable formatting. */
export async function openApiText(app: FastifyInstance): Promise<string> {
  const response = await app.inject({ url: '/api/v1/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`openapi.json answered ${response.statusCode}`);
  return `${JSON.stringify(response.json(), null, 2)}\n`;
}
