import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  hasNoBidiControl,
  hasUnpairedSurrogate,
  normaliseText,
  normaliseTextsIn,
} from '../../../src/domain/textNormalisation.ts';
import { parseFormBody } from '../../../src/web/textBoundary.ts';

// Text normalisation, checked against arbitrary UTF-16 (lone surrogates and controls included) rather
// than against the handful of characters the integration tests name.

/** One UTF-16 code unit at a time, weighted towards the characters the rules are about. */
const codeUnit = fc.oneof(
  fc.constantFrom(
    '\u0000',
    '\u0001',
    '\u001b',
    '\t',
    '\n',
    '\r',
    '\u007f',
    '\u0085',
    '\u009f',
    '\u202e',
    '\u2066',
    'e',
    '\u0301',
    '\u00e9',
    '\u1100',
    '\u1161',
    '\ufeff',
    '\ud83d',
    '\ude00',
  ),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const anyText = fc.string({ unit: codeUnit, maxLength: 40 });

/** Controls the archive does not keep, by code point, independently of the module's own pattern. */
function hasDisallowedControl(text: string): boolean {
  return Array.from(text).some((character) => {
    const code = character.codePointAt(0) ?? 0;
    return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f);
  });
}
const RUNS = 2000;

function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

describe('text normalisation (fuzzed)', () => {
  it('keeps no control character but tab and line breaks, no half surrogate pair, and composes to NFC', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const kept = normaliseText(text);
        assert.ok(!hasDisallowedControl(kept), JSON.stringify(kept));
        assert.ok(isWellFormed(kept));
        assert.equal(kept, kept.normalize('NFC'));
      }),
      { numRuns: RUNS },
    );
  });

  it('is idempotent, and leaves text that needs nothing as it was', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const kept = normaliseText(text);
        assert.equal(normaliseText(kept), kept);
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), (text) => {
        fc.pre(!hasDisallowedControl(text));
        assert.equal(normaliseText(text), text);
      }),
      { numRuns: 500 },
    );
  });

  it('finds half surrogate pairs exactly where JavaScript itself sees ill-formed text', () => {
    fc.assert(
      fc.property(anyText, (text) => assert.equal(hasUnpairedSurrogate(text), !isWellFormed(text))),
      { numRuns: RUNS },
    );
  });

  it('tells names with direction overrides or isolates from those without', () => {
    fc.assert(
      fc.property(anyText, (text) =>
        assert.equal(hasNoBidiControl(text), !/[\u202a-\u202e\u2066-\u2069]/.test(text)),
      ),
      { numRuns: RUNS },
    );
  });

  it('normalises every string of JSON-like data, keys included, and nothing else', () => {
    const data = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        anyText,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(anyText, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    const allText = (value: unknown): string[] =>
      typeof value === 'string'
        ? [value]
        : Array.isArray(value)
          ? value.flatMap(allText)
          : value !== null && typeof value === 'object'
            ? Object.entries(value).flatMap(([key, item]) => [key, ...allText(item)])
            : [];
    /** Strings stay strings, everything else stays as it was; keys that normalise alike become one. */
    const sameShape = (before: unknown, after: unknown): void => {
      if (typeof before === 'string') assert.equal(typeof after, 'string');
      else if (Array.isArray(before)) {
        assert.ok(Array.isArray(after) && after.length === before.length);
        for (const [index, item] of before.entries()) sameShape(item, after[index]);
      } else if (before !== null && typeof before === 'object') {
        assert.ok(after !== null && typeof after === 'object' && !Array.isArray(after));
        assert.ok(Object.keys(after).length <= Object.keys(before).length);
      } else assert.equal(after, before);
    };
    fc.assert(
      fc.property(data, (value) => {
        const kept = normaliseTextsIn(value);
        for (const text of allText(kept)) assert.equal(normaliseText(text), text);
        sameShape(value, kept);
      }),
      { numRuns: 500 },
    );
  });

  it('reads form bodies exactly when they are UTF-8, and as half surrogate pairs when they are not', () => {
    const percentEncoded = (bytes: Uint8Array) =>
      Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const value = parseFormBody(`field=${percentEncoded(bytes)}`).field;
        let text: string | null = null;
        try {
          text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
        } catch {}
        if (text === null) assert.ok(hasUnpairedSurrogate(String(value)), JSON.stringify(value));
        else assert.equal(value, text);
      }),
      { numRuns: RUNS },
    );
  });
});
