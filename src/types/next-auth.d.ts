/* eslint-disable @typescript-eslint/consistent-type-definitions -- module augmentation needs interfaces */
import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      name?: string | null;
      email?: string | null;
      image?: string | null;
      /** The IdP's `email_verified` at sign-in; absent when it did not say. */
      emailVerified?: boolean;
    };
    /** Set when the provider session could not be kept alive: the app signs the user out. */
    error?: "SessionEnded";
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    sid?: string;
    /** `email_verified` from the sign-in's profile. */
    emv?: boolean;
    /** Access-token expiry (ms); the DB is only consulted when it is close. */
    ate?: number;
    /** When that access token was obtained (ms). */
    ati?: number;
    error?: "SessionEnded";
  }
}
