import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';

/** A writer using the JSON API: signs up once, then posts works with a token. */
export class ApiWriter {
  private constructor(
    private readonly app: FastifyInstance,
    readonly username: string,
    readonly token: string,
  ) {}

  static async signUp(app: FastifyInstance, username: string): Promise<ApiWriter> {
    const password = 'long enough password';
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username, email: `${username}@example.org`, password },
    });
    assert.equal(created.statusCode, 201, created.body);
    const issued = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { username, password },
    });
    return new ApiWriter(app, username, issued.json().token);
  }

  async postWork(fields: Record<string, unknown>): Promise<{ id: number; [field: string]: unknown }> {
    const response = await this.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: { authorization: `Bearer ${this.token}` },
      payload: {
        rating: 'General Audiences',
        warnings: ['No Archive Warnings Apply'],
        fandoms: ['Original Work'],
        chapters: [{ body: '<p>A short chapter of original text.</p>' }],
        ...fields,
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }
}
