export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * The events an agent can send (`POST /api/webhooks/bots/{botId}`). The task events carry
 * the `attempt` of the pulled task: one for an attempt that ended is refused (409).
 */
export type BotEvent =
  | { type: "TASK_STARTED"; data: { taskId: string; attempt: number } }
  | {
      type: "TASK_PROGRESS";
      data: { taskId: string; attempt: number; progress?: number; message?: string };
    }
  | {
      type: "TASK_LOG";
      data: {
        taskId?: string;
        level?: LogLevel;
        message: string;
        context?: Record<string, unknown>;
      };
    }
  | {
      type: "TASK_SUCCEEDED";
      data: {
        taskId: string;
        attempt: number;
        providerMessageId?: string;
        output?: Record<string, unknown>;
      };
    }
  | {
      type: "TASK_FAILED";
      data: {
        taskId: string;
        attempt: number;
        error: string;
        message?: string;
        retryable?: boolean;
      };
    }
  | { type: "MESSAGE_RECEIVED"; data: { from: string; text: string; providerMessageId?: string } }
  | { type: "HEARTBEAT"; data?: { status?: string } };

/** A leased task as `pull` returns it. */
export type Task = {
  id: string;
  action: string;
  payload: Record<string, unknown>;
  priority: number;
  /** 1 on the first attempt; heartbeats, results and task events send it back. */
  attempt: number;
  maxAttempts: number;
  timeoutSeconds: number;
  leaseExpiresAt: string;
  /** Paced bots: do not start before this instant (runAgent waits for it). */
  notBefore: string;
};

export type PullResult = { tasks: Task[]; retryAfterSeconds: number | null };

export type Outcome =
  | { ok: true; providerMessageId?: string; output?: Record<string, unknown> }
  | { ok: false; error: string; message?: string; retryable?: boolean };

export type ResultAnswer = { id: string; status: string; attempts: number; changed: boolean };

/** What a token may be used for: one scope per agent route. */
export type AgentScope = "tasks:pull" | "tasks:heartbeat" | "tasks:result";

/** `POST /api/v1/agent/token`'s answer. */
export type IssuedToken = { token: string; expiresAt: string; scopes: AgentScope[] };

/** An error answer from SalesTrack: HTTP status plus the error's kind and code. */
export class SalesTrackError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: string | null,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "SalesTrackError";
  }
}
