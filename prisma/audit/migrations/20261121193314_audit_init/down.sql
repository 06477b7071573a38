-- data-loss: drops tables AuditChain, AuditEntry, InboxEvent, OutboxEvent
-- Undoes 20261121193314_audit_init.
-- DropTable
DROP TABLE "AuditChain";

-- DropTable
DROP TABLE "AuditEntry";

-- DropTable
DROP TABLE "InboxEvent";

-- DropTable
DROP TABLE "OutboxEvent";
