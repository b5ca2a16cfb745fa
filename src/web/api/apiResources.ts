import type { WebDependencies } from '../context.ts';
import { registerAccountDeletionApi } from '../routes/accountDeletion/accountDeletionApi.ts';
import { registerAccountApi } from '../routes/accounts/accountApi.ts';
import { registerAccountChangesApi } from '../routes/accounts/accountChangesApi.ts';
import { registerStaffApi } from '../routes/admin/staffApi.ts';
import { registerBookmarkApi } from '../routes/bookmarks/bookmarkApi.ts';
import { registerChapterApi } from '../routes/chapters/chapterApi.ts';
import { registerCommentApi } from '../routes/comments/commentApi.ts';
import { registerCreatorshipApi } from '../routes/creatorships/creatorshipApi.ts';
import { registerDataExportApi } from '../routes/dataExports/dataExportApi.ts';
import { registerInboxApi } from '../routes/inbox/inboxApi.ts';
import { registerKudosApi } from '../routes/kudos/kudosApi.ts';
import { registerOrphanApi } from '../routes/orphans/orphanApi.ts';
import { registerProfileApi } from '../routes/profiles/profileApi.ts';
import { registerPseudApi } from '../routes/pseuds/pseudApi.ts';
import { registerReadingApi } from '../routes/readings/readingApi.ts';
import { registerReportApi } from '../routes/reports/reportApi.ts';
import { registerStatsApi } from '../routes/stats/statsApi.ts';
import { registerSubscriptionApi } from '../routes/subscriptions/subscriptionApi.ts';
import { registerTagApi } from '../routes/tags/tagApi.ts';
import { registerTokenApi } from '../routes/tokens/tokenApi.ts';
import { registerUserRelationApi } from '../routes/userRelations/userRelationApi.ts';
import { registerWorkApi } from '../routes/works/workApi.ts';
import type { ApiApp } from './apiContract.ts';

/** Every resource's API routes; each module declares its routes' contracts next to its page routes. */
export const apiResources: ((api: ApiApp, dependencies: WebDependencies) => void)[] = [
  registerAccountApi,
  registerWorkApi,
  registerChapterApi,
  registerReadingApi,
  registerStatsApi,
  registerTagApi,
  registerUserRelationApi,
  registerCommentApi,
  registerKudosApi,
  registerBookmarkApi,
  registerSubscriptionApi,
  registerInboxApi,
  registerAccountChangesApi,
  registerTokenApi,
  registerProfileApi,
  registerPseudApi,
  registerOrphanApi,
  registerAccountDeletionApi,
  registerDataExportApi,
  registerCreatorshipApi,
  registerStaffApi,
  registerReportApi,
  // more resources: keep one line each
];
