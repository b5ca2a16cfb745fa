import type { WebDependencies } from '../context.ts';
import { registerAccountApi } from '../routes/accounts/accountApi.ts';
import { registerChapterApi } from '../routes/chapters/chapterApi.ts';
import { registerWorkApi } from '../routes/works/workApi.ts';
import type { ApiApp } from './apiContract.ts';

/** Every resource's API routes; each module declares its routes' contracts next to its page routes. */
export const apiResources: ((api: ApiApp, dependencies: WebDependencies) => void)[] = [
  registerAccountApi,
  registerWorkApi,
  registerChapterApi,
  // more resources: keep one line each
];
