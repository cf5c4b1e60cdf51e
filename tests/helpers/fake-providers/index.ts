export * from "./fake-server";
export * from "./webhook-receiver";
export * from "./whatsapp-cloud";
export * from "./infobip";
