import { NextResponse, type NextRequest } from "next/server";
import { pagePath, REQUEST_PATH_HEADER } from "@/lib/request-path";

/** Hands the page's own address to server components (see `getCurrentAccess`). */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  // Always overwritten: a value sent by the client is never passed on.
  headers.set(REQUEST_PATH_HEADER, pagePath(request.nextUrl));
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: not the API, Next's assets or files from public/ (anything with a dot).
  matcher: ["/((?!api/|_next/|.*\\.).*)"],
};
