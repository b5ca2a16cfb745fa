import roaring, { type RoaringBitmap32 } from 'roaring';

// The roaring package is CommonJS: its class reaches ES modules through the default export only.

export type WorkSet = RoaringBitmap32;

export function workSet(ids?: Uint32Array | readonly number[]): WorkSet {
  return ids ? new roaring.RoaringBitmap32(ids) : new roaring.RoaringBitmap32();
}

export function unionOf(sets: readonly WorkSet[]): WorkSet {
  return roaring.RoaringBitmap32.orMany(sets);
}
