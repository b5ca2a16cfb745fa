import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';

export interface PageResponse {
  status: number;
  body: string;
  location: string | undefined;
  headers: Record<string, unknown>;
}

/**
 * A reader with a cookie jar, driving the archive through its pages as a browser without JavaScript
 * would: every form post carries the CSRF token of the last page it loaded.
 */
export class ReaderSession {
  private readonly cookies = new Map<string, string>();
  private csrfToken = '';

  constructor(private readonly app: FastifyInstance) {}

  private remember(headers: Record<string, unknown>): void {
    const setCookie = headers['set-cookie'];
    const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : [];
    for (const line of lines) {
      const [pair] = String(line).split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(String(line)))
        this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  async get(url: string): Promise<PageResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    this.remember(response.headers);
    const token = response.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (token) this.csrfToken = token;
    return {
      status: response.statusCode,
      body: response.body,
      location: response.headers.location as string | undefined,
      headers: response.headers,
    };
  }

  /** Posts a form; values may repeat (arrays), as checkbox groups do. */
  async post(
    url: string,
    fields: Record<string, string | string[]>,
    options: { csrf?: string | false } = {},
  ): Promise<PageResponse> {
    const form = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (token !== false) form.append('_csrf', token);
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
    }
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: form.toString(),
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(response.headers);
    return {
      status: response.statusCode,
      body: response.body,
      location: response.headers.location as string | undefined,
      headers: response.headers,
    };
  }

  /** Posts a form and follows the redirect that a successful form answers with. */
  async submit(url: string, fields: Record<string, string | string[]>): Promise<PageResponse> {
    const response = await this.post(url, fields);
    assert.equal(
      response.status,
      303,
      `expected a redirect after POST ${url}, got ${response.status}: ${textOf(response.body).slice(0, 400)}`,
    );
    return this.get(response.location!);
  }

  async signUp(username: string, password = 'correct horse battery'): Promise<PageResponse> {
    await this.get('/signup');
    return this.submit('/signup', { username, email: `${username}@example.org`, password });
  }

  /**
   * Logs in and, as a browser would, follows the redirect: CSRF tokens are bound to the session, so
   * the next form needs a token from a page loaded in the new session. Answers the log-in itself.
   */
  async logIn(login: string, password = 'correct horse battery'): Promise<PageResponse> {
    await this.get('/users/login');
    const response = await this.post('/users/login', { login, password });
    if (response.status === 303 && response.location) await this.get(response.location);
    return response;
  }
}

/** The visible text of a page, roughly: enough to assert what a reader would read. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

export const sampleWork = {
  title: 'The Lighthouse Keeper',
  rating: 'General Audiences',
  warnings: ['No Archive Warnings Apply'],
  categories: ['Gen'],
  fandoms: 'Original Work',
  relationships: 'Keeper & Gull',
  characters: 'The Keeper, The Gull',
  freeforms: 'Fluff, Found Family',
  summary: 'A keeper, a gull, and a very long winter.',
  language: 'en',
  expected_chapters: '2',
  chapter_title: 'First Light',
  chapter_format: 'html',
  chapter_body: '<p>The lamp turned all night, and the gull watched it turn.</p>',
  action: 'post',
};
