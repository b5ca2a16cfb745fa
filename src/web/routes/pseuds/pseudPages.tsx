import fs from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accountKey } from '../../../domain/accountRules.ts';
import { paths } from '../../../domain/archivePaths.ts';
import type { Viewer } from '../../../domain/permissions.ts';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  ValidationError,
} from '../../../services/errors.ts';
import {
  ICON_LIMITS,
  pseudIconContent,
  removePseudIcon,
  setPseudIcon,
} from '../../../services/pseudIcons.ts';
import {
  createPseud,
  deletePseud,
  findPseud,
  listPseuds,
  ownPseud,
  type Pseud,
  updatePseud,
} from '../../../services/pseuds.ts';
import { listWorks } from '../../../services/works.ts';
import { pageContext, parsePage, routeId, setNotice, type WebDependencies } from '../../context.ts';
import { describeError } from '../../errors.tsx';
import { formText } from '../../formInput.ts';
import { savedUploads, uploadRoute } from '../../uploads.ts';
import { type PseudForm, PseudFormPage, PseudListPage, PseudPage } from '../../views/PseudPages.tsx';
import { sendPage } from '../../views/render.tsx';

type LoginParams = { Params: { login: string } };
type PseudParams = { Params: { login: string; name: string }; Querystring: { page?: string } };

/** An icon never changes at its URL (the hash in it does): browsers may keep it for a year. */
const ICON_CACHE = 'public, max-age=31536000, immutable';

/** The pages that change a user's pseuds are for that user alone. */
function requireOwner(viewer: Viewer | null, login: string): Viewer {
  if (!viewer) throw new AuthenticationError('Log in to change your pseuds.');
  if (accountKey(viewer.username) !== accountKey(login))
    throw new ForbiddenError('You can only change your own pseuds.');
  return viewer;
}

/** What the form is shown again for, with the reader's input and the message; anything else is an error page. */
function formProblem(error: unknown): boolean {
  return error instanceof ValidationError || error instanceof ConflictError;
}

function pseudFormOf(pseud?: Pseud): PseudForm {
  return {
    name: pseud?.name ?? '',
    description: pseud?.description ?? '',
    icon_alt_text: pseud?.iconAltText ?? '',
  };
}

function formFields(body: unknown) {
  return {
    name: formText(body, 'name'),
    description: formText(body, 'description'),
    icon_alt_text: formText(body, 'icon_alt_text'),
  };
}

export function registerPseudRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  async function ownPseudNamed(request: FastifyRequest<PseudParams>): Promise<Pseud> {
    const viewer = requireOwner(request.viewer, request.params.login);
    const pseud = await findPseud(db, request.params.login, request.params.name);
    return ownPseud(db, viewer, pseud.id);
  }

  app.get<LoginParams>('/users/:login/pseuds', async (request, reply) => {
    const { username, pseuds } = await listPseuds(db, request.params.login);
    return sendPage(
      reply,
      <PseudListPage context={pageContext(request, reply, config)} username={username} pseuds={pseuds} />,
    );
  });

  app.get<LoginParams>('/users/:login/pseuds/new', async (request, reply) => {
    const viewer = requireOwner(request.viewer, request.params.login);
    return sendPage(
      reply,
      <PseudFormPage
        context={pageContext(request, reply, config)}
        username={viewer.username}
        form={pseudFormOf()}
      />,
    );
  });

  app.post<LoginParams>('/users/:login/pseuds', async (request, reply) => {
    const viewer = requireOwner(request.viewer, request.params.login);
    const fields = formFields(request.body);
    try {
      const pseud = await createPseud(db, viewer, fields);
      setNotice(reply, config, `Pseud ${pseud.name} was successfully created.`);
      return reply.redirect(paths.pseud(pseud.username, pseud.name), 303);
    } catch (error) {
      if (!formProblem(error)) throw error;
      const answer = describeError(error);
      return sendPage(
        reply,
        <PseudFormPage
          context={pageContext(request, reply, config)}
          username={viewer.username}
          form={{ ...fields, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
  });

  async function showPseud(request: FastifyRequest<PseudParams>, basePath: (pseud: Pseud) => string) {
    const pseud = await findPseud(db, request.params.login, request.params.name);
    // Drafts stay off a pseud's page, even for its owner: the page shows what readers see.
    const listing = await listWorks(db, request.viewer, { pseudId: pseud.id }, parsePage(request.query.page));
    return { pseud, listing, basePath: basePath(pseud) };
  }

  app.get<PseudParams>('/users/:login/pseuds/:name', async (request, reply) => {
    const shown = await showPseud(request, (pseud) => paths.pseud(pseud.username, pseud.name));
    return sendPage(reply, <PseudPage context={pageContext(request, reply, config)} {...shown} />);
  });

  app.get<PseudParams>('/users/:login/pseuds/:name/works', async (request, reply) => {
    const shown = await showPseud(request, (pseud) => paths.pseudWorks(pseud.username, pseud.name));
    return sendPage(reply, <PseudPage context={pageContext(request, reply, config)} {...shown} />);
  });

  app.get<PseudParams>('/users/:login/pseuds/:name/edit', async (request, reply) => {
    const pseud = await ownPseudNamed(request);
    return sendPage(
      reply,
      <PseudFormPage
        context={pageContext(request, reply, config)}
        username={pseud.username}
        pseud={pseud}
        form={pseudFormOf(pseud)}
      />,
    );
  });

  app.post<PseudParams>('/users/:login/pseuds/:name', async (request, reply) => {
    const pseud = await ownPseudNamed(request);
    const fields = formFields(request.body);
    try {
      const changed = await updatePseud(db, request.viewer, pseud.id, {
        ...fields,
        ...(formText(request.body, 'default') ? { default: true } : {}),
      });
      setNotice(reply, config, `Pseud ${changed.name} was successfully updated.`);
      return reply.redirect(paths.pseud(changed.username, changed.name), 303);
    } catch (error) {
      if (!formProblem(error)) throw error;
      const answer = describeError(error);
      return sendPage(
        reply,
        <PseudFormPage
          context={pageContext(request, reply, config)}
          username={pseud.username}
          pseud={pseud}
          form={{ ...fields, message: answer.message, errors: answer.fields }}
        />,
        answer.status,
      );
    }
  });

  app.post<PseudParams>('/users/:login/pseuds/:name/delete', async (request, reply) => {
    const pseud = await ownPseudNamed(request);
    await deletePseud(db, request.viewer, pseud.id);
    setNotice(
      reply,
      config,
      `Pseud ${pseud.name} was deleted; its works, comments and bookmarks are now under your default pseud.`,
    );
    return reply.redirect(paths.pseuds(pseud.username), 303);
  });

  app.post<PseudParams>(
    '/users/:login/pseuds/:name/icon',
    {
      config: uploadRoute({ maxFiles: 1, maxFileBytes: ICON_LIMITS.maxFileBytes }),
      // Only the owner may send a file at all: anyone else is answered before the body is read.
      onRequest: async (request) => void requireOwner(request.viewer, request.params.login),
    },
    async (request, reply) => {
      const pseud = await ownPseudNamed(request);
      const [upload] = savedUploads(request);
      try {
        if (!upload)
          throw new ValidationError('Choose an image to upload.', { icon: 'Choose an image to upload.' });
        await setPseudIcon(db, request.viewer, pseud.id, await fs.readFile(upload.path));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const answer = describeError(error);
        return sendPage(
          reply,
          <PseudFormPage
            context={pageContext(request, reply, config)}
            username={pseud.username}
            pseud={pseud}
            form={{ ...pseudFormOf(pseud), message: answer.message, errors: answer.fields }}
          />,
          answer.status,
        );
      }
      setNotice(reply, config, 'Your icon was uploaded.');
      return reply.redirect(paths.editPseud(pseud.username, pseud.name), 303);
    },
  );

  app.post<PseudParams>('/users/:login/pseuds/:name/icon/delete', async (request, reply) => {
    const pseud = await ownPseudNamed(request);
    await removePseudIcon(db, request.viewer, pseud.id);
    setNotice(reply, config, 'Your icon was removed.');
    return reply.redirect(paths.editPseud(pseud.username, pseud.name), 303);
  });

  app.get<{ Params: { id: string }; Querystring: { v?: string } }>(
    '/pseuds/:id/icon',
    {
      // An icon is the same for everyone: answered as to a guest, so that browsers may keep it.
      preHandler: async (request) => {
        request.viewer = null;
      },
    },
    async (request, reply) => {
      const icon = await pseudIconContent(db, routeId(request));
      // An old version's URL leads to the current icon, which is kept only briefly there.
      if (request.query.v !== icon.hash)
        return reply
          .header('cache-control', 'public, max-age=300')
          .redirect(paths.pseudIcon(routeId(request), icon.hash), 302);
      return reply
        .header('content-type', icon.contentType)
        .header('cache-control', ICON_CACHE)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline; filename="icon.webp"')
        .send(icon.content);
    },
  );
}
