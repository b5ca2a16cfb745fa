import { ARCHIVE_WARNINGS, CATEGORIES, RATINGS } from '../domain/vocabulary.ts';
import { LIMITS } from '../domain/workRules.ts';

// The description of API v1 that clients read; keep it in step with routes/api.ts.

const tagList = { type: 'array', items: { type: 'string', maxLength: LIMITS.tagName } };
const errorResponse = {
  description: 'The request was refused',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const idParameter = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
});

const workProperties = {
  title: { type: 'string', maxLength: LIMITS.title },
  summary: { type: 'string', maxLength: LIMITS.summary, description: 'HTML; sanitised' },
  notes: { type: 'string', maxLength: LIMITS.notes },
  end_notes: { type: 'string', maxLength: LIMITS.notes },
  rating: { type: 'string', enum: RATINGS },
  warnings: { type: 'array', items: { type: 'string', enum: ARCHIVE_WARNINGS }, minItems: 1 },
  categories: { type: 'array', items: { type: 'string', enum: CATEGORIES } },
  fandoms: { ...tagList, minItems: 1 },
  relationships: tagList,
  characters: tagList,
  freeforms: tagList,
  language: { type: 'string', example: 'en' },
  complete: { type: 'boolean' },
  expected_chapters: { type: ['integer', 'null'], minimum: 1 },
  restricted: { type: 'boolean', description: 'Only registered users may read it' },
  draft: { type: 'boolean', description: 'Saved but not posted; only its creators see it' },
};

const chapterInput = {
  type: 'object',
  required: ['body'],
  properties: {
    title: { type: 'string', maxLength: LIMITS.chapterTitle },
    body: { type: 'string', maxLength: LIMITS.chapterBody },
    format: { type: 'string', enum: ['html', 'markdown'], default: 'html' },
    summary: { type: 'string' },
    notes: { type: 'string' },
    end_notes: { type: 'string' },
  },
};

export function openApiDocument(origin: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Quire API',
      version: '1',
      description:
        'Everything the archive’s pages do, as JSON. Authenticate with `Authorization: Bearer TOKEN`.',
    },
    servers: [{ url: `${origin}/api/v1` }],
    components: {
      securitySchemes: { token: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', example: 'invalid_input' },
                message: { type: 'string' },
                fields: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
          },
        },
        WorkInput: {
          type: 'object',
          required: ['title', 'rating', 'warnings', 'fandoms', 'chapters'],
          properties: { ...workProperties, chapters: { type: 'array', minItems: 1, items: chapterInput } },
        },
        Work: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            url: { type: 'string', format: 'uri' },
            ...workProperties,
            word_count: { type: 'integer' },
            chapter_count: { type: 'integer' },
            kudos_count: { type: 'integer' },
            comments_count: { type: 'integer' },
            bookmarks_count: { type: 'integer' },
            hits: { type: 'integer' },
            creators: { type: 'array', items: { type: 'string' } },
            published_at: { type: ['string', 'null'], format: 'date-time' },
            updated_at: { type: 'string', format: 'date-time' },
            chapters: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'integer' },
                  position: { type: 'integer' },
                  title: { type: 'string' },
                  word_count: { type: 'integer' },
                },
              },
            },
          },
        },
        ChapterInput: chapterInput,
        Chapter: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            work_id: { type: 'integer' },
            url: { type: 'string', format: 'uri' },
            position: { type: 'integer' },
            title: { type: 'string' },
            body: { type: 'string', description: 'Sanitised HTML' },
            word_count: { type: 'integer' },
          },
        },
      },
    },
    paths: {
      '/users': {
        post: {
          summary: 'Create an account (when registration is open, or with an invitation code)',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['username', 'email', 'password'],
                  properties: {
                    username: { type: 'string' },
                    email: { type: 'string' },
                    password: { type: 'string', minLength: 8 },
                    invitation: { type: 'string' },
                  },
                },
              },
            },
          },
          responses: {
            '201': { description: 'Created: {id, username}' },
            '400': errorResponse,
            '403': errorResponse,
            '409': errorResponse,
            '429': errorResponse,
          },
        },
      },
      '/tokens': {
        post: {
          summary: 'Exchange a username and password for an API token',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['username', 'password'],
                  properties: {
                    username: { type: 'string' },
                    password: { type: 'string' },
                    name: { type: 'string' },
                  },
                },
              },
            },
          },
          responses: {
            '201': { description: 'Created: {token}' },
            '401': errorResponse,
            '429': errorResponse,
          },
        },
      },
      '/works': {
        get: {
          summary: 'Posted works, most recently updated first',
          parameters: [{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }],
          responses: { '200': { description: '{works, total, page, pages}' } },
        },
        post: {
          summary: 'Post a work with its chapters (or save it as a draft)',
          security: [{ token: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/WorkInput' } } },
          },
          responses: {
            '201': {
              description: 'Created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Work' } } },
            },
            '400': errorResponse,
            '401': errorResponse,
          },
        },
      },
      '/works/{id}': {
        parameters: [idParameter('id')],
        get: {
          summary: 'One work with its chapter list',
          responses: {
            '200': {
              description: 'The work',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Work' } } },
            },
            '401': errorResponse,
            '404': errorResponse,
          },
        },
        patch: {
          summary: 'Change some of a work’s fields (creators only)',
          security: [{ token: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', properties: workProperties } } },
          },
          responses: {
            '200': { description: 'The updated work' },
            '400': errorResponse,
            '401': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
          },
        },
        delete: {
          summary: 'Delete a work and its chapters (creators only)',
          security: [{ token: [] }],
          responses: {
            '204': { description: 'Deleted' },
            '401': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
          },
        },
      },
      '/works/{id}/chapters': {
        parameters: [idParameter('id')],
        post: {
          summary: 'Add a chapter at the end of a work (creators only)',
          security: [{ token: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ChapterInput' } } },
          },
          responses: {
            '201': {
              description: 'The new chapter',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Chapter' } } },
            },
            '400': errorResponse,
            '401': errorResponse,
            '403': errorResponse,
          },
        },
      },
      '/works/{id}/chapters/{chapterId}': {
        parameters: [idParameter('id'), idParameter('chapterId')],
        get: {
          summary: 'One chapter with its text',
          responses: { '200': { description: 'The chapter' }, '404': errorResponse },
        },
        patch: {
          summary: 'Change a chapter (creators only)',
          security: [{ token: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ChapterInput' } } },
          },
          responses: {
            '200': { description: 'The updated chapter' },
            '400': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
          },
        },
        delete: {
          summary: 'Delete a chapter (not the only one; creators only)',
          security: [{ token: [] }],
          responses: {
            '204': { description: 'Deleted' },
            '400': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
          },
        },
      },
    },
  };
}
