export * from "./fake-server";
export * from "./webhook-receiver";
