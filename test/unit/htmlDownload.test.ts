import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from 'cheerio';
import { MAX_NESTING_DEPTH } from '../../src/domain/htmlPolicy.ts';
import { chapterHeading } from '../../src/formats/epub.ts';
import { buildWorkHtml, escapeHtml } from '../../src/formats/htmlDownload.ts';
import { longWork, oneChapterWork } from '../fixtures/sampleWorks.ts';

describe('HTML download', () => {
  const work = longWork();
  const html = buildWorkHtml(work);
  const $ = load(html);

  it('is a complete HTML5 document in the work language', () => {
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.equal($('meta[charset]').attr('charset'), 'utf-8');
    assert.equal($('title').text(), `${work.title} - saltwater_scribe, Zoë <Quill>`);
    assert.equal($('body').length, 1);
  });

  it('contains every chapter in order, with a table of contents linking to them', () => {
    const headings = work.chapters.map((chapter) => chapterHeading(work, chapter));
    assert.deepEqual(
      $('section.chapter > h2.heading')
        .toArray()
        .map((node) => $(node).text()),
      headings,
    );
    const links = $('nav#toc a').toArray();
    assert.deepEqual(
      links.map((node) => $(node).text()),
      headings,
    );
    for (const link of links) {
      const target = ($(link).attr('href') ?? '').slice(1);
      assert.equal($(`[id="${target}"]`).length, 1, `TOC target #${target}`);
    }
    // Each chapter holds its own body text, in order.
    work.chapters.forEach((chapter, index) => {
      const firstSentence = load(chapter.body)('p').first().text().split('. ')[0];
      assert.ok(
        $('section.chapter').eq(index).find('.body').text().includes(firstSentence),
        `chapter ${index + 1}`,
      );
    });
    assert.match($('#chapter-3').text(), /「おかえりなさい」と遥は言った。/);
  });

  it('escapes all metadata', () => {
    assert.equal($('h1.title').text(), 'Ink & Ashes <or, "The Keeper\'s Letters">');
    assert.ok(
      html.includes(
        '<h1 class="title">Ink &amp; Ashes &lt;or, &quot;The Keeper&#39;s Letters&quot;&gt;</h1>',
      ),
    );
    assert.equal($('dd.freeforms').text(), 'Epistolary, Slow Burn, Tags with <angle brackets> & "quotes"');
    assert.equal($('dd.freeforms').children().length, 0, 'a tag was parsed as markup');
    assert.equal(
      $('dd.relationships').text(),
      'Zoë Marchetti/Ito Haruka & Mara Quill, Zoë Marchetti & Mara Quill',
    );
    assert.equal(
      $('dd.series').text(),
      'Part 2 of Lantern Coast Stories & Sketches, Part 1 of Letters <Collected>',
    );
    assert.equal($('p.byline a').eq(1).text(), 'Zoë <Quill>');
    assert.equal($('nav#toc a').eq(4).text(), 'Chapter 5: <Unsent>');
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('shows the metadata block, summary, notes, end notes and an afterword linking back', () => {
    assert.equal($('dd.rating').text(), 'Teen And Up Audiences');
    assert.equal($('dd.fandoms').text(), 'The Lantern Coast (Original Work), Ink & Salt Universe');
    assert.match($('dd.stats').text(), /Chapters: 13\/\? · Kudos: 1,234/);
    assert.match($('#summary').text(), /answered forty years late/);
    assert.equal($('#summary a').attr('href'), 'https://fic.example.org/works/7');
    assert.match($('#notes').text(), /neap/);
    assert.match($('#endnotes').text(), /The tide tables are invented/);
    assert.equal($('a[href="#endnotes"]').length, 1);
    assert.match($('#chapter-8-endnotes').text(), /Raw\u00a0entities/);
    assert.match(
      $('#afterword').text(),
      /Posted originally on Quire Test Archive at https:\/\/fic.example.org\/works\/42\./,
    );
    assert.equal($('#afterword a').first().attr('href'), work.url);
  });

  it('keeps the sanitised work HTML as it is', () => {
    const chapter = work.chapters[7];
    assert.ok(html.includes(chapter.body));
    assert.equal($('#chapter-8 .body table td[colspan="2"]').text(), 'Fog all week');
    assert.equal($('#chapter-8 .body p[align="center"]').length, 1);
  });

  it('is self-contained: no scripts, no stylesheets, fonts or frames to fetch', () => {
    assert.equal($('script').length, 0);
    assert.equal($('link').length, 0);
    assert.equal($('iframe, object, embed').length, 0);
    assert.equal($('style').length, 1);
    assert.doesNotMatch($('style').text(), /@import|url\(/);
    // Only the author's own images (inside the work text) may point elsewhere.
    assert.equal($('[src]').not('.userstuff [src]').length, 0);
    for (const node of $('[href]').not('.userstuff [href]').toArray()) {
      const href = $(node).attr('href') ?? '';
      assert.ok(href.startsWith('#') || /^(https?|mailto):/.test(href), href);
    }
  });

  it('titles a one-chapter work with the work title and needs no table of contents', () => {
    const single = oneChapterWork();
    const page = load(buildWorkHtml(single));
    assert.equal(page('nav#toc').length, 0);
    assert.deepEqual(
      page('section.chapter h2.heading')
        .toArray()
        .map((node) => page(node).text()),
      [single.title],
    );
    assert.match(page('dd.stats').text(), /Chapters: 1\/1/);
    assert.equal(page('#endnotes').length, 0);
  });

  it('caps the nesting of text stored before the sanitiser did, keeping the text', () => {
    const deep = oneChapterWork();
    deep.chapters[0].body = `${'<div>'.repeat(50_000)}Fathoms down.${'</div>'.repeat(50_000)}`;
    const page = load(buildWorkHtml(deep));
    const body = page('section.chapter .userstuff.body');
    assert.match(body.text(), /Fathoms down\./);
    assert.ok(body.find('div').length <= MAX_NESTING_DEPTH);
  });
});
