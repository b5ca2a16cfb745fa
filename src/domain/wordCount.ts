import { htmlToPlainText } from './htmlPolicy.ts';

// Scripts written without spaces between words; like AO3, each character counts as one word.
const UNSPACED = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}`;
const WORD_CHAR = String.raw`(?:(?![${UNSPACED}])[\p{L}\p{M}\p{N}])`;

// A run of letters/marks/numbers, joined across hyphens and straight or curly apostrophes
// ("one-word", "one's", "one’s"). Dashes, ellipses and other punctuation only separate.
const WORD = new RegExp(`[${UNSPACED}]|${WORD_CHAR}+(?:['’-]${WORD_CHAR}+)*`, 'gu');

/** Word count as AO3 computes it, so writers moving works between archives see the same number. */
export function countWords(html: string): number {
  return htmlToPlainText(html).match(WORD)?.length ?? 0;
}
