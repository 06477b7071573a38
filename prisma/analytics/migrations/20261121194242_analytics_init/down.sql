-- data-loss: drops tables EventLog, FailureFact, InboxEvent, InvoiceFact, OrderFact, OrganizationFact, OutboxEvent, RouteFact, RouteStopFact
-- Undoes 20261121194242_analytics_init.
-- DropTable
DROP TABLE "EventLog";

-- DropTable
DROP TABLE "FailureFact";

-- DropTable
DROP TABLE "InboxEvent";

-- DropTable
DROP TABLE "InvoiceFact";

-- DropTable
DROP TABLE "OrderFact";

-- DropTable
DROP TABLE "OrganizationFact";

-- DropTable
DROP TABLE "OutboxEvent";

-- DropTable
DROP TABLE "RouteFact";

-- DropTable
DROP TABLE "RouteStopFact";
