-- data-loss: drops tables InboxEvent, OutboxEvent
-- Undoes 20261121174331_events.
-- DropTable
DROP TABLE "InboxEvent";

-- DropTable
DROP TABLE "OutboxEvent";
