-- Signed checkpoints, their chain heads and the keys that signed them are append-only like
-- audit_event (0001): the database refuses to change or remove them. Tampering with the
-- triggers disabled is caught by the checkpoints' signatures and Merkle roots (decision 009).
CREATE OR REPLACE FUNCTION audit_append_only_reject() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_append_only
  BEFORE UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION audit_append_only_reject();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_head_append_only
  BEFORE UPDATE OR DELETE ON audit_checkpoint_head
  FOR EACH ROW EXECUTE FUNCTION audit_append_only_reject();
--> statement-breakpoint
CREATE TRIGGER audit_signing_key_append_only
  BEFORE UPDATE OR DELETE ON audit_signing_key
  FOR EACH ROW EXECUTE FUNCTION audit_append_only_reject();
