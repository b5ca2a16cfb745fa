// The "HTML" download: one self-contained HTML5 file with the same content as the EPUB (preface with
// metadata, summary and notes, a table of contents, chapters with their notes, end notes, afterword).
// No scripts, no stylesheets or fonts to fetch: it reads the same offline. Metadata is escaped here;
// the work text is the archive's sanitised HTML and goes in as it is, with the sanitiser's nesting cap
// applied to text stored before there was one.

import { flattenDeepNesting, htmlToPlainText } from '../domain/htmlPolicy.ts';
import { chapterHeading, type MetadataField, webUrl, workMetadataFields } from './epub.ts';
import type { ChapterDocument, CreatorDocument, WorkDocument } from './workDocument.ts';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function buildWorkHtml(work: WorkDocument): string {
  const language = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(work.language.trim())
    ? ` lang="${escapeHtml(work.language.trim())}"`
    : '';
  const multiChapter = work.chapters.length > 1;
  const hasEndNotes = !isBlank(work.endNotes);
  const creatorNames = work.creators.map((creator) => creator.name).join(', ') || 'Anonymous';

  const parts: string[] = [
    '<!DOCTYPE html>',
    `<html${language}>`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${work.title} - ${creatorNames}`)}</title>`,
    `<style>\n${STYLE}</style>`,
    '</head>',
    '<body>',
    '<div id="preface" class="preface">',
    `<p class="message">${postedOriginally(work)}</p>`,
    `<h1 class="title">${escapeHtml(work.title)}</h1>`,
    `<p class="byline">by ${byline(work.creators)}</p>`,
    metadataList(workMetadataFields(work)),
    userBlock('h2', 'Summary', work.summary, 'summary'),
    userBlock('h2', 'Notes', work.notes, 'notes'),
    hasEndNotes
      ? '<p class="jump">(See the end of the work for <a href="#endnotes">more notes</a>.)</p>'
      : '',
    '</div>',
  ];

  if (multiChapter) {
    parts.push(
      '<nav id="toc" class="toc">',
      '<h2>Contents</h2>',
      '<ol>',
      ...work.chapters.map(
        (chapter) =>
          `<li><a href="#${chapterId(chapter)}">${escapeHtml(chapterHeading(work, chapter))}</a></li>`,
      ),
      '</ol>',
      '</nav>',
    );
  }

  parts.push('<div id="chapters">');
  for (const chapter of work.chapters) parts.push(chapterSection(work, chapter));
  parts.push('</div>');

  if (hasEndNotes)
    parts.push('<div id="endnotes" class="endnotes">', userBlock('h2', 'End Notes', work.endNotes), '</div>');

  parts.push(
    '<div id="afterword" class="afterword">',
    '<h2>Afterword</h2>',
    `<p>${postedOriginally(work)}</p>`,
    `<p>If you enjoyed this work, please ${link('visit its page', work.url)} to leave kudos or a comment for its ${work.creators.length > 1 ? 'creators' : 'creator'}: they will be glad to hear from you.</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  );
  return parts.filter((part) => part !== '').join('\n');
}

function chapterId(chapter: ChapterDocument): string {
  return `chapter-${chapter.position}`;
}

function chapterSection(work: WorkDocument, chapter: ChapterDocument): string {
  const id = chapterId(chapter);
  const hasEndNotes = !isBlank(chapter.endNotes);
  return [
    `<section class="chapter" id="${id}">`,
    `<h2 class="heading">${escapeHtml(chapterHeading(work, chapter))}</h2>`,
    userBlock('h3', 'Summary', chapter.summary),
    userBlock('h3', 'Notes', chapter.notes),
    hasEndNotes
      ? `<p class="jump">(See the end of the chapter for <a href="#${id}-endnotes">more notes</a>.)</p>`
      : '',
    `<div class="userstuff body">\n${flattenDeepNesting(chapter.body)}\n</div>`,
    userBlock('h3', 'End Notes', chapter.endNotes, `${id}-endnotes`),
    '</section>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

/** A heading and the sanitised HTML in a blockquote, or nothing when the HTML is empty. */
function userBlock(heading: 'h2' | 'h3', label: string, html: string, id?: string): string {
  if (isBlank(html)) return '';
  const idAttribute = id ? ` id="${escapeHtml(id)}"` : '';
  return `<${heading}>${escapeHtml(label)}</${heading}>\n<blockquote class="userstuff"${idAttribute}>\n${flattenDeepNesting(html)}\n</blockquote>`;
}

function isBlank(html: string): boolean {
  return html.trim() === '' || (htmlToPlainText(html) === '' && !/<(img|hr)\b/i.test(html));
}

function link(text: string, url: string): string {
  const href = webUrl(url);
  return href ? `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

function byline(creators: CreatorDocument[]): string {
  if (creators.length === 0) return 'Anonymous';
  return creators.map((creator) => link(creator.name, creator.url)).join(', ');
}

function postedOriginally(work: WorkDocument): string {
  return `Posted originally on ${escapeHtml(work.archiveName)} at ${link(work.url, work.url)}.`;
}

function metadataList(fields: MetadataField[]): string {
  const items = fields.map((field) => {
    const values = field.values
      .map(
        (value) =>
          `${escapeHtml(value.prefix ?? '')}${value.href ? link(value.text, value.href) : escapeHtml(value.text)}`,
      )
      .join(escapeHtml(field.separator));
    const name = escapeHtml(field.name);
    return `<dt class="${name}">${escapeHtml(field.label)}:</dt>\n<dd class="${name}">${values}</dd>`;
  });
  return `<dl class="meta">\n${items.join('\n')}\n</dl>`;
}

const STYLE = `body { font-family: Georgia, 'Times New Roman', serif; line-height: 1.5; max-width: 42em;
  margin: 0 auto; padding: 1em; color: #222; background: #fff; }
h1, h2, h3 { line-height: 1.2; }
h1.title, p.byline, h2.heading { text-align: center; }
p.message, p.jump { font-size: 0.9em; font-style: italic; }
dl.meta { border: 1px solid #999; padding: 0.5em 1em; }
dl.meta dt { font-weight: bold; margin-top: 0.3em; }
dl.meta dd { margin: 0 0 0 1.5em; }
blockquote.userstuff { margin: 0.5em 1.5em; }
.userstuff table { border-collapse: collapse; }
.userstuff td, .userstuff th { border: 1px solid #999; padding: 0.2em 0.4em; }
.userstuff img { max-width: 100%; height: auto; }
nav.toc, section.chapter, #endnotes, #afterword { border-top: 1px solid #ccc; margin-top: 2em; }
@media print { section.chapter { page-break-before: always; } }
`;
