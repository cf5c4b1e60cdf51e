export { createClient, type Client, type ClientOptions } from "./client";
export { runAgent, type RunAgentOptions, type TaskContext, type TaskHandler } from "./run-agent";
export { sign, signedHeaders } from "./signing";
export { createTokenSource, type TokenOptions, type TokenSource } from "./tokens";
export * from "./types";
