import type { FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { Kysely } from 'kysely';
import type { QuireConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { countRequest, peekRequests, type RateLimitCount } from '../services/rateLimits.ts';

type Callback = (error: Error | null, result?: RateLimitCount) => void;

/** @fastify/rate-limit's store interface, backed by the database so limits hold across instances. */
export function databaseRateLimitStore(db: Kysely<Database>) {
  return class DatabaseRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      countRequest(db, key, timeWindow).then((count) => callback(null, count), callback);
    }
    read(key: string, callback: Callback): void {
      peekRequests(db, key).then((count) => callback(null, count), callback);
    }
    child(): DatabaseRateLimitStore {
      return this;
    }
  };
}

/** Route options that limit one action per client address, or nothing when limits are switched off. */
export function limitedRoute(
  config: QuireConfig,
  action: string,
  limit: { max: number; windowMs: number },
): Pick<RouteShorthandOptions, 'config'> {
  if (!config.rateLimits.enabled) return {};
  return {
    config: {
      rateLimit: {
        max: limit.max,
        timeWindow: limit.windowMs,
        keyGenerator: (request: FastifyRequest) => `${action}:${request.ip}`,
      },
    },
  };
}
