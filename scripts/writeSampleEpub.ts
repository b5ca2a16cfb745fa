// Writes the long sample work (test/fixtures/sampleWorks.ts) as an EPUB, for checking it with other
// tools: node --import tsx scripts/writeSampleEpub.ts OUT.epub [long|one|series]
import { writeFile } from 'node:fs/promises';
import { buildSeriesEpub, buildWorkEpub } from '../src/formats/epub.ts';
import { longWork, oneChapterWork, sampleSeries } from '../test/fixtures/sampleWorks.ts';

const [out, which = 'long'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node --import tsx scripts/writeSampleEpub.ts OUT.epub [long|one|series]');
  process.exit(2);
}
const builders: Record<string, () => Promise<Buffer>> = {
  long: () => buildWorkEpub(longWork()),
  one: () => buildWorkEpub(oneChapterWork()),
  series: () => buildSeriesEpub(sampleSeries()),
};
const build = builders[which];
if (!build) {
  console.error(`unknown sample "${which}": use long, one or series`);
  process.exit(2);
}
await writeFile(out, await build());
console.log(`wrote ${out}`);
