import { paths } from '../../domain/archivePaths.ts';
import type { TagPage as TagFacts } from '../../services/tags.ts';
import { Layout, type PageContext } from './Layout.tsx';

export function TagPage({ context, tag }: { context: PageContext; tag: TagFacts }) {
  return (
    <Layout context={context} title={tag.name}>
      <h1 class="page-title">{tag.name}</h1>
      <dl class="tag-facts">
        <dt>Type:</dt>
        <dd>{tag.typeLabel}</dd>
        <dt>Status:</dt>
        <dd>
          {tag.canonical
            ? 'Canonical: readers filter by this tag.'
            : 'Not yet wrangled into the archive’s canonical tags.'}
        </dd>
      </dl>
      <p>
        <a class="button" href={paths.tagWorks(tag.name)}>
          Works tagged {tag.name}
        </a>
      </p>
    </Layout>
  );
}
