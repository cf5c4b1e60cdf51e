CREATE TABLE "contact_import_change" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"field" text NOT NULL,
	"before" text,
	"after" text
);
--> statement-breakpoint
ALTER TABLE "contact_import_change" ADD CONSTRAINT "contact_import_change_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_import_change" ADD CONSTRAINT "contact_import_change_import_id_contact_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."contact_import"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_import_change_import_idx" ON "contact_import_change" USING btree ("import_id","id");--> statement-breakpoint
CREATE INDEX "contact_import_change_contact_idx" ON "contact_import_change" USING btree ("workspace_id","contact_id","id");--> statement-breakpoint
SELECT app_enable_tenant_rls('contact_import_change');--> statement-breakpoint
CREATE TABLE "contact_trash" (
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"contact" jsonb NOT NULL,
	"group_ids" uuid[] DEFAULT '{}' NOT NULL,
	"deleted_by" uuid,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_trash_workspace_id_contact_id_pk" PRIMARY KEY("workspace_id","contact_id")
);
--> statement-breakpoint
ALTER TABLE "contact_trash" ADD CONSTRAINT "contact_trash_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_trash_deleted_at_idx" ON "contact_trash" USING btree ("deleted_at");--> statement-breakpoint
SELECT app_enable_tenant_rls('contact_trash');
