import type { CommandDefinition } from "./command";
import { apiKeyCreate } from "./commands/apikey-create";
import { backup } from "./commands/backup";
import { contactsImport } from "./commands/contacts-import";
import { restore } from "./commands/restore";
import { rollupsRebuild } from "./commands/rollups-rebuild";

/** Every subcommand of `npm run cli`. Add a definition file under commands/ and list it here. */
export const COMMANDS: readonly CommandDefinition<unknown>[] = [
  apiKeyCreate,
  contactsImport,
  backup,
  restore,
  rollupsRebuild,
];
