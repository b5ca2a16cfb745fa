// What text the archive keeps, wherever it comes from (a form, the API, an imported file):
// - composed (NFC), so that "é" typed as e + combining accent names the same tag as the precomposed "é";
// - without control characters other than tab, line feed and carriage return: they show as nothing or as
//   boxes, hide things in names (ESC, U+0001), and PostgreSQL text cannot hold a NUL at all;
// - well-formed UTF-16: half of a surrogate pair cannot be written as UTF-8, so it would be stored
//   mangled (and the tag or title typed again would no longer match it).
// Bidirectional overrides and isolates are legitimate in right-to-left writing, so bodies keep them, but
// in a name (a title, a tag, a username) they only serve to make it read as something it is not.

const CONTROLS = /(?![\t\n\r])\p{Cc}/gu;
// In a Unicode-aware pattern a surrogate class matches only a surrogate that is not half of a pair.
const UNPAIRED_SURROGATE = /\p{Cs}/u;
const UNPAIRED_SURROGATES = /\p{Cs}/gu;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** Whether the text holds half of a surrogate pair (or, from a form, bytes that were not UTF-8). */
export function hasUnpairedSurrogate(text: string): boolean {
  return UNPAIRED_SURROGATE.test(text);
}

/**
 * Text as the archive keeps it: controls other than tab and line breaks removed, composed to NFC. Half a
 * surrogate pair becomes U+FFFD, as a UTF-8 decoder would have made it; where the writer is there to be
 * asked (a web request), the boundary refuses it first instead.
 */
export function normaliseText(text: string): string {
  return text.replace(UNPAIRED_SURROGATES, '\uFFFD').replace(CONTROLS, '').normalize('NFC');
}

/** Whether a name is free of characters that change the direction of the text around them. */
export function hasNoBidiControl(name: string): boolean {
  return !BIDI_CONTROLS.test(name);
}

export function bidiControlMessage(label: string): string {
  return `${label} cannot contain characters that reverse or isolate the direction of text (U+202A–U+202E, U+2066–U+2069).`;
}

/**
 * Every string in plain data (objects and arrays, as JSON and form parsers give them) passed through
 * `normalise`, which is told where the string sits (`chapters[0].body`); keys are normalised leniently.
 * Anything else (numbers, Buffers, streams, instances of other classes) is left as it is.
 */
export function normaliseTextsIn<T>(
  value: T,
  normalise: (text: string, path: string) => string = normaliseText,
  path = '',
): T {
  if (typeof value === 'string') return normalise(value, path) as T;
  if (Array.isArray(value))
    return value.map((item, index) => normaliseTextsIn(item, normalise, `${path}[${index}]`)) as T;
  if (value === null || typeof value !== 'object') return value;
  // Parsers make their objects with null (or constructor-less) prototypes; a constructor means a class.
  const prototype = Object.getPrototypeOf(value);
  const maker = prototype?.constructor;
  if (maker !== undefined && maker !== Object) return value;
  const copy = Object.create(prototype) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) {
    const name = normaliseText(key);
    // Defined, not assigned, so that a key named __proto__ stays a plain field.
    Object.defineProperty(copy, name, {
      value: normaliseTextsIn(item, normalise, path ? `${path}.${name}` : name),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy as T;
}
