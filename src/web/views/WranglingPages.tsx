import { paths } from '../../domain/archivePaths.ts';
import { TAG_TYPE_LABELS, USER_TAG_TYPES } from '../../domain/vocabulary.ts';
import type { UnwrangledListing, UnwrangledTag } from '../../services/wrangling.ts';
import { Layout, type PageContext } from './Layout.tsx';
import { formatCount, Pagination } from './WorkParts.tsx';

function UnwrangledTable({ caption, tags }: { caption: string; tags: UnwrangledTag[] }) {
  return (
    <table class="unwrangled">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Tag</th>
          <th scope="col">Type</th>
          <th scope="col">Works</th>
        </tr>
      </thead>
      <tbody>
        {tags.map((tag) => (
          <tr key={tag.name}>
            <th scope="row">
              <a href={paths.tag(tag.name)}>{tag.name}</a>
            </th>
            <td>{TAG_TYPE_LABELS[tag.type].one}</td>
            <td>{formatCount(tag.works)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WranglingPage({ context, listing }: { context: PageContext; listing: UnwrangledListing }) {
  const { type } = listing;
  return (
    <Layout context={context} title="Tag wrangling">
      <h1 class="page-title">Unwrangled tags</h1>
      <p>
        Tags nobody has made canonical or a synonym yet, the most used first ({formatCount(listing.total)} in
        all). Each is listed under the fandoms of the works it is used on.
      </p>
      <nav class="wrangling-types" aria-label="Tag types">
        <ul>
          <li>
            {type ? (
              <a href={paths.tagWranglings()}>All types</a>
            ) : (
              <strong aria-current="page">All types</strong>
            )}
          </li>
          {USER_TAG_TYPES.map((choice) => (
            <li key={choice}>
              {choice === type ? (
                <strong aria-current="page">{TAG_TYPE_LABELS[choice].many}</strong>
              ) : (
                <a href={paths.tagWranglings(choice)}>{TAG_TYPE_LABELS[choice].many}</a>
              )}
            </li>
          ))}
        </ul>
      </nav>
      {listing.total === 0 ? <p class="empty">Every tag is wrangled. Well done!</p> : null}
      {listing.fandoms.length > 0 ? (
        <UnwrangledTable caption="Unwrangled fandoms" tags={listing.fandoms} />
      ) : null}
      {listing.groups.map((group) => (
        <UnwrangledTable key={group.fandom ?? ''} caption={group.fandom ?? 'No fandom'} tags={group.tags} />
      ))}
      <Pagination page={listing.page} pages={listing.pages} basePath={paths.tagWranglings(type)} />
    </Layout>
  );
}
