import type { IncomingMessage } from "node:http";
import { clientKey } from "@/server/http/client-ip";
import { TokenBucketLimiter, type BucketOptions, type TakeResult } from "@/server/http/rate-limit";
import { LOCAL_USERS } from "./users";

/**
 * Password guessing on the login form, bounded two ways, in memory (one issuer process):
 *
 * - per client address, every attempt: 30 at once, then one every 10 s — a script trying many
 *   accounts from one place;
 * - per account, failures only: 5, then one a minute — many places trying one account. A
 *   successful sign-in costs nothing, so the owner is never locked out by their own logins;
 *   someone else's failures can delay them by a minute at most.
 *
 * At most 10 000 buckets each, least recently seen evicted (rate-limit.ts).
 */
export type SignInLimitOptions = { perAddress: BucketOptions; perAccount: BucketOptions };

export const DEFAULT_SIGN_IN_LIMITS: SignInLimitOptions = {
  perAddress: { capacity: 30, refillPerSecond: 0.1 },
  perAccount: { capacity: 5, refillPerSecond: 1 / 60 },
};

export type SignInLimits = {
  /** Before the password is checked: charges the address, asks the account. */
  admit(req: IncomingMessage, login: string): TakeResult;
  /** After a wrong password. */
  failed(login: string): void;
};

/** The same account whether typed as e-mail or username, in any case. */
function accountKey(login: string): string {
  const needle = login.trim().toLowerCase();
  const user = LOCAL_USERS.find((u) => u.email === needle || u.preferredUsername === needle);
  return user?.sub ?? needle;
}

export function createSignInLimits(options: Partial<SignInLimitOptions> = {}): SignInLimits {
  const { perAddress, perAccount } = { ...DEFAULT_SIGN_IN_LIMITS, ...options };
  const addresses = new TokenBucketLimiter({ ...perAddress, maxClients: 10_000 });
  const accounts = new TokenBucketLimiter({ ...perAccount, maxClients: 10_000 });
  return {
    admit(req, login) {
      const address = addresses.take(clientKey(req));
      if (!address.ok) return address;
      return accounts.check(accountKey(login));
    },
    failed(login) {
      accounts.take(accountKey(login));
    },
  };
}
