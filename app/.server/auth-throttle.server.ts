import { data } from "@remix-run/node";
import { env } from "~/.server/env.server";
import type { AccountActionData } from "~/components/account-form";
import { remember } from "~/.server/remember.server";

// Password guessing is slowed in two ways (ADR 012), both in this process's memory: a restart
// forgets them, which costs an attacker a restart they cannot cause.
// - per client address: at most AUTH_ATTEMPTS_PER_IP sign-ins and sign-ups per 10 minutes;
// - per account: after AUTH_FAILURES_PER_ACCOUNT wrong passwords in a row, each further attempt
//   must wait, 1 s then doubling up to 15 minutes, until a right password resets it.
// The account backoff is short and capped on purpose: a stranger can delay someone's login by
// guessing at it, but not lock them out for long.

export const IP_WINDOW_MS = 10 * 60 * 1000;
const MAX_BACKOFF_MS = 15 * 60 * 1000;
/** Entries kept at most per table; the oldest go first, so a flood of addresses cannot grow memory. */
const MAX_ENTRIES = 50_000;

export type ThrottleDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface AuthThrottleOptions {
  attemptsPerIp: number;
  failuresPerAccount: number;
  now?: () => number;
}

export interface AuthThrottle {
  /** Counts an attempt from `address` (for `account`, when signing in) and says whether it may go ahead. */
  attempt(address: string, account?: string): ThrottleDecision;
  /** A wrong password for the account: counts towards its backoff. */
  failed(account: string): void;
  /** A right password: the account's backoff ends. */
  succeeded(account: string): void;
}

export function createAuthThrottle(options: AuthThrottleOptions): AuthThrottle {
  const now = options.now ?? Date.now;
  const attemptsByAddress = new Map<string, number[]>();
  const failuresByAccount = new Map<string, { failures: number; blockedUntil: number }>();

  function remember<V>(map: Map<string, V>, key: string, value: V) {
    map.delete(key);
    map.set(key, value);
    if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
  }

  return {
    attempt(address, account) {
      const time = now();
      if (account !== undefined) {
        const state = failuresByAccount.get(account);
        if (state && state.blockedUntil > time) return { ok: false, retryAfterSeconds: Math.ceil((state.blockedUntil - time) / 1000) };
      }
      const recent = (attemptsByAddress.get(address) ?? []).filter((at) => at > time - IP_WINDOW_MS);
      if (recent.length >= options.attemptsPerIp) {
        remember(attemptsByAddress, address, recent);
        return { ok: false, retryAfterSeconds: Math.ceil((recent[0] + IP_WINDOW_MS - time) / 1000) };
      }
      recent.push(time);
      remember(attemptsByAddress, address, recent);
      return { ok: true };
    },
    failed(account) {
      const failures = (failuresByAccount.get(account)?.failures ?? 0) + 1;
      const over = failures - options.failuresPerAccount;
      const blockedUntil = over >= 0 ? now() + Math.min(1000 * 2 ** over, MAX_BACKOFF_MS) : 0;
      remember(failuresByAccount, account, { failures, blockedUntil });
    },
    succeeded(account) {
      failuresByAccount.delete(account);
    },
  };
}

/** The process's throttle, configured from the environment (kept across dev reloads). */
export function authThrottle(): AuthThrottle {
  return processThrottle().current;
}

/** Replaces the process's throttle (tests give each case its own clock and limits). */
export function replaceAuthThrottle(throttle: AuthThrottle) {
  processThrottle().current = throttle;
}

function processThrottle(): { current: AuthThrottle } {
  return remember("auth-throttle", () => ({
    current: createAuthThrottle({
      attemptsPerIp: env().AUTH_ATTEMPTS_PER_IP,
      failuresPerAccount: env().AUTH_FAILURES_PER_ACCOUNT,
    }),
  }));
}

/** What an attempt beyond the limits answers: the form says when to try again. */
export function tooManyAttempts(retryAfterSeconds: number) {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = retryAfterSeconds < 60 ? `${retryAfterSeconds} seconds` : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return data<AccountActionData>(
    { formError: `Too many attempts; try again in ${wait}.` },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}

