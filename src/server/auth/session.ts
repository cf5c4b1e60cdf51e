import { getServerSession, type Session } from "next-auth";
import { authOptions } from "./options";

/** The signed-in session for server components and route handlers, or null. */
export async function getSession(): Promise<Session | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id && !session.error ? session : null;
}
