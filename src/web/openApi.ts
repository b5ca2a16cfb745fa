import { BOOKMARK_LIMITS } from '../domain/bookmarkRules.ts';
import { COMMENT_LIMITS, COMMENT_POLICIES } from '../domain/commentRules.ts';
import { ARCHIVE_WARNINGS, CATEGORIES, RATINGS, TAG_TYPES } from '../domain/vocabulary.ts';
import { LIMITS } from '../domain/workRules.ts';
import { SEARCH_TEXT_LIMITS } from '../search/queryGrammar.ts';
import { CROSSOVER_CHOICES, WORK_SORTS } from '../search/workSearch.ts';

// The description of API v1 that clients read; keep it in step with routes/api.ts.

const tagList = { type: 'array', items: { type: 'string', maxLength: LIMITS.tagName } };
const errorResponse = {
  description: 'The request was refused',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
/** A 200 answer holding one page of a paged list: the given properties plus `page` and `pages`. */
function pageOfResults(description: string, properties: Record<string, unknown>) {
  const paging = { page: { type: 'integer' }, pages: { type: 'integer' } };
  return {
    description,
    content: { 'application/json': { schema: { type: 'object', properties: { ...properties, ...paging } } } },
  };
}
const idParameter = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
});

/** /mutes and /blocks answer alike: the caller's own list of users, with add and remove. */
function userRelationPaths(collection: 'mutes' | 'blocks', verb: 'Mute' | 'Block', effect: string) {
  return {
    [`/${collection}`]: {
      get: {
        summary: `The users you ${collection === 'mutes' ? 'muted' : 'blocked'}, newest first`,
        security: [{ token: [] }],
        responses: {
          '200': {
            description: '{items: [{user, created_at}]}',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          user: { type: 'string' },
                          created_at: { type: 'string', format: 'date-time' },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          '401': errorResponse,
        },
      },
      post: {
        summary: `${verb} a user (not yourself): ${effect}`,
        security: [{ token: [] }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', required: ['user'], properties: { user: { type: 'string' } } },
            },
          },
        },
        responses: {
          '201': { description: 'Done: {user}' },
          '200': { description: 'Already so: {user}' },
          '400': errorResponse,
          '401': errorResponse,
          '404': errorResponse,
        },
      },
    },
    [`/${collection}/{login}`]: {
      parameters: [{ name: 'login', in: 'path', required: true, schema: { type: 'string' } }],
      delete: {
        summary: `Un${verb.toLowerCase()} a user`,
        security: [{ token: [] }],
        responses: {
          '204': { description: 'Undone (or never so)' },
          '401': errorResponse,
          '404': errorResponse,
        },
      },
    },
  };
}

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
  comment_policy: {
    type: 'string',
    enum: COMMENT_POLICIES,
    default: 'open',
    description: 'open: anyone, guests too; registered: logged-in readers; off: no new comments',
  },
  moderate_comments: { type: 'boolean', description: 'New comments wait for a creator’s approval' },
};

const bookmarkProperties = {
  notes: { type: 'string', maxLength: BOOKMARK_LIMITS.notes, description: 'HTML; sanitised' },
  tags: { ...tagList, maxItems: BOOKMARK_LIMITS.tags, description: 'The bookmarker’s own tags' },
  private: { type: 'boolean', description: 'Only the bookmarker sees it; not counted on the work' },
  rec: { type: 'boolean', description: 'A recommendation' },
};

/** Write-only: puts the work into the writer's series of that title (made if new) as its next part. */
const seriesTitleProperty = {
  type: 'string',
  maxLength: LIMITS.title,
  description: 'Add the work to your series of this title (a new series if you have none by that name)',
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
          properties: {
            ...workProperties,
            series_title: seriesTitleProperty,
            chapters: { type: 'array', minItems: 1, items: chapterInput },
          },
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
        Bookmark: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            user: { type: 'string', description: 'The bookmarker' },
            work: { oneOf: [{ $ref: '#/components/schemas/Work' }, { type: 'null' }] },
            series: {
              type: ['object', 'null'],
              properties: {
                id: { type: 'integer' },
                url: { type: 'string', format: 'uri' },
                title: { type: 'string' },
                creator: { type: 'string' },
                complete: { type: 'boolean' },
                work_count: { type: 'integer' },
                word_count: { type: 'integer' },
              },
            },
            ...bookmarkProperties,
            created_at: { type: 'string', format: 'date-time' },
            updated_at: { type: 'string', format: 'date-time' },
          },
        },
        Subscription: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            type: { type: 'string', enum: ['work', 'series', 'user'] },
            name: { type: 'string', description: 'The work’s or series’ title, or the creator’s username' },
            url: { type: 'string', format: 'uri' },
            created_at: { type: 'string', format: 'date-time' },
          },
        },
        Comment: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            url: { type: 'string', format: 'uri', description: 'Opens the comment in its thread' },
            work_id: { type: 'integer' },
            chapter_id: { type: ['integer', 'null'], description: 'Null for a comment on the whole work' },
            parent_id: { type: ['integer', 'null'] },
            author: {
              type: ['object', 'null'],
              description: 'Null for guests and deleted comments',
              properties: { pseud: { type: 'string' }, username: { type: 'string' } },
            },
            guest_name: { type: ['string', 'null'] },
            body: { type: 'string', description: 'Sanitised HTML; empty once deleted' },
            status: {
              type: 'string',
              enum: ['visible', 'unreviewed', 'hidden', 'deleted'],
              description: 'Only creators see hidden ones; unreviewed ones only creators and their author',
            },
            created_at: { type: 'string', format: 'date-time' },
            edited: { type: 'boolean' },
            replies: { type: 'array', items: { $ref: '#/components/schemas/Comment' } },
          },
        },
        InboxItem: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            kind: {
              type: 'string',
              enum: ['comment', 'reply', 'new_chapter', 'new_work', 'new_series_part'],
            },
            read: { type: 'boolean' },
            created_at: { type: 'string', format: 'date-time' },
            work_id: { type: ['integer', 'null'] },
            chapter_id: { type: ['integer', 'null'] },
            comment_id: { type: ['integer', 'null'] },
            text: { type: 'string' },
            comment: {
              type: ['object', 'null'],
              description: 'The comment an item is about, while you may read it; reply with parent_id',
              properties: {
                id: { type: 'integer' },
                author: { type: 'string' },
                body: { type: 'string' },
                status: { type: 'string' },
                can_reply: { type: 'boolean' },
              },
            },
          },
        },
        Reading: {
          type: 'object',
          properties: {
            work_id: { type: 'integer' },
            title: { type: 'string' },
            chapter_id: { type: ['integer', 'null'], description: 'Where you stopped' },
            visits: { type: 'integer' },
            marked_for_later: { type: 'boolean' },
            last_read_at: { type: 'string', format: 'date-time' },
            update_available: { type: 'boolean', description: 'A chapter was added since your last visit' },
          },
        },
        StatsCounts: {
          type: 'object',
          properties: {
            hits: {
              type: 'integer',
              description: 'Visitors per day, not reloads; bots and creators not counted',
            },
            kudos: { type: 'integer' },
            comment_threads: { type: 'integer', description: 'Visible comments that start a thread' },
            bookmarks: { type: 'integer', description: 'Public bookmarks' },
            subscriptions: { type: 'integer' },
            word_count: { type: 'integer' },
          },
        },
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
          summary: 'Find works: filter by tags and ranges, search their text, sort, and page by cursor',
          description:
            'The same parameters as the works pages’ sidebar and search box. Lists may repeat the parameter or separate names with commas. A synonym finds its canonical tag’s works, a meta tag its subtags’ works too.',
          parameters: [
            {
              name: 'include',
              in: 'query',
              schema: tagList,
              description: 'Tags every work must carry',
            },
            { name: 'exclude', in: 'query', schema: tagList, description: 'Tags no work may carry' },
            {
              name: 'rating',
              in: 'query',
              schema: { type: 'array', items: { type: 'string', enum: RATINGS } },
              description: 'Any of these ratings',
            },
            { name: 'complete', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
            { name: 'crossover', in: 'query', schema: { type: 'string', enum: CROSSOVER_CHOICES } },
            { name: 'words_from', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'words_to', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'updated_from', in: 'query', schema: { type: 'string', format: 'date' } },
            { name: 'updated_to', in: 'query', schema: { type: 'string', format: 'date' } },
            { name: 'language', in: 'query', schema: { type: 'string', example: 'en' } },
            {
              name: 'q',
              in: 'query',
              schema: { type: 'string', maxLength: SEARCH_TEXT_LIMITS.length },
              description:
                'Full text over title, summary, creators, tags and chapters: "a phrase", -word, a OR b, and field filters such as words>10000, kudos>100, fandom:"Harry Potter"',
            },
            {
              name: 'sort',
              in: 'query',
              schema: { type: 'string', enum: WORK_SORTS },
              description: 'Default: relevance with q, else updated',
            },
            {
              name: 'cursor',
              in: 'query',
              schema: { type: 'string' },
              description: 'The next_cursor of the previous page, with the same other parameters',
            },
          ],
          responses: {
            '200': {
              description: 'One page (20 works) of the result',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      works: { type: 'array', items: { $ref: '#/components/schemas/Work' } },
                      next_cursor: { type: ['string', 'null'], description: 'Null on the last page' },
                      total: { type: 'integer', description: 'Works in the whole result' },
                      facets: {
                        type: 'object',
                        description: 'Per tag type, the most frequent tags of the whole result',
                        properties: Object.fromEntries(
                          TAG_TYPES.map((type) => [
                            type,
                            {
                              type: 'array',
                              items: {
                                type: 'object',
                                properties: { name: { type: 'string' }, count: { type: 'integer' } },
                              },
                            },
                          ]),
                        ),
                      },
                      unknown_tags: {
                        type: 'array',
                        items: { type: 'string' },
                        description: 'Included names that are no tag here (the result is then empty)',
                      },
                    },
                  },
                },
              },
            },
            '400': errorResponse,
          },
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
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { ...workProperties, series_title: seriesTitleProperty },
                },
              },
            },
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
      '/works/{id}/kudos': {
        parameters: [idParameter('id')],
        get: {
          summary: 'Who left kudos on a work: members by name, guests as a count',
          responses: {
            '200': {
              description: 'The kudos',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      count: { type: 'integer' },
                      users: {
                        type: 'array',
                        description: 'Newest kudos first',
                        items: {
                          type: 'object',
                          properties: {
                            username: { type: 'string' },
                            url: { type: 'string', format: 'uri' },
                          },
                        },
                      },
                      guests: { type: 'integer' },
                    },
                  },
                },
              },
            },
            '401': errorResponse,
            '404': errorResponse,
          },
        },
        post: {
          summary: 'Leave kudos on a work (once per user; not on your own work)',
          security: [{ token: [] }],
          responses: {
            '201': {
              description: 'Kudos left',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { kudos_count: { type: 'integer' } } },
                },
              },
            },
            '401': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
            '409': errorResponse,
            '429': errorResponse,
          },
        },
      },
      '/stats': {
        get: {
          summary: 'Hits, kudos, comment threads, bookmarks, subscriptions and words of your posted works',
          security: [{ token: [] }],
          responses: {
            '200': {
              description: 'Totals and one row per posted work',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      totals: { $ref: '#/components/schemas/StatsCounts' },
                      works: {
                        type: 'array',
                        items: {
                          allOf: [
                            { $ref: '#/components/schemas/StatsCounts' },
                            {
                              type: 'object',
                              properties: { id: { type: 'integer' }, title: { type: 'string' } },
                            },
                          ],
                        },
                      },
                    },
                  },
                },
              },
            },
            '401': errorResponse,
          },
        },
      },
      '/history': {
        get: {
          summary: 'Your reading history, last read first (private to you)',
          security: [{ token: [] }],
          parameters: [
            { name: 'show', in: 'query', schema: { type: 'string', enum: ['to-read'] } },
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
          ],
          responses: {
            '200': pageOfResults('One page of the history', {
              items: { type: 'array', items: { $ref: '#/components/schemas/Reading' } },
              total: { type: 'integer' },
              history_enabled: { type: 'boolean' },
            }),
            '401': errorResponse,
          },
        },
        delete: {
          summary: 'Clear your history, Marked for Later included',
          security: [{ token: [] }],
          responses: { '204': { description: 'Cleared' }, '401': errorResponse },
        },
      },
      '/history/{id}': {
        parameters: [idParameter('id')],
        delete: {
          summary: 'Delete one work from your history',
          security: [{ token: [] }],
          responses: { '204': { description: 'Deleted' }, '401': errorResponse, '404': errorResponse },
        },
      },
      '/history/{id}/mark-for-later': {
        parameters: [idParameter('id')],
        post: {
          summary: 'Mark a work for later (it joins your history even unread)',
          security: [{ token: [] }],
          responses: {
            '200': {
              description: 'The work in your history',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Reading' } } },
            },
            '400': errorResponse,
            '401': errorResponse,
            '404': errorResponse,
          },
        },
        delete: {
          summary: 'Mark a work as read: it leaves Marked for Later',
          security: [{ token: [] }],
          responses: { '204': { description: 'Unmarked' }, '401': errorResponse, '404': errorResponse },
        },
      },
      '/works/{id}/comments': {
        parameters: [idParameter('id')],
        get: {
          summary: 'A work’s comment threads (20 per page), each with its replies, oldest first',
          parameters: [
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
            { name: 'chapter_id', in: 'query', schema: { type: 'integer' }, description: 'One chapter only' },
          ],
          responses: {
            '200': pageOfResults('{threads, total_threads, page, pages}', {
              threads: { type: 'array', items: { $ref: '#/components/schemas/Comment' } },
              total_threads: { type: 'integer' },
            }),
            '401': errorResponse,
            '404': errorResponse,
          },
        },
        post: {
          summary:
            'Comment on a work, a chapter or (with parent_id) another comment; without a token, as a named guest where the work allows guests',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['body'],
                  properties: {
                    body: {
                      type: 'string',
                      maxLength: COMMENT_LIMITS.body,
                      description: 'Text or simple HTML',
                    },
                    chapter_id: { type: 'integer' },
                    parent_id: { type: 'integer' },
                    guest_name: { type: 'string', maxLength: COMMENT_LIMITS.guestName },
                    guest_email: { type: 'string', format: 'email' },
                  },
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'Created: {id, status}; status is unreviewed on moderated works',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      id: { type: 'integer' },
                      status: { type: 'string', enum: ['visible', 'unreviewed'] },
                    },
                  },
                },
              },
            },
            '400': errorResponse,
            '401': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
            '429': errorResponse,
          },
        },
      },
      '/comments/{id}': {
        parameters: [idParameter('id')],
        patch: {
          summary: 'Edit your comment (body), or as a creator of the work set its status',
          security: [{ token: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    body: { type: 'string', maxLength: COMMENT_LIMITS.body },
                    status: { type: 'string', enum: ['visible', 'hidden'] },
                  },
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'The comment',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Comment' } } },
            },
            '400': errorResponse,
            '401': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
          },
        },
        delete: {
          summary:
            'Delete your comment (or, as a creator, one on your work); one with replies stays as a placeholder',
          security: [{ token: [] }],
          responses: {
            '204': { description: 'Deleted' },
            '401': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
          },
        },
      },
      '/inbox': {
        get: {
          summary: 'Your inbox, newest first: comments on your works, replies to you, subscription news',
          security: [{ token: [] }],
          parameters: [
            { name: 'filter', in: 'query', schema: { type: 'string', enum: ['all', 'unread'] } },
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
          ],
          responses: {
            '200': pageOfResults('{items, unread_count, total, page, pages}', {
              items: { type: 'array', items: { $ref: '#/components/schemas/InboxItem' } },
              unread_count: { type: 'integer' },
              total: { type: 'integer' },
            }),
            '401': errorResponse,
          },
        },
      },
      '/inbox/{id}': {
        parameters: [idParameter('id')],
        patch: {
          summary: 'Mark one of your inbox items read or unread',
          security: [{ token: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'object', required: ['read'], properties: { read: { type: 'boolean' } } },
              },
            },
          },
          responses: {
            '200': {
              description: 'The item',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/InboxItem' } } },
            },
            '400': errorResponse,
            '401': errorResponse,
            '404': errorResponse,
          },
        },
        delete: {
          summary: 'Delete one of your inbox items',
          security: [{ token: [] }],
          responses: { '204': { description: 'Deleted' }, '401': errorResponse, '404': errorResponse },
        },
      },
      ...userRelationPaths('mutes', 'Mute', 'their works and comments are hidden from you'),
      ...userRelationPaths('blocks', 'Block', 'they cannot comment on or leave kudos on your works'),
      '/bookmarks': {
        get: {
          summary:
            'A reader’s bookmarks, newest first (their private ones only for themself); without `user`, your own',
          parameters: [
            { name: 'user', in: 'query', schema: { type: 'string' } },
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
            { name: 'rec', in: 'query', schema: { type: 'boolean' } },
            { name: 'tag', in: 'query', schema: { type: 'string' }, description: 'The bookmarker’s tag' },
            { name: 'rating', in: 'query', schema: { type: 'string', enum: RATINGS } },
            { name: 'fandom', in: 'query', schema: { type: 'string' } },
            { name: 'complete', in: 'query', schema: { type: 'boolean' } },
            { name: 'sort', in: 'query', schema: { type: 'string', enum: ['bookmarked', 'updated'] } },
          ],
          responses: {
            '200': pageOfResults('{bookmarks, total, page, pages}', {
              bookmarks: { type: 'array', items: { $ref: '#/components/schemas/Bookmark' } },
              total: { type: 'integer' },
            }),
            '401': errorResponse,
            '404': errorResponse,
          },
        },
        post: {
          summary: 'Bookmark a work or a series (one bookmark each per reader)',
          security: [{ token: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    work_id: { type: 'integer', minimum: 1 },
                    series_id: { type: 'integer', minimum: 1 },
                    ...bookmarkProperties,
                  },
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'Created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Bookmark' } } },
            },
            '400': errorResponse,
            '401': errorResponse,
            '404': errorResponse,
            '409': errorResponse,
          },
        },
      },
      '/bookmarks/{id}': {
        parameters: [idParameter('id')],
        patch: {
          summary: 'Change some of your bookmark’s fields',
          security: [{ token: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', properties: bookmarkProperties } } },
          },
          responses: {
            '200': {
              description: 'The updated bookmark',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Bookmark' } } },
            },
            '400': errorResponse,
            '401': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
          },
        },
        delete: {
          summary: 'Delete your bookmark',
          security: [{ token: [] }],
          responses: {
            '204': { description: 'Deleted' },
            '401': errorResponse,
            '403': errorResponse,
            '404': errorResponse,
          },
        },
      },
      '/subscriptions': {
        get: {
          summary: 'Your subscriptions, newest first',
          security: [{ token: [] }],
          responses: { '200': { description: '{subscriptions: [Subscription]}' }, '401': errorResponse },
        },
        post: {
          summary: 'Subscribe to a work (new chapters), a series (new parts) or a creator (new works)',
          security: [{ token: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  description: 'Exactly one of work_id, series_id or user',
                  properties: {
                    work_id: { type: 'integer', minimum: 1 },
                    series_id: { type: 'integer', minimum: 1 },
                    user: { type: 'string', description: 'A creator’s username' },
                  },
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'Created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Subscription' } } },
            },
            '400': errorResponse,
            '401': errorResponse,
            '404': errorResponse,
            '409': errorResponse,
          },
        },
      },
      '/subscriptions/{id}': {
        parameters: [idParameter('id')],
        delete: {
          summary: 'End one of your subscriptions',
          security: [{ token: [] }],
          responses: { '204': { description: 'Deleted' }, '401': errorResponse, '404': errorResponse },
        },
      },
      '/tags/autocomplete': {
        get: {
          summary: 'Tags that start with (or have a word starting with) what was typed, for tag fields',
          description:
            'At most 10: names starting with the term first, then names with a word starting with it; canonical tags first. Synonyms are never offered: their canonical tag is, in their place.',
          parameters: [
            {
              name: 'term',
              in: 'query',
              required: true,
              schema: { type: 'string', maxLength: LIMITS.tagName },
            },
            {
              name: 'type',
              in: 'query',
              schema: { type: 'string', enum: [...TAG_TYPES, 'any'], default: 'any' },
            },
          ],
          responses: {
            '200': {
              description: '{tags: [{name, type, canonical}]}; an empty term gives an empty list',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      tags: {
                        type: 'array',
                        maxItems: 10,
                        items: {
                          type: 'object',
                          properties: {
                            name: { type: 'string' },
                            type: { type: 'string', enum: TAG_TYPES },
                            canonical: { type: 'boolean' },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            '400': errorResponse,
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
