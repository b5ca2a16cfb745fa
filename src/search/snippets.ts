import { type SearchToken, searchTokenSpans } from './queryGrammar.ts';
import type { TextAlternative, TextQuery } from './workSearch.ts';

// A few lines of a work around the first place it matches, so a reader sees why it was found.

export interface SnippetPart {
  text: string;
  /** Views show matched parts marked (<mark>). */
  match: boolean;
}

/** How many tokens of an alternative end at `end` (exclusive) in `tokens`, or 0 when it does not. */
function matchLengthEndingAt(tokens: SearchToken[], end: number, alternative: TextAlternative): number {
  const words = alternative.kind === 'word' ? [alternative.word] : alternative.words;
  if (end < words.length) return 0;
  const start = end - words.length;
  return words.every((word, offset) => tokens[start + offset].word === word) ? words.length : 0;
}

function longestMatchEndingAt(tokens: SearchToken[], end: number, alternatives: TextAlternative[]): number {
  return Math.max(0, ...alternatives.map((alternative) => matchLengthEndingAt(tokens, end, alternative)));
}

function plain(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/**
 * About `maxWords` words of `text` around the first place a `must` word or phrase occurs, matched
 * words marked, '…' where the text was cut; null when nothing the query needs is in the text.
 */
export function highlightSnippet(text: string, query: TextQuery, maxWords = 40): SnippetPart[] | null {
  const alternatives = query.must.flatMap((clause) => clause.anyOf);
  if (alternatives.length === 0) return null;
  const tokens: SearchToken[] = [];
  const spans = searchTokenSpans(text);
  let firstMatch: { start: number; end: number } | null = null;
  // Tokens are read only as far as needed: a chapter can be long and only its start may matter.
  while (firstMatch === null) {
    const next = spans.next();
    if (next.done) return null;
    tokens.push(next.value);
    const length = longestMatchEndingAt(tokens, tokens.length, alternatives);
    if (length > 0) firstMatch = { start: tokens.length - length, end: tokens.length };
  }

  // A little context leads in; the rest of the window follows the match.
  const matchLength = firstMatch.end - firstMatch.start;
  const size = Math.max(maxWords, matchLength);
  let start = Math.max(0, firstMatch.start - Math.floor((size - matchLength) / 4));
  while (tokens.length <= start + size) {
    const next = spans.next();
    if (next.done) break;
    tokens.push(next.value);
  }
  const end = Math.min(tokens.length, start + size);
  start = Math.max(0, end - size);
  const cutAfter = tokens.length > end;

  // Marked spans inside the window, found from the left, each as long as it can be.
  const marks: { start: number; end: number }[] = [];
  for (let index = start; index < end; index += 1) {
    const previous = marks.at(-1);
    const length = longestMatchEndingAt(tokens, index + 1, alternatives);
    if (length === 0 || index + 1 - length < start) continue;
    const from = index + 1 - length;
    if (previous && from < previous.end) {
      previous.end = index + 1;
      previous.start = Math.min(previous.start, from);
    } else {
      marks.push({ start: from, end: index + 1 });
    }
  }

  const parts: SnippetPart[] = [];
  const add = (part: SnippetPart) => {
    const last = parts.at(-1);
    if (part.text === '') return;
    if (last && !last.match && !part.match) last.text += part.text;
    else parts.push(part);
  };
  if (start > 0) add({ text: '… ', match: false });
  let at = start > 0 ? tokens[start].start : 0;
  for (const mark of marks) {
    add({ text: plain(text.slice(at, tokens[mark.start].start)), match: false });
    add({ text: plain(text.slice(tokens[mark.start].start, tokens[mark.end - 1].end)), match: true });
    at = tokens[mark.end - 1].end;
  }
  add({ text: plain(text.slice(at, cutAfter ? tokens[end - 1].end : text.length)), match: false });
  if (cutAfter) add({ text: ' …', match: false });
  const first = parts[0];
  const last = parts.at(-1)!;
  if (!first.match) first.text = first.text.trimStart();
  if (!last.match) last.text = last.text.trimEnd();
  return parts.filter((part) => part.text !== '');
}
