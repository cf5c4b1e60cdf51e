CREATE TABLE "contact_import_part" (
	"workspace_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"batch" integer NOT NULL,
	"part" smallint NOT NULL,
	"counts" jsonb NOT NULL,
	CONSTRAINT "contact_import_part_import_id_batch_part_pk" PRIMARY KEY("import_id","batch","part")
);
--> statement-breakpoint
ALTER TABLE "contact_import_part" ADD CONSTRAINT "contact_import_part_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_import_part" ADD CONSTRAINT "contact_import_part_import_id_contact_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."contact_import"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
SELECT app_enable_tenant_rls('contact_import_part');