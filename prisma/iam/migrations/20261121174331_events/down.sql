-- data-loss: drops table InboxEvent; drops table OutboxEvent
-- Undoes 20261121174331_events.
-- DropTable
DROP TABLE "InboxEvent";

-- DropTable
DROP TABLE "OutboxEvent";
