import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

export type WorkTextFormat = 'html' | 'markdown';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const TABLE_CELL = ['colspan', 'rowspan', 'align'];

// sanitize-html's own value lists keep a rejected attribute as an empty one and ignore them on '*',
// so enumerated attributes are checked here instead: normalised (HTML treats them case-insensitively)
// or dropped.
const ENUMERATED: Record<string, string[]> = {
  align: ['left', 'right', 'center', 'justify'],
  dir: ['ltr', 'rtl', 'auto'],
};

function checkEnumerated(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const checked: sanitizeHtml.Attributes = {};
  for (const [name, value] of Object.entries(attribs)) {
    const allowed = ENUMERATED[name];
    const normalised = allowed ? value.trim().toLowerCase() : value;
    if (!allowed || allowed.includes(normalised)) checked[name] = normalised;
  }
  return { tagName, attribs: checked };
}

/**
 * How many elements deep work text may nest. Real text stays far below it (a table in a list in a
 * blockquote is about ten levels); thousands of levels made browsers' and the EPUB builder's parsers
 * spend seconds per chapter, quadratically. Elements below the cap are unwrapped like disallowed ones:
 * their text stays where it was.
 */
export const MAX_NESTING_DEPTH = 64;

// One allowlist, close to AO3's, for every piece of work text (chapters, notes, summaries).
// Everything not listed is dropped; `style` and `class` are deliberately absent because CSS lets a
// work restyle or cover the page around it.
const WORK_HTML: sanitizeHtml.IOptions = {
  nestingLimit: MAX_NESTING_DEPTH,
  allowedTags: [
    'a',
    'abbr',
    'acronym',
    'address',
    'b',
    'big',
    'blockquote',
    'br',
    'caption',
    'center',
    'cite',
    'code',
    'col',
    'colgroup',
    'dd',
    'del',
    'dfn',
    'div',
    'dl',
    'dt',
    'em',
    ...HEADINGS,
    'hr',
    'i',
    'img',
    'ins',
    'kbd',
    'li',
    'ol',
    'p',
    'pre',
    'q',
    's',
    'samp',
    'small',
    'span',
    'strike',
    'strong',
    'sub',
    'sup',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'tr',
    'tt',
    'u',
    'ul',
    'var',
  ],
  allowedAttributes: {
    '*': ['dir', 'lang', 'title'],
    a: ['href', 'name', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: TABLE_CELL,
    th: TABLE_CELL,
    ...Object.fromEntries(['p', 'div', ...HEADINGS].map((tag) => [tag, ['align']])),
  },
  // Relative URLs stay allowed; any other scheme (javascript:, data:, vbscript:, ...) loses the attribute.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  // Disallowed tags keep their text (<font>hi</font> → hi), except script/style/textarea/option,
  // which sanitize-html drops with their content by default.
  disallowedTagsMode: 'discard',
  transformTags: {
    '*': checkEnumerated,
    // Overrides any rel the author wrote: we don't vouch for outbound links, and they get no opener.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener' } }),
  },
};

const BLOCK_TAG = /<(p|div|br|blockquote|ul|ol|li|table|h[1-6]|hr|pre|dl|center|address)\b/i;

/**
 * Writers paste plain text with blank lines between paragraphs, as AO3 lets them: when the text has
 * line breaks but no block markup of its own, blank lines become paragraphs and single ones line breaks.
 */
function paragraphsFromLineBreaks(html: string): string {
  if (!html.includes('\n') || BLOCK_TAG.test(html)) return html;
  return html
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${paragraph.replace(/\r?\n/g, '<br />')}</p>`)
    .join('\n');
}

export function sanitizeWorkHtml(html: string): string {
  // Paragraphs are made from the sanitised text: entities such as &NewLine; only become line breaks
  // there, and a chapter saved again unchanged from the edit form must stay as it was.
  return sanitizeStoredHtml(paragraphsFromLineBreaks(sanitizeStoredHtml(html)));
}

// sanitize-html's parser closes some elements implicitly (a <p> before a <table>) only when it reads
// them, and unwrapping a refused element can bring such pairs together in its output; a second read
// then moves them. A few passes reach the form that reads back as itself.
const MAX_SANITISING_PASSES = 4;

/** The allowlist alone, for HTML that was already stored once (export bundles): kept as it was, made safe. */
export function sanitizeStoredHtml(html: string): string {
  let sanitised = sanitizeHtml(html, WORK_HTML);
  for (let pass = 1; pass < MAX_SANITISING_PASSES; pass++) {
    const again = sanitizeHtml(sanitised, WORK_HTML);
    if (again === sanitised) break;
    sanitised = again;
  }
  return sanitised;
}

// Only the depth cap: every tag and attribute passes, so what was stored stays as it was.
const DEPTH_ONLY: sanitizeHtml.IOptions = {
  allowedTags: false,
  allowedAttributes: false,
  allowVulnerableTags: true,
  nestingLimit: MAX_NESTING_DEPTH,
  disallowedTagsMode: 'discard',
};

/**
 * Applies the depth cap to HTML stored before the sanitiser had it, so that exports of old text cost
 * the same as of new (the parse stays linear; the tags below the cap are unwrapped, their text kept).
 */
export function flattenDeepNesting(html: string): string {
  return sanitizeHtml(html, DEPTH_ONLY);
}

// html: false makes raw HTML in markdown render as visible text instead of passing through.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

export function renderMarkdown(source: string): string {
  return sanitizeWorkHtml(markdown.render(source));
}

export function toWorkHtml(text: string, format: WorkTextFormat): string {
  switch (format) {
    case 'html':
      return sanitizeWorkHtml(text);
    case 'markdown':
      return renderMarkdown(text);
  }
}

// Tags whose boundaries separate words on screen, so "<p>one</p><p>two</p>" reads as two words.
// Inline tags are left out on purpose: "un<em>believ</em>able" is still one word.
const TEXT_BREAKS: sanitizeHtml.IOptions = {
  allowedTags: [
    'address',
    'article',
    'aside',
    'blockquote',
    'br',
    'caption',
    'center',
    'dd',
    'details',
    'div',
    'dl',
    'dt',
    'figcaption',
    'figure',
    'footer',
    'header',
    ...HEADINGS,
    'hr',
    'li',
    'main',
    'nav',
    'ol',
    'p',
    'pre',
    'section',
    'summary',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'tr',
    'ul',
  ],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
};

const ESCAPED: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * The text a reader sees, entities decoded and whitespace collapsed. Also the basis of countWords, so
 * listings, search and word counts agree on what "the text" is.
 */
export function htmlToPlainText(html: string): string {
  // Reusing sanitize-html's parser (rather than regexes) gets real HTML tokenising and full entity
  // decoding. Its output holds only attribute-less break tags, and its text escaping is exactly
  // &amp; &lt; &gt;, so both can be undone precisely.
  return sanitizeHtml(html, TEXT_BREAKS)
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:amp|lt|gt);/g, (entity) => ESCAPED[entity])
    .replace(/\s+/g, ' ')
    .trim();
}
