ALTER TABLE "contact_group_member" DROP CONSTRAINT "contact_group_member_workspace_id_workspace_id_fk";
